using GrowthBot.Core.Conversations;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Tests.Questions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.Digests;

/// <summary>Exactly once per channel and period: claims, restarts, retries, failures, catch-up.</summary>
public sealed class DigestDeliveryTests
{
    /// <summary>Monday 23 November 2026, 09:00 in Berlin.</summary>
    private static readonly DateTimeOffset Due = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Due);
    private readonly FakeSubscriptionStore _store = new();
    private readonly FakeSender _slack = new();
    private readonly ListLogger<DigestDelivery> _log = new();
    private readonly DigestOptions _options = new() { RetryDelay = TimeSpan.Zero };

    [Fact]
    public async Task DeliverDue_SendsTheDigestOnce_ASecondFireDoesNothing()
    {
        var subscription = Subscribe("C1");
        var delivery = Delivery();

        Assert.Equal(DeliveryOutcome.Sent, await delivery.DeliverDueAsync(subscription.Id, default));
        Assert.Equal(DeliveryOutcome.AlreadyHandled, await delivery.DeliverDueAsync(subscription.Id, default));
        Assert.Equal(0, await delivery.SweepAsync(default));

        var (address, message) = Assert.Single(_slack.Sent);
        Assert.Equal(new ChatAddress(ChatPlatform.Slack, "C1"), address);
        Assert.StartsWith("Marketing digest — week 47, Nov 16–22", message.FallbackText, StringComparison.Ordinal);
        var record = Assert.Single(_store.Deliveries);
        Assert.Equal((DeliveryState.Sent, "2026-W47", "m1"), (record.State, record.PeriodKey, record.MessageId));
    }

    [Theory]
    [InlineData("de-DE", "Marketing digest — week 47, 16. Nov. – 22. Nov.")]
    [InlineData(null, "Marketing digest — week 47, Nov 16–22")]
    [InlineData("no-such-locale", "Marketing digest — week 47, Nov 16–22")]
    public async Task DeliverDue_WritesTheDigestInTheSubscriptionsLocale(string? locale, string header)
    {
        var subscription = Subscribe("C1") with { Locale = locale };
        _store.Save(subscription);

        await Delivery().DeliverDueAsync(subscription.Id, default);

        Assert.StartsWith(header, Assert.Single(_slack.Sent).Message.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterARestart_TheSentPeriodIsNotSentAgain()
    {
        var subscription = Subscribe("C1");
        await Delivery().DeliverDueAsync(subscription.Id, default);
        _time.Advance(TimeSpan.FromMinutes(3));

        var restarted = Delivery();

        Assert.Equal(0, await restarted.SweepAsync(default));
        Assert.Equal(DeliveryOutcome.AlreadyHandled, await restarted.DeliverDueAsync(subscription.Id, default));
        Assert.Single(_slack.Sent);
    }

    [Fact]
    public async Task Sweep_DigestMissedWhileDown_IsSentOnceWithinGrace_MarkedLate()
    {
        Subscribe("C1");
        _time.SetUtcNow(Due.AddHours(2));
        var delivery = Delivery();

        Assert.Equal(1, await delivery.SweepAsync(default));
        Assert.Equal(0, await delivery.SweepAsync(default));

        var message = Assert.Single(_slack.Sent).Message;
        Assert.Equal("Marketing digest — week 47, Nov 16–22 (late)", Assert.IsType<HeaderBlock>(message.Blocks[0]).Text);
        Assert.Contains("Sent late: it was due Mon Nov 23, 09:00.", message.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_BeyondTheGracePeriod_SendsNothing_AndSaysSo()
    {
        var subscription = Subscribe("C1");
        _time.SetUtcNow(Due.AddHours(7));

        Assert.Equal(0, await Delivery().SweepAsync(default));
        Assert.Equal(DeliveryOutcome.NotDue, await Delivery().DeliverAsync(subscription, Due, null, default));

        Assert.Empty(_slack.Sent);
        Assert.Contains(_log.Lines, line => line.Level == LogLevel.Warning && line.Message.Contains("beyond the grace period", StringComparison.Ordinal) && line.Message.Contains("C1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sweep_OccurrenceBeforeTheSubscription_IsNotOwed()
    {
        Subscribe("C1", subscribedAt: Due.AddMinutes(30));
        _time.SetUtcNow(Due.AddHours(1));

        Assert.Equal(0, await Delivery().SweepAsync(default));
        Assert.Empty(_slack.Sent);
    }

    [Fact]
    public async Task ClaimLeftSendingByARunThatStopped_IsSentByTheNextRun_AndLogged()
    {
        var subscription = Subscribe("C1");
        Assert.True(_store.TryClaim(subscription.Id, "2026-W47", "run-that-crashed", Due).Granted);
        _time.Advance(TimeSpan.FromMinutes(20));

        Assert.Equal(1, await Delivery().SweepAsync(default));

        Assert.Single(_slack.Sent);
        Assert.Equal(2, Assert.Single(_store.Deliveries).Attempts);
        Assert.Contains(_log.Lines, line => line.Level == LogLevel.Warning && line.Message.Contains("run that stopped", StringComparison.Ordinal));
        // The stopped run may have posted it: the platform is asked to look for it under the period's id first.
        Assert.Equal([($"digest:{subscription.Id}:2026-W47", true)], _slack.SendIds);
    }

    [Fact]
    public async Task ClaimHeldByThisRun_IsNotSentTwice()
    {
        var subscription = Subscribe("C1");
        var delivery = Delivery();
        Assert.True(_store.TryClaim(subscription.Id, "2026-W47", delivery.RunId, Due).Granted);

        Assert.Equal(0, await delivery.SweepAsync(default));
        Assert.Equal(DeliveryOutcome.AlreadyHandled, await delivery.DeliverDueAsync(subscription.Id, default));
        Assert.Empty(_slack.Sent);
    }

    [Fact]
    public async Task TransientFailure_IsRetriedWithBackOff_ThenSent()
    {
        var subscription = Subscribe("C1");
        _slack.FailNext("C1", ChatDeliveryFailure.Transient, ChatDeliveryFailure.Transient);
        var options = new DigestOptions { RetryDelay = TimeSpan.FromSeconds(2), Attempts = 3 };

        var sending = Delivery(options).DeliverDueAsync(subscription.Id, default);
        // The back-off waits on the fake clock; move it on until the retries are done (no real waiting).
        for (var step = 0; step < 10_000 && !sending.IsCompleted; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Yield();
        }

        Assert.Equal(DeliveryOutcome.Sent, await sending);
        Assert.Contains(_log.Lines, line => line.Message.Contains("trying again in 00:00:02", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, line => line.Message.Contains("trying again in 00:00:04", StringComparison.Ordinal));
        Assert.Equal(3, _slack.Attempts);
        Assert.Single(_slack.Sent);
        Assert.Equal(2, _log.Lines.Count(line => line.Message.Contains("trying again", StringComparison.Ordinal)));
        // A fresh claim posts straight away; a retry may follow a post the platform took before failing.
        var sendId = $"digest:{subscription.Id}:2026-W47";
        Assert.Equal([(sendId, false), (sendId, true), (sendId, true)], _slack.SendIds);
    }

    [Fact]
    public async Task TransientFailures_BeyondTheAttempts_AreLeftForTheNextSweep_WhichSendsOnce()
    {
        var subscription = Subscribe("C1");
        _slack.FailNext("C1", ChatDeliveryFailure.Transient, ChatDeliveryFailure.Transient, ChatDeliveryFailure.Transient);
        var delivery = Delivery();

        Assert.Equal(DeliveryOutcome.Failed, await delivery.DeliverDueAsync(subscription.Id, default));
        Assert.Equal(DeliveryState.Failed, Assert.Single(_store.Deliveries).State);
        Assert.Contains(_log.Lines, line => line.Message.Contains("left for the next sweep", StringComparison.Ordinal) && line.Message.Contains("C1", StringComparison.Ordinal));

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, await delivery.SweepAsync(default));
        Assert.Equal(0, await delivery.SweepAsync(default));
        Assert.Single(_slack.Sent);
    }

    [Theory]
    [InlineData(ChatDeliveryFailure.ConversationUnavailable, true)]
    [InlineData(ChatDeliveryFailure.Unauthorized, false)]
    [InlineData(ChatDeliveryFailure.Rejected, false)]
    public async Task PermanentFailure_IsLoggedWithTheChannel_AndNotRetried(ChatDeliveryFailure failure, bool pauses)
    {
        var subscription = Subscribe("C-archived");
        _slack.FailNext("C-archived", failure);
        var delivery = Delivery();

        Assert.Equal(DeliveryOutcome.Abandoned, await delivery.DeliverDueAsync(subscription.Id, default));
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await delivery.SweepAsync(default));

        Assert.Equal(1, _slack.Attempts);
        Assert.Equal(DeliveryState.Abandoned, Assert.Single(_store.Deliveries).State);
        Assert.Contains(_log.Lines, line => line.Level == LogLevel.Error && line.Message.Contains("Slack conversation C-archived", StringComparison.Ordinal) && line.Message.Contains(failure.ToString(), StringComparison.Ordinal));
        Assert.Equal(pauses, _store.Find(subscription.Id)!.PausedReason is not null);
    }

    [Fact]
    public async Task PausedSubscription_IsNotTriedAgainNextWeek()
    {
        var subscription = Subscribe("C-gone");
        _slack.FailNext("C-gone", ChatDeliveryFailure.ConversationUnavailable);
        await Delivery().DeliverDueAsync(subscription.Id, default);

        _time.SetUtcNow(Due.AddDays(7));
        var delivery = Delivery();

        Assert.Equal(DeliveryOutcome.Skipped, await delivery.DeliverDueAsync(subscription.Id, default));
        Assert.Equal(0, await delivery.SweepAsync(default));
        Assert.Equal(1, _slack.Attempts);
    }

    [Fact]
    public async Task Sweep_OneSlowOrFailingChannel_DoesNotHoldUpTheOthers()
    {
        foreach (var channel in new[] { "C-slow", "C-broken", "C1", "C2", "C3" }) Subscribe(channel);
        _slack.FailNext("C-broken", ChatDeliveryFailure.ConversationUnavailable);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var othersDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _slack.BeforeSend = address => address.ConversationId == "C-slow" ? gate.Task : Task.CompletedTask;
        _slack.AfterSend = () =>
        {
            if (_slack.Sent.Count == 3) othersDone.TrySetResult();
        };
        _time.SetUtcNow(Due.AddMinutes(1));

        var sweep = Delivery().SweepAsync(default);
        await othersDone.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.False(sweep.IsCompleted);
        Assert.Equal(["C1", "C2", "C3"], _slack.Sent.Select(sent => sent.Address.ConversationId).Order());
        gate.SetResult();
        Assert.Equal(4, await sweep);
    }

    [Fact]
    public async Task Sweep_ASendThatTimesOutUntranslated_FailsOnlyThatDigest_NotLeftSending()
    {
        foreach (var channel in new[] { "C-timeout", "C1", "C2" }) Subscribe(channel);
        // What HttpClient throws on its own timeout: a TaskCanceledException the caller's token did not cause.
        _slack.BeforeSend = address => address.ConversationId == "C-timeout"
            ? Task.FromException(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 30 seconds elapsing.", new TimeoutException()))
            : Task.CompletedTask;
        _time.SetUtcNow(Due.AddMinutes(1));
        var delivery = Delivery();

        var sent = await delivery.SweepAsync(default);

        Assert.Equal(2, sent);
        Assert.Equal(["C1", "C2"], _slack.Sent.Select(item => item.Address.ConversationId).Order());
        var stuck = _store.Deliveries.Single(record => record.SubscriptionId == "s-C-timeout");
        Assert.Equal(DeliveryState.Failed, stuck.State);
        _slack.BeforeSend = null;
        Assert.Equal(1, await delivery.SweepAsync(default));
    }

    [Fact]
    public async Task Delivery_ToAChannelThatBecameShared_IsNotSentAndPausesTheSubscription()
    {
        var subscription = Subscribe("C-connect");
        var audience = new FakeAudience();
        audience.Outside["C-connect"] = "this channel is shared with another organisation (Slack Connect)";

        var outcome = await Delivery(audience: audience).DeliverDueAsync(subscription.Id, default);

        Assert.Equal(DeliveryOutcome.Abandoned, outcome);
        Assert.Empty(_slack.Sent);
        Assert.Contains("Slack Connect", _store.Find(subscription.Id)!.PausedReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delivery_ToASharedChannel_IsSentWhenTheSettingAllowsIt()
    {
        var subscription = Subscribe("C-connect");
        var audience = new FakeAudience();
        audience.Outside["C-connect"] = "shared";

        var outcome = await Delivery(new DigestOptions { RetryDelay = TimeSpan.Zero, AllowOutsideAudiences = true }, audience).DeliverDueAsync(subscription.Id, default);

        Assert.Equal(DeliveryOutcome.Sent, outcome);
    }

    [Fact]
    public async Task ChannelOnAPlatformThisHostCannotReach_IsLoggedAndLeftFailed()
    {
        var subscription = Subscribe("19:abc@thread.tacv2", platform: ChatPlatform.Teams);

        Assert.Equal(DeliveryOutcome.Failed, await Delivery().DeliverDueAsync(subscription.Id, default));

        Assert.Contains(_log.Lines, line => line.Level == LogLevel.Error && line.Message.Contains("19:abc@thread.tacv2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Digest_UsesTheStoredTargets()
    {
        var subscription = Subscribe("C1");
        _store.SetTarget(MetricId.Nps, 45);

        await Delivery().DeliverDueAsync(subscription.Id, default);

        Assert.Contains("target +45", Assert.Single(_slack.Sent).Message.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_HostStopping_FinishesTheDigestBeingSent_AndStartsNoOther()
    {
        Subscribe("C1");
        Subscribe("C2");
        _time.SetUtcNow(Due.AddHours(1));
        var slow = new SlowSender();
        var delivery = Delivery(new DigestOptions { RetryDelay = TimeSpan.Zero, Parallelism = 1 }, sender: slow);
        using var stopping = new CancellationTokenSource();

        var sweep = delivery.SweepAsync(stopping.Token);
        await slow.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await stopping.CancelAsync();            // the host stops while the first digest is being posted
        slow.Release.SetResult();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sweep);

        // The one being posted was posted and recorded; the other was not started and stays due for the next start.
        var sent = Assert.Single(slow.Sent);
        var record = Assert.Single(_store.Deliveries);
        Assert.Equal((DeliveryState.Sent, sent.ConversationId), (record.State, record.SubscriptionId["s-".Length..]));
        Assert.Equal(1, await Delivery().SweepAsync(default));
    }

    private DigestSubscription Subscribe(string channel, DateTimeOffset? subscribedAt = null, ChatPlatform platform = ChatPlatform.Slack)
    {
        var subscription = new DigestSubscription($"s-{channel}", platform, channel, Team.Marketing, [], DigestSchedule.Default, "Europe/Berlin", "U0STAFF",
            subscribedAt ?? Due.AddDays(-30));
        _store.Save(subscription);
        return subscription;
    }

    /// <summary>A platform slow to take a post, which (like an HTTP client) gives up when its caller cancels.</summary>
    private sealed class SlowSender : IChatSender
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<ChatAddress> Sent { get; } = [];

        public ChatPlatform Platform => ChatPlatform.Slack;

        public async Task<PostedMessage> SendAsync(ChatAddress address, ChatMessage message, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            lock (Sent) Sent.Add(address);
            return new PostedMessage(address, "m1");
        }

        public Task<ChatAddress> OpenDirectAsync(string userId, string? workspace, CancellationToken cancellationToken) => Task.FromResult(new ChatAddress(ChatPlatform.Slack, "D-" + userId));

        public Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private DigestDelivery Delivery(DigestOptions? options = null, IConversationAudience? audience = null, IChatSender? sender = null)
    {
        var engine = new FakeMetricEngine();
        var period = DigestCalendar.PeriodFor(DigestSchedule.Default, DigestCalendarTests.Berlin, Due);
        engine.Results[(MetricId.Nps, period.From)] = new Formulas.MetricResult(40, 40, 100, 100, 9);
        var composer = new DigestComposer(engine, new FakeComments(), new FakeChart(), options ?? _options, "USD", _time);
        return new DigestDelivery(_store, composer, engine, new Accountability(), [sender ?? _slack], Options.Create(options ?? _options), _time, _log, audience is null ? [] : [audience]);
    }
}
