using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// Finds a document by id with one parsed expression whose parameter changes per call. LiteDB's
/// <c>FindById</c> parses <c>_id = @0</c> and builds an expression tree on every call, which is a
/// fifth of its cost; the store's write path looks up every row it writes. Not thread-safe: each
/// instance is used under one lock (the store's write lock).
/// </summary>
internal sealed class IdLookup
{
    private readonly BsonExpression _byId = BsonExpression.Create("_id = @0", BsonValue.Null);

    public BsonDocument? Find(ILiteCollection<BsonDocument> collection, BsonValue id)
    {
        // As FindById: a null id is the caller's mistake, not a missing document.
        if (id is null || id.IsNull) throw new ArgumentNullException(nameof(id));
        _byId.Parameters["0"] = id;
        return collection.Find(_byId).FirstOrDefault();
    }
}
