using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// One collection read by two threads at once, one up its <c>_id</c> index from the smallest key
/// and one down from the largest, until they meet: every document is taken by exactly one of them,
/// and neither needs the keys or the count in advance. A cold start was bound by the one thread
/// reading LiteDB (about three quarters of the load's CPU) while the engine's thread waited; two
/// readers use both cores. Before taking a document, a reader checks under a lock that it is still
/// short of what the other one took (keys compared in the file's collation, the index's order);
/// the first key that is not ends its half.
/// </summary>
internal sealed class MeetingScan(Collation collation)
{
    private readonly Lock _gate = new();
    private BsonValue _upTo = BsonValue.MinValue;
    private BsonValue _downTo = BsonValue.MaxValue;

    /// <summary>Whether the ascending reader takes <paramref name="key"/> (false: the halves met, stop).</summary>
    public bool TakeAscending(BsonValue key)
    {
        lock (_gate)
        {
            if (key.CompareTo(_downTo, collation) >= 0) return false;
            _upTo = key;
            return true;
        }
    }

    /// <summary>Whether the descending reader takes <paramref name="key"/> (false: the halves met, stop).</summary>
    public bool TakeDescending(BsonValue key)
    {
        lock (_gate)
        {
            if (key.CompareTo(_upTo, collation) <= 0) return false;
            _downTo = key;
            return true;
        }
    }

    /// <summary>The documents of one half, in index order from its end, up to where the other half took over.</summary>
    public IEnumerable<BsonDocument> Half(ILiteCollection<BsonDocument> collection, bool ascending)
    {
        var documents = collection.Find(Query.All(ascending ? Query.Ascending : Query.Descending));
        foreach (var document in documents)
        {
            if (!(ascending ? TakeAscending(document["_id"]) : TakeDescending(document["_id"]))) yield break;
            yield return document;
        }
    }
}
