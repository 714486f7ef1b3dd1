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

    public LiteSupportLedger(LiteGrowthStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _database = store.Database;
        _deliveries = _database.GetCollection(DeliveriesCollection);
        _tickets = _database.GetCollection(TicketsCollection);
    }

    public TicketMemory? Find(string ticketId)
    {
        if (_tickets.FindById(Key(ticketId)) is not { } document) return null;
        return new TicketMemory(
            document["ticket"].AsString, Time(document["status_at"]), Time(document["resolved_at"]),
            document["replies"].AsArray.Select(reply => reply.AsString).ToList());
    }

    public bool Record(string deliveryId, string source, TicketMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        lock (_gate)
        {
            _database.BeginTrans();
            try
            {
                if (!_deliveries.TryInsert(new BsonDocument { ["_id"] = Key(deliveryId), ["source"] = source, ["ticket"] = memory.TicketId }))
                {
                    _database.Rollback();
                    return false;
                }
                _tickets.Upsert(new BsonDocument
                {
                    ["_id"] = Key(memory.TicketId),
                    ["ticket"] = memory.TicketId,
                    ["status_at"] = memory.StatusAt is { } status ? status.UtcDateTime : BsonValue.Null,
                    ["resolved_at"] = memory.ResolvedAt is { } resolved ? resolved.UtcDateTime : BsonValue.Null,
                    ["replies"] = new BsonArray(memory.ReplyIds.Select(reply => new BsonValue(reply))),
                });
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

    private static DateTimeOffset? Time(BsonValue value) =>
        value.IsNull ? null : new DateTimeOffset(DateTime.SpecifyKind(value.AsDateTime, DateTimeKind.Utc));

    private static string Key(string id) => LiteConversationDirectory.CaseSafe(id);
}
