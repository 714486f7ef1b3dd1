using GrowthBot.Core.Billing;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// The billing connectors' memory in the store's file: applied deliveries (unique <c>_id</c>), the
/// newest change time per object, and each subscription's MRR share (indexed by customer). Billing
/// ids are case-sensitive and LiteDB compares strings ignoring case, so keys are spelled case-safe
/// (<see cref="LiteConversationDirectory.CaseSafe"/>).
/// </summary>
public sealed class LiteBillingLedger : IBillingLedger
{
    internal const string DeliveriesCollection = "billing_deliveries";
    internal const string ObjectsCollection = "billing_objects";
    internal const string SharesCollection = "billing_shares";

    private readonly LiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _deliveries;
    private readonly ILiteCollection<BsonDocument> _objects;
    private readonly ILiteCollection<BsonDocument> _shares;
    private readonly Lock _gate = new();
    // Parsed once, with parameters set per call under _gate: LiteDB parses and compiles a query
    // (FindById's too) on every call, which was most of a webhook batch's reading time.
    private readonly IdLookup _lookup = new();
    private readonly BsonExpression _byCustomer = BsonExpression.Create("customer_key = @0", BsonValue.Null);

    public LiteBillingLedger(LiteGrowthStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _database = store.Database;
        _deliveries = _database.GetCollection(DeliveriesCollection);
        _objects = _database.GetCollection(ObjectsCollection);
        _shares = _database.GetCollection(SharesCollection);
        _shares.EnsureIndex("customer_key");
    }

    public bool HasDelivery(string deliveryId)
    {
        lock (_gate) return _lookup.Find(_deliveries, Key(deliveryId)) is not null;
    }

    public DateTimeOffset? LastObjectTime(string objectId)
    {
        lock (_gate)
        {
            return _lookup.Find(_objects, Key(objectId)) is { } document ? new DateTimeOffset(DateTime.SpecifyKind(document["time"].AsDateTime, DateTimeKind.Utc)) : null;
        }
    }

    public IReadOnlyList<SubscriptionShare> SharesOf(string customerId)
    {
        lock (_gate)
        {
            _byCustomer.Parameters["0"] = Key(customerId);
            return _shares.Find(_byCustomer)
                .Select(document => new SubscriptionShare(document["subscription"].AsString, document["customer"].AsString, document["mrr"].AsDecimal))
                .OrderBy(share => share.SubscriptionId, StringComparer.Ordinal)
                .ToList();
        }
    }

    public bool Record(string deliveryId, string source, string objectId, DateTimeOffset objectTime, IReadOnlyList<SubscriptionShare> shares) =>
        Transaction(() => Insert(new BillingRecord(deliveryId, source, objectId, objectTime, shares ?? throw new ArgumentNullException(nameof(shares)))));

    /// <summary>All of them in one transaction (one disk flush for a webhook batch); a delivery already there is skipped.</summary>
    public void RecordAll(IReadOnlyList<BillingRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        Transaction(() =>
        {
            foreach (var record in records) Insert(record);
            return true;
        });
    }

    private bool Transaction(Func<bool> write)
    {
        lock (_gate)
        {
            _database.BeginTrans();
            try
            {
                var result = write();
                _database.Commit();
                return result;
            }
            catch
            {
                _database.Rollback();
                throw;
            }
        }
    }

    /// <summary>Writes one delivery inside the caller's transaction; false (nothing written) when its id is there already.</summary>
    private bool Insert(BillingRecord record)
    {
        // Looked up, not caught: LiteDB rolls the whole transaction back when an insert inside it fails.
        if (_lookup.Find(_deliveries, Key(record.DeliveryId)) is not null) return false;
        _deliveries.Insert(new BsonDocument { ["_id"] = Key(record.DeliveryId), ["source"] = record.Source, ["object"] = record.ObjectId, ["time"] = record.ObjectTime.UtcDateTime });
        _objects.Upsert(new BsonDocument { ["_id"] = Key(record.ObjectId), ["time"] = record.ObjectTime.UtcDateTime });
        foreach (var share in record.Shares)
        {
            _shares.Upsert(new BsonDocument
            {
                ["_id"] = Key(share.SubscriptionId),
                ["subscription"] = share.SubscriptionId,
                ["customer"] = share.CustomerId,
                ["customer_key"] = Key(share.CustomerId),
                ["mrr"] = share.Mrr,
            });
        }
        return true;
    }

    private static string Key(string id) => LiteConversationDirectory.CaseSafe(id);
}
