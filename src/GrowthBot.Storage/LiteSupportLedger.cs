using GrowthBot.Core.Support;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// The support connectors' memory in the store's file: applied deliveries (unique <c>_id</c>, so a
/// second insert of the same delivery fails instead of being checked for first) and each ticket's
/// status time, resolution time and public agent replies. Ids are spelled case-safe, as LiteDB
/// compares strings ignoring case (<see cref="LiteConversationDirectory.CaseSafe"/>).
/// </summary>
public sealed class LiteSupportLedger : ISupportLedger
{
    internal const string DeliveriesCollection = "support_deliveries";
    internal const string TicketsCollection = "support_tickets";

    private readonly LiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _deliveries;
    private readonly ILiteCollection<BsonDocument> _tickets;
    private readonly Lock _gate = new();
    // Parsed once (LiteDB's FindById parses and compiles its query on every call); used under _gate.
    private readonly IdLookup _lookup = new();

    public LiteSupportLedger(LiteGrowthStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _database = store.Database;
        _deliveries = _database.GetCollection(DeliveriesCollection);
        _tickets = _database.GetCollection(TicketsCollection);
    }

    public TicketMemory? Find(string ticketId)
    {
        BsonDocument? document;
        lock (_gate) document = _lookup.Find(_tickets, Key(ticketId));
        if (document is null) return null;
        return new TicketMemory(
            document["ticket"].AsString, Time(document["status_at"]), Time(document["resolved_at"]),
            document["replies"].AsArray.Select(reply => reply.AsString).ToList());
    }

    public bool Record(string deliveryId, string source, TicketMemory memory) =>
        RecordAll([new SupportRecord(deliveryId, source, memory ?? throw new ArgumentNullException(nameof(memory)))])[0];

    /// <summary>All of them in one transaction (one disk flush for a webhook batch); false for each delivery already there (nothing of it written).</summary>
    public bool[] RecordAll(IReadOnlyList<SupportRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_gate)
        {
            _database.BeginTrans();
            try
            {
                var recorded = records.Select(Insert).ToArray();
                _database.Commit();
                return recorded;
            }
            catch
            {
                _database.Rollback();
                throw;
            }
        }
    }

    private bool Insert(SupportRecord record)
    {
        var memory = record.Memory;
        // Looked up, not caught: LiteDB rolls the whole transaction back when an insert inside it fails.
        if (_lookup.Find(_deliveries, Key(record.DeliveryId)) is not null) return false;
        _deliveries.Insert(new BsonDocument { ["_id"] = Key(record.DeliveryId), ["source"] = record.Source, ["ticket"] = memory.TicketId });
        _tickets.Upsert(new BsonDocument
        {
            ["_id"] = Key(memory.TicketId),
            ["ticket"] = memory.TicketId,
            ["status_at"] = memory.StatusAt is { } status ? status.UtcDateTime : BsonValue.Null,
            ["resolved_at"] = memory.ResolvedAt is { } resolved ? resolved.UtcDateTime : BsonValue.Null,
            ["replies"] = new BsonArray(memory.ReplyIds.Select(reply => new BsonValue(reply))),
        });
        return true;
    }

    private static DateTimeOffset? Time(BsonValue value) =>
        value.IsNull ? null : new DateTimeOffset(DateTime.SpecifyKind(value.AsDateTime, DateTimeKind.Utc));

    private static string Key(string id) => LiteConversationDirectory.CaseSafe(id);
}
