using GrowthBot.Core.Data;

namespace GrowthBot.Core.Billing;

/// <summary>What one subscription adds to its customer's MRR, in the reporting currency (0 when it is not paying).</summary>
public sealed record SubscriptionShare(string SubscriptionId, string CustomerId, decimal Mrr);

/// <summary>
/// One change from a billing system, already translated at the edge: a customer, a subscription's
/// MRR, a paid order, or a deleted customer. <see cref="DeliveryId"/> identifies the delivery (a
/// webhook event id) so a retry is recognised; <see cref="ObjectTime"/> orders changes of the same
/// object (<see cref="ObjectId"/>), so an older one arriving late never undoes a newer one;
/// <see cref="At"/> is when the change took effect.
/// </summary>
public sealed record BillingChange(string DeliveryId, string Source, string ObjectId, DateTimeOffset ObjectTime, DateTimeOffset At)
{
    public Customer? Customer { get; init; }
    public SubscriptionShare? Subscription { get; init; }
    public Order? Order { get; init; }
    public string? DeletedCustomerId { get; init; }
}

/// <summary>What became of a change.</summary>
public enum BillingOutcome
{
    /// <summary>Written (or found already there, row for row).</summary>
    Applied,
    /// <summary>This delivery was applied before.</summary>
    Duplicate,
    /// <summary>A newer change of the same object was applied already; this one was recorded and ignored.</summary>
    Stale,
}
