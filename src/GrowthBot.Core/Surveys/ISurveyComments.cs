using GrowthBot.Core.Data;

namespace GrowthBot.Core.Surveys;

/// <summary>One verbatim survey comment, with what the digest shows beside it.</summary>
public sealed record SurveyComment(SurveyKind Kind, int Score, string Comment, string CustomerId, string? Segment, DateTimeOffset At);

/// <summary>The words customers wrote in survey answers (in chat or imported), for digests: one query over the stored responses.</summary>
public interface ISurveyComments
{
    /// <summary>
    /// Non-empty comments of responses given in <c>[since, until)</c>, newest first, at most
    /// <paramref name="limit"/>, to the given <paramref name="kinds"/> of survey (all when null);
    /// the customer's segment is looked up (null if the customer is unknown).
    /// </summary>
    IReadOnlyList<SurveyComment> Recent(DateTimeOffset since, DateTimeOffset until, int limit = 50, IReadOnlyCollection<SurveyKind>? kinds = null);
}
