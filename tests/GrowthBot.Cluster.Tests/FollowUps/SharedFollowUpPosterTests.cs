using System.Collections.Concurrent;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.FollowUps;
using GrowthBot.Core.Metrics;
using GrowthBot.Storage.Postgres;
using GrowthBot.Tests.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Cluster.Tests.FollowUps;

/// <summary>
/// Two hosts' follow-up posters on one database: each case is posted once whichever host polls, and a
/// case whose host died mid-post is posted by the other once the claim's lease has run out.
/// </summary>
[Collection(ClusterDatabase.Name)]
[Trait("Category", "Postgres")]
public sealed class SharedFollowUpPosterTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2026, 11, 23);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly FollowUpOptions _options = new() { Nps = "slack:C0SUCCESS" };
    private PostgresDatabase _hostA = null!;
    private PostgresDatabase _hostB = null!;
    private MetricEngine _engine = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await ClusterDatabase.MigratedAsync(server);
        _hostA = ClusterDatabase.Host(connectionString, _time);
        _hostB = ClusterDatabase.Host(connectionString, _time);
        _engine = new MetricEngine(new MetricEngineOptions(), TimeZoneInfo.Utc, _time);
    }

    public Task DisposeAsync()
    {
        _engine.Dispose();
        _hostA.Dispose();
        _hostB.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TwoPosters_PollingTogether_PostEachCaseOnce()
    {
        var storeA = new PostgresFollowUpStore(_hostA);
        var storeB = new PostgresFollowUpStore(_hostB);
        var ids = Enumerable.Range(0, 24).Select(i => (i % 2 == 0 ? storeA : storeB).Open(Case($"cust{i:D2}")).Case.Id).ToList();
        var slack = new SlowSlack();
        using var posterA = Poster(storeA, slack);
        using var posterB = Poster(storeB, slack);

        var posted = await Task.WhenAll(Task.Run(() => posterA.PostPendingAsync(CancellationToken.None)), Task.Run(() => posterB.PostPendingAsync(CancellationToken.None)));

        Assert.Equal(ids.Count, posted.Sum());
        Assert.Equal(ids.Count, slack.Sent.Count);
        Assert.All(slack.Sent.GroupBy(message => message.CaseId), group => Assert.Single(group));
        Assert.All(ids, id => Assert.Equal(FollowUpPostState.Posted, storeA.Find(id)!.PostState));
        Assert.All(ids, id => Assert.Equal(1, storeB.Find(id)!.PostAttempts));
    }

    [Fact]
    public async Task APosterThatDiesMidPost_HasItsCaseTakenOverByTheOtherHost_OnceTheLeaseHasRunOut()
    {
        var storeA = new PostgresFollowUpStore(_hostA);
        var storeB = new PostgresFollowUpStore(_hostB);
        var id = storeA.Open(Case("globex")).Case.Id;
        var hung = new HangingSlack();
        var slack = new SlowSlack();
        using var dying = Poster(storeA, hung);
        using var survivor = Poster(storeB, slack);

        // Host A claims the case and its post never comes back (the process is gone).
        var lost = dying.PostPendingAsync(CancellationToken.None);
        await hung.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        _time.Advance(_options.PollInterval);
        Assert.Equal(0, await survivor.PostPendingAsync(CancellationToken.None));
        _time.Advance(_options.PostLease - _options.PollInterval - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await survivor.PostPendingAsync(CancellationToken.None));
        Assert.Empty(slack.Sent);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await survivor.PostPendingAsync(CancellationToken.None));

        var taken = storeA.Find(id)!;
        Assert.Equal((FollowUpPostState.Posted, 2, "ts-1"), (taken.PostState, taken.PostAttempts, taken.MessageId));
        Assert.Equal(id, Assert.Single(slack.Sent).CaseId);
        // Were host A only stalled, its late end would change nothing: the claim is no longer its.
        hung.Fail();
        Assert.Equal(0, await lost);
        Assert.Equal(taken, storeB.Find(id));
    }

    private FollowUpPoster Poster(IFollowUpStore store, IChatSender slack) =>
        new(store, new FollowUpMessages(_engine, _options, "USD"), _options, [slack], _time, NullLogger<FollowUpPoster>.Instance);

    private FollowUpCase Case(string customer) => new(
        FollowUpCase.IdFor(customer, Day), customer, Day, SurveyKind.Nps, 3, "Too slow", $"r-{customer}", _time.GetUtcNow(), _time.GetUtcNow(),
        new ChatAddress(ChatPlatform.Slack, "C0SUCCESS"));

    /// <summary>A Slack that takes a moment over each post (so the two hosts' rounds overlap) and records every post with its case.</summary>
    private sealed class SlowSlack : IChatSender
    {
        private int _counter;

        public ConcurrentQueue<(string CaseId, ChatMessage Message)> Sent { get; } = new();

        public ChatPlatform Platform => ChatPlatform.Slack;

        public async Task<PostedMessage> SendAsync(ChatAddress address, ChatMessage message, CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), CancellationToken.None);
            var caseId = message.Blocks.OfType<ActionsBlock>().Single().Actions[0].Value;
            Sent.Enqueue((caseId, message));
            return new PostedMessage(address, $"ts-{Interlocked.Increment(ref _counter)}");
        }

        public Task<ChatAddress> OpenDirectAsync(string userId, string? workspace, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken cancellationToken) => throw new NotSupportedException("nothing is redrawn here");
    }

    /// <summary>A post that never returns while the test runs: its host died with the request open.</summary>
    private sealed class HangingSlack : IChatSender
    {
        private readonly TaskCompletionSource<PostedMessage> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ChatPlatform Platform => ChatPlatform.Slack;

        public Task<PostedMessage> SendAsync(ChatAddress address, ChatMessage message, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            return _reply.Task;
        }

        public void Fail() => _reply.TrySetException(new HttpRequestException("connection reset"));

        public Task<ChatAddress> OpenDirectAsync(string userId, string? workspace, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
