using GrowthBot.Core.Alerts;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrowthBot.Core.Tests.Alerts;

/// <summary>
/// The crash gap: a host records a crossing, then dies before posting it (kill -9 between the two). The
/// post is owed in the store with the dying host's lease; once the lease ends, the next check of any host
/// (here: the restarted one) posts it, once.
/// </summary>
public sealed class AlertCrashTests : IDisposable
{
    private readonly AlertWorld _world = new();

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task Check_HostDiedBetweenRecordingAndPosting_TheNextCheckAfterTheLeasePostsItOnce()
    {
        _world.Answers(SurveyKind.Nps, 0, 40);
        var id = await _world.SetAlert("alert nps below 0");
        var dying = Host(new DyingSender());

        // The dying host records the crossing and never comes back from its post.
        var lost = dying.CheckAsync(CancellationToken.None);
        await WaitFor(() => _world.Alert(id).State.Firing);
        Assert.False(lost.IsCompleted);
        var recorded = _world.Alert(id).State;
        Assert.Null(recorded.Post);
        Assert.Equal(_world.Time.GetUtcNow() + _world.Options.PostLease, recorded.OwedUntil);

        // Another host's (or the restarted host's) check within the lease leaves it to its owner.
        Assert.Equal(0, (await _world.Check()).Posted);
        Assert.Empty(_world.Slack.Sent);

        _world.Time.Advance(_world.Options.PostLease);
        var check = await _world.Check();

        Assert.Equal(1, check.Posted);
        var (_, message) = Assert.Single(_world.Slack.Sent);
        Assert.StartsWith("Alert: nps below 0", message.FallbackText, StringComparison.Ordinal);
        var state = _world.Alert(id).State;
        Assert.Equal("m1", state.Post!.MessageId);
        Assert.Null(state.OwedBy);
        Assert.Equal(recorded.FiredAt, state.FiredAt);
        Assert.Contains(_world.Log.Lines, line => line.Message.Contains("not posted within its lease", StringComparison.Ordinal));
        // The dying host may have posted it: the platform is asked to look for it under the alert's period first.
        var (sendId, resumed) = Assert.Single(_world.Slack.SendIds);
        Assert.StartsWith($"alert:{id}:", sendId, StringComparison.Ordinal);
        Assert.True(resumed);

        _world.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await _world.Check()).Posted);
        Assert.Single(_world.Slack.Sent);
    }

    [Fact]
    public async Task Check_HostDiedBetweenRecordingANewCrossingAndUpdatingThePeriodsPost_TheNextCheckAfterTheLeaseUpdatesItOnce()
    {
        _world.Answers(SurveyKind.Nps, 2, 120, firstCustomer: 60);
        var id = await _world.SetAlert("alert nps below 0");
        await _world.Check();
        _world.Answers(SurveyKind.Nps, 10, 120, firstCustomer: 180);
        await _world.Check();
        Assert.StartsWith("Back to normal", Assert.Single(_world.Slack.Updated).Message.FallbackText, StringComparison.Ordinal);

        // Crosses again in the same period: the dying host records it and never finishes updating the post.
        _world.Answers(SurveyKind.Nps, 0, 120, firstCustomer: 0, daysAgo: 0.5);
        _ = Host(new DyingSender()).CheckAsync(CancellationToken.None);
        await WaitFor(() => _world.Alert(id).State.Firing);
        Assert.NotNull(_world.Alert(id).State.OwedBy);
        Assert.Equal(0, (await _world.Check()).Updated);

        _world.Time.Advance(_world.Options.PostLease);
        var check = await _world.Check();

        Assert.Equal(1, check.Updated);
        Assert.Equal(2, _world.Slack.Updated.Count);
        Assert.StartsWith("Alert: nps below 0", _world.Slack.Updated.Last().Message.FallbackText, StringComparison.Ordinal);
        Assert.Single(_world.Slack.Sent);
        Assert.Null(_world.Alert(id).State.OwedBy);
        _world.Time.Advance(TimeSpan.FromHours(1));
        await _world.Check();
        Assert.Equal(2, _world.Slack.Updated.Count);
    }

    [Fact]
    public async Task Check_OwedCrossingEndedBeforeAnyonePostedIt_IsNoLongerOwed()
    {
        _world.Answers(SurveyKind.Nps, 0, 40);
        var id = await _world.SetAlert("alert nps below 0");
        _ = Host(new DyingSender()).CheckAsync(CancellationToken.None);
        await WaitFor(() => _world.Alert(id).State.Firing);

        _world.Answers(SurveyKind.Nps, 10, 200, firstCustomer: 50);
        _world.Time.Advance(_world.Options.PostLease);
        await _world.Check();

        Assert.Empty(_world.Slack.Sent);
        var state = _world.Alert(id).State;
        Assert.False(state.Firing);
        Assert.Null(state.OwedBy);
    }

    [Fact]
    public async Task Check_OwedCrossingSnoozedBeforeItsLeaseEnded_IsPostedOnlyWhenTheSnoozeEnds()
    {
        _world.Answers(SurveyKind.Nps, 0, 40);
        var id = await _world.SetAlert("alert nps below 0");
        _ = Host(new DyingSender()).CheckAsync(CancellationToken.None);
        await WaitFor(() => _world.Alert(id).State.Firing);
        _world.Book.Update(id, state => state with { SnoozedUntil = _world.Time.GetUtcNow().AddDays(1) });

        _world.Time.Advance(_world.Options.PostLease);
        await _world.Check();

        Assert.Empty(_world.Slack.Sent);
        Assert.NotNull(_world.Alert(id).State.OwedBy);

        _world.Time.Advance(TimeSpan.FromDays(1));
        var check = await _world.Check();

        Assert.Equal(1, check.Posted);
        Assert.Single(_world.Slack.Sent);
        Assert.Null(_world.Alert(id).State.OwedBy);
    }

    [Theory]
    [InlineData(29, false)]
    [InlineData(30, true)]
    [InlineData(3600, true)]
    [InlineData(3601, false)]
    public void PostLease_MustBeBetweenThirtySecondsAndAnHour(int seconds, bool valid)
    {
        var options = new AlertOptions { PostLease = TimeSpan.FromSeconds(seconds) };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        var ok = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true);

        Assert.Equal(valid, ok);
        if (!valid) Assert.Contains(results, result => result.MemberNames.Contains(nameof(AlertOptions.PostLease)));
    }

    private AlertMonitor Host(IChatSender sender) => new(_world.Book, _world.Engine, _world.Importer, _world.Subscriptions, new Accountability(),
        [sender], _world.Options, TimeZoneInfo.Utc, "USD", _world.Time, NullLogger<AlertMonitor>.Instance, [_world.Audience]);

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }

    /// <summary>A Slack connection whose host dies mid-post: the post never goes out and the call never returns.</summary>
    private sealed class DyingSender : IChatSender
    {
        public ChatPlatform Platform => ChatPlatform.Slack;

        public Task<PostedMessage> SendAsync(ChatAddress address, ChatMessage message, CancellationToken cancellationToken) => new TaskCompletionSource<PostedMessage>().Task;

        public Task<ChatAddress> OpenDirectAsync(string userId, string? workspace, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken cancellationToken) => new TaskCompletionSource().Task;
    }
}
