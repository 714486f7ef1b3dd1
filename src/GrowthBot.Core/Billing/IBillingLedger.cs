namespace GrowthBot.Core.Billing;

/// <summary>
/// What a billing connector must remember between deliveries: which deliveries were applied (a
/// unique key), the time of the newest change applied to each object, and each subscription's
/// current share of its customer's MRR (to sum a customer's several subscriptions).
/// </summary>
public interface IBillingLedger
{
    bool HasDelivery(string deliveryId);

    DateTimeOffset? LastObjectTime(string objectId);

    IReadOnlyList<SubscriptionShare> SharesOf(string customerId);

    /// <summary>
    /// Records the delivery, the object's time and the shares in one transaction; false (nothing
    /// written) when the delivery id is there already.
    /// </summary>
    bool Record(string deliveryId, string source, string objectId, DateTimeOffset objectTime, IReadOnlyList<SubscriptionShare> shares);
}
