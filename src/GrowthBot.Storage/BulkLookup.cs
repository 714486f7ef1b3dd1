using System.Globalization;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// The documents of a collection by id, for a large batch: one scan of the collection instead of
/// a query per row. A query through LiteDB's engine costs tens of microseconds, so a million-row
/// import spent most of its time looking rows up; reading the collection once costs a few
/// microseconds a document. Ids compare as LiteDB compares them (its collation, which ignores
/// case), so a lookup here finds exactly the document <see cref="IdLookup"/> would.
/// </summary>
internal sealed class BulkLookup
{
    /// <summary>Below this many rows a batch looks its rows up one by one.</summary>
    public const int MinimumRows = 20_000;

    private readonly Dictionary<string, BsonDocument> _byId;

    private BulkLookup(Dictionary<string, BsonDocument> byId) => _byId = byId;

    /// <summary>
    /// A lookup over the whole collection when the batch is large against it (at least a quarter
    /// of its size), else null: a batch of 20,000 rows into ten million documents is faster row by row.
    /// </summary>
    public static BulkLookup? For(ILiteDatabase database, ILiteCollection<BsonDocument> collection, int rows)
    {
        if (rows < MinimumRows) return null;
        var count = collection.Count();
        if ((long)rows * 4 < count) return null;
        var comparer = StoreCollation.ComparerOf(database.Collation);
        var byId = new Dictionary<string, BsonDocument>(count + rows, comparer);
        foreach (var document in collection.FindAll())
        {
            if (!document["_id"].IsString) return null;
            byId[document["_id"].AsString] = document;
        }
        return new BulkLookup(byId);
    }

    public BsonDocument? Find(BsonValue id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.IsNull) throw new ArgumentNullException(nameof(id));
        return _byId.GetValueOrDefault(id.AsString);
    }

    /// <summary>Notes a document the batch wrote, so a later row with the same id finds it.</summary>
    public void Wrote(BsonDocument document) => _byId[document["_id"].AsString] = document;
}
