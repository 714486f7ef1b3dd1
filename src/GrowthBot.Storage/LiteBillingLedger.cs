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

    public LiteBillingLedger(LiteGrowthStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _database = store.Database;
        _deliveries = _database.GetCollection(DeliveriesCollection);
        _objects = _database.GetCollection(ObjectsCollection);
        _shares = _database.GetCollection(SharesCollection);
        _shares.EnsureIndex("customer_key");
    }

    public bool HasDelivery(string deliveryId) => _deliveries.FindById(Key(deliveryId)) is not null;

    public DateTimeOffset? LastObjectTime(string objectId) =>
        _objects.FindById(Key(objectId)) is { } document ? new DateTimeOffset(DateTime.SpecifyKind(document["time"].AsDateTime, DateTimeKind.Utc)) : null;

    public IReadOnlyList<SubscriptionShare> SharesOf(string customerId) =>
        _shares.Find(Query.EQ("customer_key", Key(customerId)))
            .Select(document => new SubscriptionShare(document["subscription"].AsString, document["customer"].AsString, document["mrr"].AsDecimal))
            .OrderBy(share => share.SubscriptionId, StringComparer.Ordinal)
            .ToList();

    public bool Record(string deliveryId, string source, string objectId, DateTimeOffset objectTime, IReadOnlyList<SubscriptionShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        lock (_gate)
        {
            _database.BeginTrans();
            try
            {
                if (!_deliveries.TryInsert(new BsonDocument { ["_id"] = Key(deliveryId), ["source"] = source, ["object"] = objectId, ["time"] = objectTime.UtcDateTime }))
                {
                    _database.Rollback();
                    return false;
                }
                _objects.Upsert(new BsonDocument { ["_id"] = Key(objectId), ["time"] = objectTime.UtcDateTime });
                foreach (var share in shares)
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
                _database.Commit();
                return true;
            }
            catch
            {
                _database.Rollback();
                throw;
            }
        }
    }

    private static string Key(string id) => LiteConversationDirectory.CaseSafe(id);
}
