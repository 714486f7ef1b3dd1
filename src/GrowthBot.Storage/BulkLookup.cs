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

    private readonly Dictionary<string, Entry> _byId;

    private BulkLookup(Dictionary<string, Entry> byId) => _byId = byId;

    /// <summary>
    /// A lookup over the whole collection when the batch is large against it (at least a quarter
    /// of its size), else null: a batch of 20,000 rows into ten million documents is faster row by row.
    /// </summary>
    public static BulkLookup? For(ILiteDatabase database, ILiteCollection<BsonDocument> collection, int rows)
    {
        if (rows < MinimumRows) return null;
        var count = collection.Count();
        if ((long)rows * 4 < count) return null;
        var byId = new Dictionary<string, Entry>(count + rows, StoreCollation.ComparerOf(database.Collation));
        foreach (var document in collection.FindAll())
        {
            if (!document["_id"].IsString) return null;
            byId[document["_id"].AsString] = new Entry(document, -1);
        }
        return new BulkLookup(byId);
    }

    /// <summary>The stored document with this id, or the one the batch wrote for it (its row's document, made again by <paramref name="written"/>).</summary>
    public BsonDocument? Find(BsonValue id, Func<int, BsonDocument>? written = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.IsNull) throw new ArgumentNullException(nameof(id));
        if (!_byId.TryGetValue(id.AsString, out var entry)) return null;
        if (entry.Document is not null) return entry.Document;
        return written is null ? throw new InvalidOperationException("Rows noted by index need their documents to be found.") : written(entry.Row);
    }

    /// <summary>Notes a document the batch wrote, so a later row with the same id finds it.</summary>
    public void Wrote(BsonDocument document) => _byId[document["_id"].AsString] = new Entry(document, -1);

    /// <summary>
    /// Notes that the batch's row <paramref name="row"/> wrote the document with this id, without
    /// keeping the document: a later row with the same id (rare) makes it again from the row. Kept,
    /// every document of a million-row import (hundreds of bytes each) lived until the import ended.
    /// </summary>
    public void Wrote(BsonValue id, int row) => _byId[id.AsString] = new Entry(null, row);

    private readonly record struct Entry(BsonDocument? Document, int Row);
}
