using GrowthBot.Core.Ports;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>Writing orders, tickets and survey responses: each row by id, and its customer's packed document (<see cref="PackedRows"/>).</summary>
public sealed partial class LiteGrowthStore
{
    /// <summary>
    /// Upserts rows by id as <see cref="UpsertAll{T}"/> does (same counts, same changed and replaced
    /// versions), and rewrites the packed document of every customer whose rows changed, once per
    /// batch: a row that moves to another customer leaves the old one's document, and a customer
    /// left with no rows of this kind has none. Called inside the batch's transaction.
    /// </summary>
    private StoreWriteResult UpsertPacked<T>(PackedRows kind, List<T> rows, Func<T, BsonDocument> toDocument, Func<BsonDocument, T> fromDocument,
        List<T> changed, List<T> replaced, ProgressCounter written)
    {
        if (rows.Count == 0) return StoreWriteResult.None;
        var collection = _database.GetCollection(kind.RowsCollection);
        var packedCollection = _database.GetCollection(kind.PackedCollection);
        var bulk = BulkLookup.For(_database, collection, rows.Count);
        var packedBulk = BulkLookup.For(_database, packedCollection, rows.Count);
        var customers = new Dictionary<string, List<BsonDocument>>(StringComparer.Ordinal);
        var dirty = new HashSet<string>(StringComparer.Ordinal);

        List<BsonDocument> RowsOf(string customerId)
        {
            if (customers.TryGetValue(customerId, out var known)) return known;
            var existing = packedBulk is null ? _lookup.Find(packedCollection, customerId) : packedBulk.Find(customerId);
            RefuseCaseCollision(CustomersCollection, existing, customerId, document => document["_id"].AsString);
            var list = existing is null ? [] : kind.Unpack(existing);
            customers.Add(customerId, list);
            return list;
        }

        int inserted = 0, updated = 0, unchanged = 0;
        Func<int, BsonDocument> rowDocument = index => toDocument(rows[index]);
        for (var index = 0; index < rows.Count; index++)
        {
            var document = toDocument(rows[index]);
            var existing = bulk is null ? _lookup.Find(collection, document["_id"]) : bulk.Find(document["_id"], rowDocument);
            RefuseCaseCollision(kind.RowsCollection, existing, document["_id"].AsString, document => document["_id"].AsString);
            var customerId = PackedRows.CustomerOf(document);
            if (existing is null)
            {
                collection.Insert(document);
                bulk?.Wrote(document["_id"], index);
                RowsOf(customerId).Add(document);
                dirty.Add(customerId);
                changed.Add(fromDocument(document));
                inserted++;
            }
            else if (existing == document)
            {
                unchanged++;
            }
            else
            {
                collection.Update(document);
                bulk?.Wrote(document["_id"], index);
                var id = document["_id"].AsString;
                var before = PackedRows.CustomerOf(existing);
                var previous = RowsOf(before);
                var at = previous.FindIndex(stored => string.Equals(stored["_id"].AsString, id, StringComparison.Ordinal));
                if (string.Equals(before, customerId, StringComparison.Ordinal) && at >= 0)
                {
                    // Same customer: in place, so the packed order stays the order rows first arrived in.
                    previous[at] = document;
                }
                else
                {
                    if (at >= 0) previous.RemoveAt(at);
                    dirty.Add(before);
                    RowsOf(customerId).Add(document);
                }
                dirty.Add(customerId);
                replaced.Add(fromDocument(existing));
                changed.Add(fromDocument(document));
                updated++;
            }
            written.Step();
        }

        foreach (var customerId in dirty)
        {
            var list = customers[customerId];
            if (list.Count == 0)
            {
                packedCollection.Delete(customerId);
                continue;
            }
            packedCollection.Upsert(kind.Pack(customerId, list));
        }
        return new StoreWriteResult(inserted, updated, unchanged);
    }
}
