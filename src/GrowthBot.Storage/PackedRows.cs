using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// One kind of row (orders, tickets or survey responses) kept twice in the store, in the same
/// transactions: one document per row in <see cref="RowsCollection"/> (the id → row lookup that
/// keeps ids unique and serves the queries by date) and one document per customer in
/// <see cref="PackedCollection"/> holding that customer's rows as parallel arrays, one per field.
/// Only the packed copy is read at start: LiteDB's cost is mostly per document, so a customer's
/// rows cost about as much to read as one of them did.
/// </summary>
internal sealed class PackedRows
{
    /// <summary>The field of the packed document holding the rows' ids; the document's own id is the customer's.</summary>
    private const string Ids = "i";

    // The row documents' fields (as BsonRows writes them) other than _id and "customer".
    private readonly string[] _fields;
    private readonly Action<BsonDocument, IGrowthDataSink> _read;

    private PackedRows(string what, string rowsCollection, string packedCollection, string[] fields, Action<BsonDocument, IGrowthDataSink> read)
    {
        What = what;
        RowsCollection = rowsCollection;
        PackedCollection = packedCollection;
        _fields = fields;
        _read = read;
    }

    public static PackedRows Orders { get; } = new("order", LiteGrowthStore.OrdersCollection, "customer_orders", ["at", "amount"], ReadOrders);

    public static PackedRows Tickets { get; } = new("ticket", LiteGrowthStore.TicketsCollection, "customer_tickets", ["opened_at", "resolved_at", "contacts"], ReadTickets);

    public static PackedRows Responses { get; } = new("response", LiteGrowthStore.ResponsesCollection, "customer_responses", ["survey", "score", "comment", "at"], ReadResponses);

    public static IReadOnlyList<PackedRows> All { get; } = [Orders, Tickets, Responses];

    /// <summary>What a row is called in an error ("order").</summary>
    public string What { get; }

    /// <summary>One document per row, keyed by the row's id.</summary>
    public string RowsCollection { get; }

    /// <summary>One document per customer, keyed by the customer's id.</summary>
    public string PackedCollection { get; }

    /// <summary>The customer a row document belongs to.</summary>
    public static string CustomerOf(BsonDocument row) => row["customer"].AsString;

    /// <summary>The packed document of one customer's rows (row documents as <see cref="BsonRows"/> writes them).</summary>
    public BsonDocument Pack(string customerId, IEnumerable<BsonDocument> rows)
    {
        var packed = Empty(customerId);
        foreach (var row in rows) Append(packed, row);
        return packed;
    }

    /// <summary>A packed document with no rows yet.</summary>
    public BsonDocument Empty(string customerId)
    {
        var packed = new BsonDocument { ["_id"] = customerId, [Ids] = new BsonArray() };
        foreach (var field in _fields) packed[field] = new BsonArray();
        return packed;
    }

    /// <summary>Adds one row document's values to the end of a packed document's arrays.</summary>
    public void Append(BsonDocument packed, BsonDocument row)
    {
        packed[Ids].AsArray.Add(row["_id"]);
        foreach (var field in _fields) packed[field].AsArray.Add(row[field]);
    }

    /// <summary>The row documents a packed document holds, shaped as <see cref="BsonRows"/> writes them.</summary>
    public List<BsonDocument> Unpack(BsonDocument packed)
    {
        var customerId = packed["_id"];
        var ids = packed[Ids].AsArray;
        var columns = _fields.Select(field => packed[field].AsArray).ToArray();
        var rows = new List<BsonDocument>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            var row = new BsonDocument { ["_id"] = ids[i], ["customer"] = customerId };
            for (var f = 0; f < _fields.Length; f++) row[_fields[f]] = columns[f][i];
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Hands every row of a packed document to the sink, straight from its arrays.</summary>
    public void Read(BsonDocument packed, IGrowthDataSink sink) => _read(packed, sink);

    private static void ReadOrders(BsonDocument packed, IGrowthDataSink sink)
    {
        var customerId = packed["_id"].AsString;
        var ids = packed[Ids].AsArray;
        var at = packed["at"].AsArray;
        var amount = packed["amount"].AsArray;
        for (var i = 0; i < ids.Count; i++) sink.Add(new Order(ids[i].AsString, customerId, Utc(at[i]), amount[i].AsDecimal));
    }

    private static void ReadTickets(BsonDocument packed, IGrowthDataSink sink)
    {
        var customerId = packed["_id"].AsString;
        var ids = packed[Ids].AsArray;
        var opened = packed["opened_at"].AsArray;
        var resolved = packed["resolved_at"].AsArray;
        var contacts = packed["contacts"].AsArray;
        for (var i = 0; i < ids.Count; i++)
        {
            sink.Add(new Ticket(ids[i].AsString, customerId, Utc(opened[i]), resolved[i].IsNull ? null : Utc(resolved[i]), contacts[i].AsInt32));
        }
    }

    private static void ReadResponses(BsonDocument packed, IGrowthDataSink sink)
    {
        var customerId = packed["_id"].AsString;
        var ids = packed[Ids].AsArray;
        var survey = packed["survey"].AsArray;
        var score = packed["score"].AsArray;
        var comment = packed["comment"].AsArray;
        var at = packed["at"].AsArray;
        for (var i = 0; i < ids.Count; i++)
        {
            sink.Add(new SurveyResponse(ids[i].AsString, BsonRows.SurveyKindOf(survey[i].AsString), customerId, score[i].AsInt32,
                comment[i].IsNull ? null : comment[i].AsString, Utc(at[i])));
        }
    }

    private static DateTime Utc(BsonValue value) => DateTime.SpecifyKind(value.AsDateTime, DateTimeKind.Utc);
}
