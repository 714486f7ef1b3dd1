using GrowthBot.Core.Data;
using GrowthBot.Formulas;
using LiteDB;

namespace GrowthBot.Storage.Tests.Layout;

/// <summary>
/// Stores of layout 1, as versions before the packed layout wrote them (orders, tickets and
/// responses only as a document per row, no layout version), and the rows such a store holds,
/// read the way those versions read them.
/// </summary>
internal static class OldLayout
{
    /// <summary>Turns a closed store back into layout 1: its packed copies and its layout version removed.</summary>
    public static void Downgrade(string path)
    {
        using var database = new LiteDatabase(new ConnectionString { Filename = path });
        foreach (var kind in PackedRows.All) database.DropCollection(kind.PackedCollection);
        database.GetCollection(LiteGrowthStore.MetaCollection).Delete("layout");
    }

    /// <summary>Sets the stored layout version of a closed store.</summary>
    public static void SetLayout(string path, int layout)
    {
        using var database = new LiteDatabase(new ConnectionString { Filename = path });
        database.GetCollection(LiteGrowthStore.MetaCollection).Upsert(new BsonDocument { ["_id"] = "layout", ["value"] = layout });
    }

    /// <summary>The stored layout version of a closed store (1 when none is stored).</summary>
    public static int LayoutOf(string path)
    {
        using var database = new LiteDatabase(new ConnectionString { Filename = path });
        return database.GetCollection(LiteGrowthStore.MetaCollection).FindById("layout") is { } version ? version["value"].AsInt32 : 1;
    }

    /// <summary>How many packed documents a closed store holds.</summary>
    public static int PackedDocuments(string path)
    {
        using var database = new LiteDatabase(new ConnectionString { Filename = path });
        return PackedRows.All.Sum(kind => database.GetCollection(kind.PackedCollection).Count());
    }

    /// <summary>The orders, tickets and responses of an open store read from their per-row documents, as layout 1 read them.</summary>
    public static (List<Order> Orders, List<Ticket> Tickets, List<SurveyResponse> Responses) PerRow(LiteGrowthStore store) => (
        store.Database.GetCollection(LiteGrowthStore.OrdersCollection).FindAll().Select(BsonRows.ToOrder).ToList(),
        store.Database.GetCollection(LiteGrowthStore.TicketsCollection).FindAll().Select(BsonRows.ToTicket).ToList(),
        store.Database.GetCollection(LiteGrowthStore.ResponsesCollection).FindAll().Select(BsonRows.ToResponse).ToList());

    public static List<T> Sorted<T>(IEnumerable<T> rows, Func<T, string> id) => rows.OrderBy(id, StringComparer.Ordinal).ToList();
}
