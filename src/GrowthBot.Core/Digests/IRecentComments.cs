using GrowthBot.Core.Data;

namespace GrowthBot.Core.Digests;

/// <summary>A survey answer's comment, for a digest's "what customers said".</summary>
public sealed record SurveyComment(SurveyKind Survey, int Score, string Text, DateTime RespondedAt);

/// <summary>
/// Reads recent survey comments. The store implements it over the survey responses it holds;
/// once the surveys feature is merged it can be pointed at that feature's own comment query.
/// </summary>
public interface IRecentComments
{
    /// <summary>Up to <paramref name="max"/> non-empty comments to the given surveys in <c>[since, until)</c> (UTC), newest first.</summary>
    IReadOnlyList<SurveyComment> Recent(IReadOnlyCollection<SurveyKind> surveys, DateTime since, DateTime until, int max);
}
