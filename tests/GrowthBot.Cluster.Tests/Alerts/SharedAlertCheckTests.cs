using GrowthBot.Cluster.Tests.Engine;
using GrowthBot.Core.Alerts;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Storage.Postgres;
using GrowthBot.Tests.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Cluster.Tests.Alerts;

/// <summary>
/// Two hosts on one database both check the same alerts: each sees a crossing, but it is recorded by
/// compare-and-set in the alert store before anything is posted, so only one of them posts it, and
/// only one updates the thread's post when it goes back to normal.
/// </summary>
[Collection(ClusterDatabase.Name)]
[Trait("Category", "Postgres")]
public sealed class SharedAlertCheckTests(PostgresServer server) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
    private FollowingHost _hostA = null!;
    private FollowingHost _hostB = null!;
    private int _answers;

    public async Task InitializeAsync()
    {
        var connectionString = await ClusterDatabase.MigratedAsync(server);
        _hostA = FollowingHost.Attached(connectionString, _time, TimeSpan.FromSeconds(1));
        _hostB = FollowingHost.Attached(connectionString, _time, TimeSpan.FromSeconds(1));
        var customers = new GrowthDataBatch();
        for (var i = 0; i < 200; i++) customers.Customers.Add(new Customer($"c{i}", $"Customer {i}", "SMB", "organic", new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), null));
        _hostA.Importer.Write(customers);
        _hostB.Follower.CatchUp();
    }

    public async Task DisposeAsync()
    {
        await _hostA.DisposeAsync();
        await _hostB.DisposeAsync();
    }

    [Fact]
    public async Task Check_TwoHostsSeeOneCrossingAtOnce_PostItOnce()
    {
        var sent = new SharedWorkspace();
        // Both hosts read the armed alert before either records anything: the race at its worst.
        var bothRead = new Barrier(2);
        var a = Monitor(_hostA, sent, bothRead);
        var b = Monitor(_hostB, sent, bothRead);
        new AlertBook(new PostgresAlertStore(_hostA.Database)).Add(NpsBelowZero());
        Answers(score: 2, count: 120);

        var checks = await Task.WhenAll(Task.Run(() => a.CheckAsync(CancellationToken.None)), Task.Run(() => b.CheckAsync(CancellationToken.None)));

        Assert.Equal(1, checks.Sum(check => check.Posted));
        var (_, message) = Assert.Single(sent.Sent);
        Assert.StartsWith("Alert: nps below 0", message.FallbackText, StringComparison.Ordinal);
        var stored = new PostgresAlertStore(_hostB.Database).Find("a00001")!;
        Assert.True(stored.State.Firing);
        Assert.Equal("m1", stored.State.Post!.MessageId);

        // Back to normal, seen by both at once again: one update of the thread's post.
        Answers(score: 10, count: 200);
        var back = await Task.WhenAll(Task.Run(() => a.CheckAsync(CancellationToken.None)), Task.Run(() => b.CheckAsync(CancellationToken.None)));

        Assert.Equal(1, back.Sum(check => check.Resolved));
        var (posted, update) = Assert.Single(sent.Updated);
        Assert.Equal("m1", posted.MessageId);
        Assert.StartsWith("Back to normal: nps below 0", update.FallbackText, StringComparison.Ordinal);
        Assert.Single(sent.Sent);
        Assert.False(new PostgresAlertStore(_hostA.Database).Find("a00001")!.State.Firing);
    }

    [Fact]
    public async Task Check_OneHostAfterTheOther_TheSecondFindsItFiredAndPostsNothing()
    {
        var sent = new SharedWorkspace();
        var a = Monitor(_hostA, sent, meeting: null);
        var b = Monitor(_hostB, sent, meeting: null);
        new AlertBook(new PostgresAlertStore(_hostA.Database)).Add(NpsBelowZero());
        Answers(score: 2, count: 120);

        Assert.Equal(1, (await a.CheckAsync(CancellationToken.None)).Posted);
        Assert.Equal(0, (await b.CheckAsync(CancellationToken.None)).Posted);

        Assert.Single(sent.Sent);
        Assert.Empty(sent.Updated);
    }

    [Fact]
    public async Task Check_HostDiesBetweenRecordingAndPosting_BothSurvivorsRaceForTheOwedPost_ItIsPostedOnce()
    {
        var sent = new SharedWorkspace();
        new AlertBook(new PostgresAlertStore(_hostA.Database)).Add(NpsBelowZero());
        Answers(score: 2, count: 120);
        // Host A records the crossing, then dies before its post goes out.
        var dying = Monitor(_hostA, new DyingWorkspace(), meeting: null);
        _ = dying.CheckAsync(CancellationToken.None);
        var store = new PostgresAlertStore(_hostB.Database);
        for (var i = 0; i < 600 && store.Find("a00001")?.State.Firing != true; i++) await Task.Delay(50);
        Assert.NotNull(store.Find("a00001")!.State.OwedBy);

        // Within the lease nobody else posts it; after it, two hosts read it at once and race for it.
        Assert.Equal(0, (await Monitor(_hostB, sent, meeting: null).CheckAsync(CancellationToken.None)).Posted);
        _time.Advance(new AlertOptions().PostLease);
        var bothRead = new Barrier(2);
        var b = Monitor(_hostB, sent, bothRead);
        var c = Monitor(_hostA, sent, bothRead);
        var checks = await Task.WhenAll(Task.Run(() => b.CheckAsync(CancellationToken.None)), Task.Run(() => c.CheckAsync(CancellationToken.None)));

        Assert.Equal(1, checks.Sum(check => check.Posted));
        var (_, message) = Assert.Single(sent.Sent);
        Assert.StartsWith("Alert: nps below 0", message.FallbackText, StringComparison.Ordinal);
        var stored = store.Find("a00001")!;
        Assert.Equal("m1", stored.State.Post!.MessageId);
        Assert.Null(stored.State.OwedBy);
        Assert.Equal(0, (await Monitor(_hostB, sent, meeting: null).CheckAsync(CancellationToken.None)).Posted);
        Assert.Single(sent.Sent);
    }

    private AlertMonitor Monitor(FollowingHost host, IChatSender platform, Barrier? meeting)
    {
        IAlertStore store = new PostgresAlertStore(host.Database);
        if (meeting is not null) store = new MeetingStore(store, meeting);
        return new AlertMonitor(new AlertBook(store), host.Engine, host.Importer, new PostgresDigestStore(host.Database), new Accountability(),
            [platform], new AlertOptions(), TimeZoneInfo.Utc, "USD", _time, NullLogger<AlertMonitor>.Instance);
    }

    private Alert NpsBelowZero() => new(
        new AlertRule("a00001", MetricId.Nps, AlertCondition.Below, 0m, ChangeUnit.Points, Breakdown.None, null, ChatPlatform.Slack, "C0SET", null, "U0ANA", "Ana", _time.GetUtcNow()),
        AlertState.Armed);

    /// <summary>Answers written on host A and followed by host B, as the change log carries them.</summary>
    private void Answers(int score, int count)
    {
        var batch = new GrowthDataBatch();
        var at = _time.GetUtcNow().UtcDateTime.AddHours(-count / 10.0);
        for (var i = 0; i < count; i++) batch.Responses.Add(new SurveyResponse($"r{++_answers}", SurveyKind.Nps, $"c{i % 200}", score, null, at.AddMinutes(i)));
        _hostA.Importer.Write(batch);
        _hostB.Follower.CatchUp();
    }

    /// <summary>The store each host reads alerts from, holding the first read until the other host has read too.</summary>
    private sealed class MeetingStore(IAlertStore inner, Barrier meeting) : IAlertStore
    {
        public IReadOnlyList<Alert> All()
        {
            var all = inner.All();
            meeting.SignalAndWait(TimeSpan.FromSeconds(30));
            return all;
        }

        public Alert? Find(string id) => inner.Find(id);

        public void Save(Alert alert) => inner.Save(alert);

        public bool TryReplace(Alert alert) => inner.TryReplace(alert);

        public bool Remove(string id) => inner.Remove(id);
    }

    /// <summary>Slack as seen by a host killed mid-post: the post never goes out and the call never returns.</summary>
    private sealed class DyingWorkspace : IChatSender
    {
        public ChatPlatform Platform => ChatPlatform.Slack;

        public Task<PostedMessage> SendAsync(ChatAddress address, ChatMessage message, CancellationToken cancellationToken) => new TaskCompletionSource<PostedMessage>().Task;

        public Task<ChatAddress> OpenDirectAsync(string userId, string? workspace, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken cancellationToken) => new TaskCompletionSource().Task;
    }

    /// <summary>One Slack workspace both hosts post to: what it received, in order.</summary>
    private sealed class SharedWorkspace : IChatSender
    {
        private int _counter;

        public System.Collections.Concurrent.ConcurrentQueue<(ChatAddress Address, ChatMessage Message)> Sent { get; } = new();

        public System.Collections.Concurrent.ConcurrentQueue<(PostedMessage Posted, ChatMessage Message)> Updated { get; } = new();

        public ChatPlatform Platform => ChatPlatform.Slack;

        public Task<PostedMessage> SendAsync(ChatAddress address, ChatMessage message, CancellationToken cancellationToken)
        {
            Sent.Enqueue((address, message));
            return Task.FromResult(new PostedMessage(address, $"m{Interlocked.Increment(ref _counter)}"));
        }

        public Task<ChatAddress> OpenDirectAsync(string userId, string? workspace, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken cancellationToken)
        {
            Updated.Enqueue((posted, message));
            return Task.CompletedTask;
        }
    }
}
