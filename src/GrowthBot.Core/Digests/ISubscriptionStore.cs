using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Digests;

/// <summary>Where a delivery of one subscription's digest for one period stands.</summary>
public enum DeliveryState
{
    /// <summary>Claimed by a process that is sending it (or was, when it stopped).</summary>
    Sending,

    /// <summary>Posted; <see cref="DeliveryRecord.MessageId"/> is the platform's id.</summary>
    Sent,

    /// <summary>Failed in a way worth trying again later (rate limit, platform error).</summary>
    Failed,

    /// <summary>Failed in a way that trying again cannot fix (channel gone, bot removed, refused).</summary>
    Abandoned,
}

/// <summary>
/// One line of the delivery log, keyed by subscription and period key. <see cref="Owner"/> is
/// the process run that claimed it, so a claim left <see cref="DeliveryState.Sending"/> by a run
/// that died can be told from one in flight.
/// </summary>
public sealed record DeliveryRecord(
    string SubscriptionId,
    string PeriodKey,
    DeliveryState State,
    string Owner,
    int Attempts,
    DateTimeOffset UpdatedAt,
    string? MessageId = null,
    string? Error = null);

/// <summary>The result of trying to claim a delivery: whether this run may send it, and what was there before.</summary>
public sealed record DeliveryClaim(bool Granted, DeliveryRecord Record, DeliveryRecord? Previous);

/// <summary>
/// The durable side of digests: subscriptions, metric targets and the delivery log that makes
/// each (subscription, period) go out once.
/// </summary>
public interface ISubscriptionStore
{
    IReadOnlyList<DigestSubscription> All();

    DigestSubscription? Find(string id);

    IReadOnlyList<DigestSubscription> ForConversation(ChatPlatform platform, string conversationId);

    /// <summary>Adds or replaces a subscription (by id).</summary>
    void Save(DigestSubscription subscription);

    /// <summary>Removes a subscription; false if there was none with that id.</summary>
    bool Remove(string id);

    /// <summary>The targets set with "target METRIC VALUE".</summary>
    IReadOnlyDictionary<MetricId, decimal> Targets();

    /// <summary>Sets (or with null clears) a metric's target.</summary>
    void SetTarget(MetricId metric, decimal? value);

    DeliveryRecord? Delivery(string subscriptionId, string periodKey);

    /// <summary>
    /// Atomically claims (subscription, period) for <paramref name="owner"/>: granted when nothing
    /// is recorded, when the last attempt <see cref="DeliveryState.Failed"/>, or when a different
    /// owner left it <see cref="DeliveryState.Sending"/> (a run that stopped mid-send); refused
    /// when it was sent or abandoned, or is being sent by this owner.
    /// </summary>
    DeliveryClaim TryClaim(string subscriptionId, string periodKey, string owner, DateTimeOffset now);

    /// <summary>
    /// <see cref="TryClaim(string, string, string, DateTimeOffset)"/> on a store several hosts share: a
    /// <see cref="DeliveryState.Sending"/> claim of a different owner may be another live host sending it
    /// right now, so it is taken over only once it is <paramref name="takeOverAfter"/> old (its host died
    /// mid-send), and two hosts taking it over at once get one grant between them. A store only one
    /// process opens (LiteDB, behind its file lock) knows every other owner has stopped, so the default
    /// ignores the lease.
    /// </summary>
    DeliveryClaim TryClaim(string subscriptionId, string periodKey, string owner, DateTimeOffset now, TimeSpan takeOverAfter) =>
        TryClaim(subscriptionId, periodKey, owner, now);

    /// <summary>Records the outcome of a claimed delivery.</summary>
    void Complete(string subscriptionId, string periodKey, DeliveryState state, DateTimeOffset now, string? messageId = null, string? problem = null);
}
