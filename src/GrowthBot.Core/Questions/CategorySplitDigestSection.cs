using System.Globalization;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Questions;

/// <summary>
/// Scores meet revenue in digests: when a digest reports churn, NRR or expansion, they are split by
/// survey group over the digest's period, one line for each survey (NPS, CSAT, CES, in that order)
/// that a customer paying at the period's start had answered before it: a company that runs NPS and
/// CSAT sees both, each from its own answers. Group sizes are given and the groups too small to
/// compare are marked. Nothing when no paying customer had answered a survey, or when the billing
/// data ends more than <see cref="DataGap.Tolerance"/> before the period's end.
/// </summary>
public sealed class CategorySplitDigestSection(ISurveyCategorySource source) : IDigestSection
{
    private static readonly MetricId[] Revenue = [MetricId.CustomerChurn, MetricId.Nrr, MetricId.ExpansionRevenue];

    public IReadOnlyList<ChatBlock> Blocks(DigestRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var metrics = Revenue.Where(request.Metrics.Contains).ToList();
        if (metrics.Count == 0) return [];
        var lines = new List<ChatBlock>();
        foreach (var survey in (SurveyKind[])[SurveyKind.Nps, SurveyKind.Csat, SurveyKind.Ces])
        {
            var (members, notAnswered, gap) = source.CategoryMembers(survey, request.Period.From, request.Period.To);
            // Stale billing: the digest already warns about it, and a split would show zeros made up from missing rows.
            if (gap is not null) return [];
            if (members.Count == 0) continue;
            var groups = SurveyCategoryFormulas.Split(members, CategorySplitRoute.Groups(survey));
            var parts = groups.Select(group => $"{CategorySplitRoute.Name(group.Category)} " +
                string.Join(", ", metrics.Select(metric => $"{CategorySplitRoute.Title(metric)} {CategorySplitRoute.Value(metric, group)}")) +
                $" ({group.Customers.ToString("N0", CultureInfo.InvariantCulture)}{(group.TooSmall ? ", too small to compare" : "")})");
            var surveyName = survey.ToString().ToUpperInvariant();
            lines.Add(new ContextBlock(
                $"By {surveyName} group this {request.Period.Noun} (latest answer before it; customers paying at its start): " +
                string.Join("; ", parts) + $". {CategorySplitRoute.NotAnswered(notAnswered)}."));
        }
        return lines;
    }
}
