using GrowthBot.Core.Data;
using GrowthBot.Core.Digests;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// Recent survey comments, read from the stored survey responses through an index on their time,
/// so a digest reads one period's responses rather than all of them.
/// </summary>
public sealed class LiteRecentComments : IRecentComments
{
    private readonly ILiteCollection<BsonDocument> _responses;

    public LiteRecentComments(LiteGrowthStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _responses = store.Database.GetCollection(LiteGrowthStore.ResponsesCollection);
        _responses.EnsureIndex("at");
    }

    public IReadOnlyList<SurveyComment> Recent(IReadOnlyCollection<SurveyKind> surveys, DateTime since, DateTime until, int max)
    {
        ArgumentNullException.ThrowIfNull(surveys);
        if (surveys.Count == 0 || max <= 0) return [];
        var names = surveys.Select(survey => survey.ToString().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        return _responses.Query()
            .Where(Query.And(Query.GTE("at", since), Query.LT("at", until)))
            .OrderByDescending("at")
            .ToEnumerable()
            .Where(document => !document["comment"].IsNull && document["comment"].AsString.Trim().Length > 0 && names.Contains(document["survey"].AsString))
            .Take(max)
            .Select(document => BsonRows.ToResponse(document))
            .Select(response => new SurveyComment(response.Survey, response.Score, response.Comment!.Trim(), response.RespondedAt))
            .ToList();
    }
}
