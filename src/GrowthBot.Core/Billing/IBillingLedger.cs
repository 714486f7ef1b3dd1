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

    /// <summary>
    /// Records several deliveries, in order (a later one's object time and shares win), ideally in
    /// one transaction; a delivery whose id is there already is skipped. The default records them
    /// one at a time.
    /// </summary>
    void RecordAll(IReadOnlyList<BillingRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records) Record(record.DeliveryId, record.Source, record.ObjectId, record.ObjectTime, record.Shares);
    }
}

/// <summary>One delivery as <see cref="IBillingLedger.RecordAll"/> records it.</summary>
public sealed record BillingRecord(string DeliveryId, string Source, string ObjectId, DateTimeOffset ObjectTime, IReadOnlyList<SubscriptionShare> Shares);
