using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Billing;

/// <summary>
/// Applies billing changes from any connector: rows go through the same <see cref="ImportService"/>
/// as files (so the engine sees them at once), a customer's MRR row is the sum of their
/// subscriptions' shares, a delivery is applied once, and a change older than the newest one
/// applied to its object is ignored. Rows are written before the deliveries are recorded: if the
/// process dies in between, the sender's retry writes the same rows again (same keys, so nothing
/// changes) and then records it; the other order could lose a change.
/// <para>
/// Changes go through group commit (<see cref="GroupCommit{TItem, TResult}"/>): those that arrive
/// while a batch is written are applied together in the next one, as one store transaction, one
/// engine apply and one ledger transaction, where one each per change cost a disk flush each and
/// capped webhooks at a few hundred a second. Within a batch the changes are decided in arrival
/// order against the ledger plus the batch's own earlier changes, so a batch gives exactly what
/// applying its changes one at a time would: a delivery seen earlier in the batch is a duplicate, a
/// change older than an earlier one of the same object is stale, and shares add up across the
/// batch. Each caller's task completes once its batch is committed.
/// </para>
/// </summary>
public sealed class BillingIngest : IDisposable
{
    /// <summary>The most changes applied together: enough to absorb a second's burst, small enough that one batch commits in milliseconds.</summary>
    internal const int MaxBatch = 256;

    private readonly ImportService _importer;
    private readonly IBillingLedger _ledger;
    private readonly GroupCommit<BillingChange, BillingOutcome> _writes;

    public BillingIngest(ImportService importer, IBillingLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(importer);
        ArgumentNullException.ThrowIfNull(ledger);
        _importer = importer;
        _ledger = ledger;
        _writes = new GroupCommit<BillingChange, BillingOutcome>(Commit, MaxBatch);
    }

    /// <summary>Raised after each batch commit attempt with its size (tests and benches watch it).</summary>
    internal event Action<int>? Committed
    {
        add => _writes.Committed += value;
        remove => _writes.Committed -= value;
    }

    /// <summary>
    /// Whether a share of <paramref name="subscriptionId"/> was applied already: a backfill dates a
    /// subscription it sees for the first time from its start, and one already known from now.
    /// </summary>
    public bool KnowsSubscription(string customerId, string subscriptionId) =>
        _ledger.SharesOf(customerId).Any(share => string.Equals(share.SubscriptionId, subscriptionId, StringComparison.Ordinal));

    /// <summary>
    /// Applies a change with the others queued meanwhile; completes once it is committed (faults,
    /// and nothing of it is recorded, if it could not be). Waiting holds no thread.
    /// </summary>
    public Task<BillingOutcome> ApplyAsync(BillingChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _writes.CommitAsync(change);
    }

    public void Dispose() => _writes.Dispose();

    private BillingOutcome[] Commit(IReadOnlyList<BillingChange> changes)
    {
        var outcomes = new BillingOutcome[changes.Count];
        var state = new BatchState(_ledger);
        var rows = new GrowthDataBatch();
        var customers = new Dictionary<string, int>(StringComparer.Ordinal);
        var orders = new Dictionary<string, int>(StringComparer.Ordinal);
        var records = new List<BillingRecord>(changes.Count);
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            if (!state.FirstTime(change.DeliveryId))
            {
                outcomes[i] = BillingOutcome.Duplicate;
                continue;
            }
            if (state.NewestOf(change.ObjectId) is { } newest && change.ObjectTime < newest)
            {
                records.Add(new BillingRecord(change.DeliveryId, change.Source, change.ObjectId, newest, []));
                outcomes[i] = BillingOutcome.Stale;
                continue;
            }
            state.Saw(change.ObjectId, change.ObjectTime);
            var at = change.At.UtcDateTime;
            var recorded = new List<SubscriptionShare>();
            // A later version of the same row replaces the earlier one in place (it is the newer: stale ones stopped above).
            if (change.Customer is { } customer) Put(rows.Customers, customers, customer.Id, customer);
            if (change.Order is { } order) Put(rows.Orders, orders, order.Id, order);
            if (change.Subscription is { } share)
            {
                var current = state.SharesOf(share.CustomerId);
                var before = current.Sum(other => other.Mrr);
                current.RemoveAll(other => other.SubscriptionId == share.SubscriptionId);
                current.Add(share);
                var after = current.Sum(other => other.Mrr);
                if (after != before) rows.Subscriptions.Add(new SubscriptionChange(share.CustomerId, at, after));
                recorded.Add(share);
            }
            if (change.DeletedCustomerId is { } deleted)
            {
                var current = state.SharesOf(deleted);
                if (current.Any(other => other.Mrr != 0)) rows.Subscriptions.Add(new SubscriptionChange(deleted, at, 0));
                for (var s = 0; s < current.Count; s++) current[s] = current[s] with { Mrr = 0 };
                recorded.AddRange(current);
            }
            records.Add(new BillingRecord(change.DeliveryId, change.Source, change.ObjectId, change.ObjectTime, recorded));
            outcomes[i] = BillingOutcome.Applied;
        }
        if (rows.Count > 0) _importer.Write(rows);
        if (records.Count > 0) _ledger.RecordAll(records);
        return outcomes;
    }

    private static void Put<T>(List<T> rows, Dictionary<string, int> positions, string id, T row)
    {
        if (positions.TryGetValue(id, out var position))
        {
            rows[position] = row;
            return;
        }
        positions.Add(id, rows.Count);
        rows.Add(row);
    }

    /// <summary>The ledger as it will be once the batch's earlier changes are recorded: read once per key, then kept.</summary>
    private sealed class BatchState(IBillingLedger ledger)
    {
        private readonly HashSet<string> _deliveries = new(StringComparer.Ordinal);
        private readonly Dictionary<string, DateTimeOffset?> _newest = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<SubscriptionShare>> _shares = new(StringComparer.Ordinal);

        public bool FirstTime(string deliveryId) => _deliveries.Add(deliveryId) && !ledger.HasDelivery(deliveryId);

        public DateTimeOffset? NewestOf(string objectId)
        {
            if (!_newest.TryGetValue(objectId, out var newest)) _newest[objectId] = newest = ledger.LastObjectTime(objectId);
            return newest;
        }

        public void Saw(string objectId, DateTimeOffset time) => _newest[objectId] = time;

        public List<SubscriptionShare> SharesOf(string customerId)
        {
            if (!_shares.TryGetValue(customerId, out var shares)) _shares[customerId] = shares = [.. ledger.SharesOf(customerId)];
            return shares;
        }
    }
}
