using GrowthBot.Core.Ports;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// Published chart images in the LiteDB file, so links in cards posted before a restart keep
/// working. Charts older than <see cref="Retention"/> are pruned (every <see cref="PruneEvery"/>
/// saves): people scroll back weeks, not months, and Teams caches what it has shown.
/// </summary>
public sealed class LiteChartImageStore : IChartImageStore
{
    internal const string CollectionName = "chart_images";
    internal const int PruneEvery = 64;
    internal static readonly TimeSpan Retention = TimeSpan.FromDays(90);
    private readonly ILiteCollection<BsonDocument> _collection;
    private int _savesSincePrune;

    public LiteChartImageStore(LiteGrowthStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _collection = store.Database.GetCollection(CollectionName);
        _collection.EnsureIndex("saved");
    }

    public void Save(string id, byte[] png, DateTimeOffset savedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(png);
        // The same chart (same hash) may be kept already: then there is nothing to do.
        if (!_collection.TryInsert(new BsonDocument { ["_id"] = id, ["png"] = png, ["saved"] = savedAt.UtcDateTime })) return;
        if (Interlocked.Increment(ref _savesSincePrune) % PruneEvery == 0) Prune(savedAt - Retention);
    }

    public byte[]? Find(string id) =>
        string.IsNullOrEmpty(id) ? null : _collection.FindById(id) is { } document ? document["png"].AsBinary : null;

    /// <summary>Deletes charts saved before <paramref name="before"/>.</summary>
    internal int Prune(DateTimeOffset before) => _collection.DeleteMany(Query.LT("saved", before.UtcDateTime));
}
