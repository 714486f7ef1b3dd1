using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Core.Digests;

/// <summary>What became of one attempt to deliver a subscription's digest.</summary>
public enum DeliveryOutcome
{
    Sent,

    /// <summary>Already sent, abandoned, or being sent by this run: nothing done.</summary>
    AlreadyHandled,

    /// <summary>Nothing due: the occurrence is before the subscription, or beyond the grace period.</summary>
    NotDue,

    /// <summary>The subscription is paused (its conversation is gone) or was removed.</summary>
    Skipped,

    /// <summary>A transient failure; the next sweep tries again within the grace period.</summary>
    Failed,

    /// <summary>A failure retrying cannot fix; logged with the conversation named.</summary>
    Abandoned,
}

/// <summary>
/// Sends digests exactly once per subscription and period. Before sending, the (subscription,
/// period) pair is claimed in the delivery log in one step, so a second trigger, a sweep or a
/// restart finds it taken; after sending it is marked sent with the message id. Transient
/// platform failures are retried with back-off a few times and then left to the next sweep;
/// permanent ones are logged with the conversation named, and a conversation that is gone pauses
/// its subscription. Sweeps deliver what is due but not delivered (missed while the host was down,
/// failed, interrupted) within the grace period, marked late, several conversations at once so one
/// slow or failing channel never holds up the others.
/// </summary>
/// <remarks>
/// The window left: a post the platform accepted just before the process died, before "sent" was
/// written. The claim is then left "sending" by a run that no longer exists, and the next run (or
/// host) resumes it (logged as a resumed delivery), sending it under the period's send id with
/// <see cref="IChatSender.SendOnceAsync"/>: Slack finds the post already in the channel and does not
/// post it again; Teams, which gives a bot no way to read a conversation back, posts it a second time.
/// The window is the length of one send call; a graceful stop waits for running deliveries (the
/// host's scheduler does).
/// </remarks>
public sealed partial class DigestDelivery(
    ISubscriptionStore store,
    DigestComposer composer,
    IMetricEngine engine,
    Accountability accountability,
    IEnumerable<IChatSender> senders,
    IOptions<DigestOptions> options,
    TimeProvider time,
    ILogger<DigestDelivery> logger,
    IEnumerable<IConversationAudience>? audiences = null,
    Operations.InFlightWork? inFlight = null,
    Operations.GrowthBotMetrics? metrics = null)
{
    /// <summary>The kind of work <see cref="Operations.InFlightWork"/> counts while a digest is being delivered.</summary>
    public const string WorkKind = "digest";

    private readonly Dictionary<ChatPlatform, IConversationAudience> _audiences = (audiences ?? []).ToDictionary(audience => audience.Platform);

    /// <summary>A digest sent more than this after its time says it is late.</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromMinutes(10);

    private readonly Dictionary<ChatPlatform, IChatSender> _senders = senders.ToDictionary(sender => sender.Platform);
    private readonly DigestOptions _options = options.Value;

    /// <summary>This process run's id in the delivery log, to tell its claims from those of a run that stopped.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Delivers the occurrence of the subscription's schedule that is due now (what its trigger fires for).</summary>
    public Task<DeliveryOutcome> DeliverDueAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        var subscription = store.Find(subscriptionId);
        if (subscription is null)
        {
            LogUnknownSubscription(subscriptionId);
            return Task.FromResult(DeliveryOutcome.Skipped);
        }
        var due = DigestCalendar.Last(subscription.Schedule, subscription.Zone(), time.GetUtcNow());
        return DeliverAsync(subscription, due, null, cancellationToken);
    }

    /// <summary>
    /// Delivers every digest that is due within the grace period and not yet delivered, a few
    /// conversations at once; returns how many were sent.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = new List<(DigestSubscription Subscription, DateTimeOffset Due)>();
        foreach (var subscription in store.All())
        {
            if (subscription.PausedReason is not null || !TryZone(subscription, out var zone)) continue;
            var occurrence = DigestCalendar.Last(subscription.Schedule, zone, now);
            if (occurrence < subscription.SubscribedAt || now - occurrence > _options.GracePeriod) continue;
            var record = store.Delivery(subscription.Id, DigestCalendar.PeriodFor(subscription.Schedule, zone, occurrence).Key);
            if (record is null || record.State == DeliveryState.Failed || (record.State == DeliveryState.Sending && record.Owner != RunId)) due.Add((subscription, occurrence));
        }
        if (due.Count == 0) return 0;
        LogSweep(due.Count);
        var cache = new MetricAnswerCache(engine);
        var sent = 0;
        // Not Parallel.ForEachAsync's own token: cancelling it would cut off the deliveries already
        // sending. Stopping (the caller's token) only keeps new ones from starting.
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism }, async (item, _) =>
        {
            if (cancellationToken.IsCancellationRequested) return;
            if (await DeliverAsync(item.Subscription, item.Due, cache, CancellationToken.None).ConfigureAwait(false) == DeliveryOutcome.Sent) Interlocked.Increment(ref sent);
        }).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return sent;
    }

    /// <summary>
    /// Delivers one subscription's digest for the occurrence <paramref name="due"/>, once. Once
    /// started it runs to the end even while the host stops (a post cut off half-way may reach the
    /// channel unrecorded and be posted again), until <paramref name="cancellationToken"/> or the
    /// host's shutdown timeout (<see cref="Operations.InFlightWork.Abandoned"/>) cancels it.
    /// </summary>
    public async Task<DeliveryOutcome> DeliverAsync(DigestSubscription subscription, DateTimeOffset due, MetricAnswerCache? cache, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        using var working = inFlight?.Begin(WorkKind);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, inFlight?.Abandoned ?? CancellationToken.None);
        var outcome = await DeliverOnceAsync(subscription, due, cache, either.Token).ConfigureAwait(false);
        if (outcome == DeliveryOutcome.Sent) metrics?.DigestDelivered(subscription.Platform);
        else if (outcome is DeliveryOutcome.Failed or DeliveryOutcome.Abandoned) metrics?.DigestFailed(subscription.Platform);
        return outcome;
    }

    private async Task<DeliveryOutcome> DeliverOnceAsync(DigestSubscription subscription, DateTimeOffset due, MetricAnswerCache? cache, CancellationToken cancellationToken)
    {
        if (subscription.PausedReason is not null || !TryZone(subscription, out var zone)) return DeliveryOutcome.Skipped;
        var now = time.GetUtcNow();
        if (due < subscription.SubscribedAt) return DeliveryOutcome.NotDue;
        var period = DigestCalendar.PeriodFor(subscription.Schedule, zone, due);
        if (now - due > _options.GracePeriod)
        {
            LogMissed(subscription.Id, period.Key, subscription.Platform, subscription.ConversationId, due);
            return DeliveryOutcome.NotDue;
        }
        var claim = store.TryClaim(subscription.Id, period.Key, RunId, now, _options.ClaimLease);
        if (!claim.Granted) return DeliveryOutcome.AlreadyHandled;
        if (claim.Previous is { State: DeliveryState.Sending } interrupted)
        {
            LogResuming(subscription.Id, period.Key, subscription.Platform, subscription.ConversationId, interrupted.UpdatedAt);
        }

        var late = now - due > LateAfter;
        Digest digest;
        try
        {
            var request = new DigestRequest(subscription.Subject, subscription.MetricsToReport(accountability), period, store.Targets(),
                late ? DigestMode.Late : DigestMode.Scheduled, due, Text.AnswerCulture.Resolve(subscription.Locale));
            digest = composer.Compose(request, cache);
        }
#pragma warning disable CA1031 // A digest that cannot be composed is logged and left for the next sweep; it must not stop the others.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            store.Complete(subscription.Id, period.Key, DeliveryState.Failed, time.GetUtcNow(), problem: exception.Message);
            LogComposeFailed(exception, subscription.Id, period.Key, subscription.Platform, subscription.ConversationId);
            return DeliveryOutcome.Failed;
        }

        if (!_senders.TryGetValue(subscription.Platform, out var sender))
        {
            store.Complete(subscription.Id, period.Key, DeliveryState.Failed, time.GetUtcNow(), problem: $"no {subscription.Platform} adapter in this host");
            LogNoSender(subscription.Id, subscription.Platform, subscription.ConversationId);
            return DeliveryOutcome.Failed;
        }
        if (await OutsideAudienceAsync(subscription, cancellationToken).ConfigureAwait(false) is { } outside)
        {
            // The channel became shared (Slack Connect) or has guests since it subscribed: internal metrics must not go there.
            store.Complete(subscription.Id, period.Key, DeliveryState.Abandoned, time.GetUtcNow(), problem: outside);
            store.Save(subscription with { PausedReason = outside });
            LogOutsideAudience(subscription.Id, subscription.Platform, subscription.ConversationId, outside);
            return DeliveryOutcome.Abandoned;
        }
        return await SendAsync(subscription, period, digest, sender, late, claim.Previous is { State: DeliveryState.Sending }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The id a digest is sent under, the same on every attempt and every host: its subscription and period.</summary>
    private static string SendId(DigestSubscription subscription, DigestPeriod period) => $"digest:{subscription.Id}:{period.Key}";

    /// <summary>Why people outside the company can read the subscription's conversation, or null when only staff can (or outside audiences are allowed).</summary>
    private async Task<string?> OutsideAudienceAsync(DigestSubscription subscription, CancellationToken cancellationToken)
    {
        if (_options.AllowOutsideAudiences || !_audiences.TryGetValue(subscription.Platform, out var audience)) return null;
        try
        {
            var checkedAudience = await audience.CheckAsync(subscription.Address, cancellationToken).ConfigureAwait(false);
            return checkedAudience.OnlyStaff ? null : checkedAudience.Reason ?? "people outside the company can read this conversation";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // An audience that cannot be checked is not a reason to stop the sweep; the platform adapter fails closed itself.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return $"who can read it could not be checked ({exception.Message})";
        }
    }

    /// <summary>
    /// Sends the digest, retrying transient failures. <paramref name="resumed"/>: an interrupted run's claim was taken
    /// over, so its post may be in the conversation already; a retry after a failure may have been too.
    /// </summary>
    private async Task<DeliveryOutcome> SendAsync(DigestSubscription subscription, DigestPeriod period, Digest digest, IChatSender sender, bool late, bool resumed, CancellationToken cancellationToken)
    {
        var delay = _options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var posted = await sender.SendOnceAsync(subscription.Address, digest.Message, SendId(subscription, period), resumed || attempt > 1, cancellationToken).ConfigureAwait(false);
                store.Complete(subscription.Id, period.Key, DeliveryState.Sent, time.GetUtcNow(), posted.MessageId);
                LogSent(subscription.Id, period.Key, subscription.Platform, subscription.ConversationId, posted.MessageId, late);
                return DeliveryOutcome.Sent;
            }
            catch (ChatDeliveryException exception) when (exception.IsTransient && attempt < _options.Attempts)
            {
                LogRetrying(subscription.Platform, subscription.ConversationId, period.Key, attempt, delay, exception.Message);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay *= 2;
            }
            catch (ChatDeliveryException exception) when (exception.IsTransient)
            {
                store.Complete(subscription.Id, period.Key, DeliveryState.Failed, time.GetUtcNow(), problem: exception.Message);
                LogGaveUpForNow(subscription.Platform, subscription.ConversationId, subscription.Id, period.Key, attempt, exception.Message);
                return DeliveryOutcome.Failed;
            }
            catch (ChatDeliveryException exception)
            {
                store.Complete(subscription.Id, period.Key, DeliveryState.Abandoned, time.GetUtcNow(), problem: $"{exception.Failure}: {exception.Message}");
                LogAbandoned(subscription.Platform, subscription.ConversationId, subscription.Id, period.Key, exception.Failure, exception.Message);
                if (exception.Failure == ChatDeliveryFailure.ConversationUnavailable)
                {
                    // Archived, deleted or the bot removed: stop trying until someone subscribes there again.
                    store.Save(subscription with { PausedReason = exception.Message });
                    LogPaused(subscription.Id, subscription.Platform, subscription.ConversationId);
                }
                return DeliveryOutcome.Abandoned;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The host is stopping: the claim stays "sending" for this run and the next run resumes it.
                throw;
            }
#pragma warning disable CA1031 // Anything else a sender throws (a timeout it did not translate, a bug) fails this delivery only: recorded, retried by the next sweep, never left "sending" and never cancelling the sweep's other digests.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                store.Complete(subscription.Id, period.Key, DeliveryState.Failed, time.GetUtcNow(), problem: exception.Message);
                LogUnexpectedFailure(exception, subscription.Platform, subscription.ConversationId, subscription.Id, period.Key);
                return DeliveryOutcome.Failed;
            }
        }
    }

    private bool TryZone(DigestSubscription subscription, out TimeZoneInfo zone)
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById(subscription.TimeZone, out zone!)) return true;
        LogUnknownZone(subscription.Id, subscription.TimeZone, subscription.Platform, subscription.ConversationId);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest {Subscription} for {Period} sent to {Platform} conversation {Conversation} as {MessageId} (late: {Late})")]
    private partial void LogSent(string subscription, string period, ChatPlatform platform, string conversation, string messageId, bool late);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivering {Count} digests that are due and not yet delivered")]
    private partial void LogSweep(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Digest {Subscription} for {Period} to {Platform} conversation {Conversation} was being sent by a run that stopped at {ClaimedAt}; sending it again (if that post had reached the platform, it now appears twice)")]
    private partial void LogResuming(string subscription, string period, ChatPlatform platform, string conversation, DateTimeOffset claimedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Digest {Subscription} for {Period} to {Platform} conversation {Conversation} was due at {Due}, beyond the grace period; it is not sent")]
    private partial void LogMissed(string subscription, string period, ChatPlatform platform, string conversation, DateTimeOffset due);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Posting the digest for {Period} to {Platform} conversation {Conversation} failed (attempt {Attempt}: {Reason}); trying again in {Delay}")]
    private partial void LogRetrying(ChatPlatform platform, string conversation, string period, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Posting the digest to {Platform} conversation {Conversation} failed {Attempts} times ({Reason}); subscription {Subscription}, period {Period} is left for the next sweep")]
    private partial void LogGaveUpForNow(ChatPlatform platform, string conversation, string subscription, string period, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The digest cannot be posted to {Platform} conversation {Conversation} (subscription {Subscription}, period {Period}): {Failure}, {Reason}")]
    private partial void LogAbandoned(ChatPlatform platform, string conversation, string subscription, string period, ChatDeliveryFailure failure, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Posting the digest to {Platform} conversation {Conversation} failed unexpectedly; subscription {Subscription}, period {Period} is left for the next sweep")]
    private partial void LogUnexpectedFailure(Exception exception, ChatPlatform platform, string conversation, string subscription, string period);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Subscription} is paused: {Platform} conversation {Conversation} can be read by people outside the company ({Reason}); set Digests__AllowOutsideAudiences=true to allow it")]
    private partial void LogOutsideAudience(string subscription, ChatPlatform platform, string conversation, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Subscription} is paused: {Platform} conversation {Conversation} is no longer reachable; subscribing there again resumes it")]
    private partial void LogPaused(string subscription, ChatPlatform platform, string conversation);

    [LoggerMessage(Level = LogLevel.Error, Message = "Composing digest {Subscription} for {Period} ({Platform} conversation {Conversation}) failed; the next sweep tries again")]
    private partial void LogComposeFailed(Exception exception, string subscription, string period, ChatPlatform platform, string conversation);

    [LoggerMessage(Level = LogLevel.Error, Message = "Digest {Subscription} is for {Platform} conversation {Conversation}, but this host has no adapter for that platform")]
    private partial void LogNoSender(string subscription, ChatPlatform platform, string conversation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Digest subscription {Subscription} no longer exists; its trigger fired anyway")]
    private partial void LogUnknownSubscription(string subscription);

    [LoggerMessage(Level = LogLevel.Error, Message = "Digest {Subscription} for {Platform} conversation {Conversation} names time zone {Zone}, which this machine does not know")]
    private partial void LogUnknownZone(string subscription, string zone, ChatPlatform platform, string conversation);
}
