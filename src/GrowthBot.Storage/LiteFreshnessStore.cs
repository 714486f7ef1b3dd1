using GrowthBot.Core.Freshness;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>Each source's last event time, one document per source.</summary>
public sealed class LiteFreshnessStore(LiteGrowthStore store) : IFreshnessStore
{
    internal const string Collection = "freshness";

    private ILiteCollection<BsonDocument> Documents => store.Database.GetCollection(Collection);

    public IReadOnlyDictionary<DataSource, DateTimeOffset> Load()
    {
        var last = new Dictionary<DataSource, DateTimeOffset>();
        foreach (var document in Documents.FindAll())
        {
            if (Enum.TryParse<DataSource>(document["_id"].AsString, out var source))
            {
                last[source] = new DateTimeOffset(DateTime.SpecifyKind(document["at"].AsDateTime, DateTimeKind.Utc));
            }
        }
        return last;
    }

    public void Save(DataSource source, DateTimeOffset at) =>
        Documents.Upsert(new BsonDocument { ["_id"] = source.ToString(), ["at"] = at.UtcDateTime });
}
