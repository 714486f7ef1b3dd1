using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Billing;

/// <summary>
/// Applies billing changes from any connector: rows go through the same <see cref="ImportService"/>
/// as files (so the engine sees them at once), a customer's MRR row is the sum of their
/// subscriptions' shares, a delivery is applied once, and a change older than the newest one
/// applied to its object is ignored. Rows are written before the delivery is recorded: if the
/// process dies in between, the sender's retry writes the same rows again (same keys, so nothing
/// changes) and then records it; the other order could lose a change.
/// Changes are applied one at a time. Webhook requests wait for their turn with
/// <see cref="ApplyAsync"/>, which holds no thread while it waits: a burst of deliveries blocking
/// thread-pool threads on a lock starved the host of the threads that read the next requests, and
/// nearly every delivery of a 200-per-second burst timed out while the CPU sat idle.
/// </summary>
public sealed class BillingIngest(ImportService importer, IBillingLedger ledger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Whether a share of <paramref name="subscriptionId"/> was applied already: a backfill dates a
    /// subscription it sees for the first time from its start, and one already known from now.
    /// </summary>
    public bool KnowsSubscription(string customerId, string subscriptionId)
    {
        _gate.Wait();
        try
        {
            return ledger.SharesOf(customerId).Any(share => string.Equals(share.SubscriptionId, subscriptionId, StringComparison.Ordinal));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Applies a change, blocking the calling thread while another change is applied (the backfill's loop).</summary>
    public BillingOutcome Apply(BillingChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _gate.Wait();
        try
        {
            return ApplyInTurn(change);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Applies a change; while another change is being applied it waits without holding a thread (webhook requests).</summary>
    public async Task<BillingOutcome> ApplyAsync(BillingChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return ApplyInTurn(change);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private BillingOutcome ApplyInTurn(BillingChange change)
    {
        if (ledger.HasDelivery(change.DeliveryId)) return BillingOutcome.Duplicate;
        if (ledger.LastObjectTime(change.ObjectId) is { } newest && change.ObjectTime < newest)
        {
            ledger.Record(change.DeliveryId, change.Source, change.ObjectId, newest, []);
            return BillingOutcome.Stale;
        }
        var batch = new GrowthDataBatch();
        var shares = new List<SubscriptionShare>();
        var at = change.At.UtcDateTime;
        if (change.Customer is { } customer) batch.Customers.Add(customer);
        if (change.Order is { } order) batch.Orders.Add(order);
        if (change.Subscription is { } share)
        {
            var current = ledger.SharesOf(share.CustomerId);
            var before = current.Sum(other => other.Mrr);
            var after = current.Where(other => other.SubscriptionId != share.SubscriptionId).Sum(other => other.Mrr) + share.Mrr;
            if (after != before) batch.Subscriptions.Add(new SubscriptionChange(share.CustomerId, at, after));
            shares.Add(share);
        }
        if (change.DeletedCustomerId is { } deleted)
        {
            var current = ledger.SharesOf(deleted);
            if (current.Any(other => other.Mrr != 0)) batch.Subscriptions.Add(new SubscriptionChange(deleted, at, 0));
            shares.AddRange(current.Select(other => other with { Mrr = 0 }));
        }
        if (batch.Count > 0) importer.Write(batch);
        ledger.Record(change.DeliveryId, change.Source, change.ObjectId, change.ObjectTime, shares);
        return BillingOutcome.Applied;
    }
}
