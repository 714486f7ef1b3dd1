using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Surveys;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Digests;

/// <summary>Why a digest is being composed, which shows in its header.</summary>
public enum DigestMode
{
    /// <summary>On time, as scheduled.</summary>
    Scheduled,

    /// <summary>Sent after its time (the host was down or the platform failed), marked late.</summary>
    Late,

    /// <summary>Asked for on demand ("digest", the CLI preview); not the period's delivery.</summary>
    Preview,
}

/// <summary>
/// What to compose: whose digest, which metrics, for which period, against which targets. <see cref="Culture"/>
/// is the culture its numbers and dates are written in (see <see cref="Text.AnswerCulture"/>); null for GrowthBot's own style.
/// </summary>
public sealed record DigestRequest(
    string Subject,
    IReadOnlyList<MetricId> Metrics,
    DigestPeriod Period,
    IReadOnlyDictionary<MetricId, decimal> Targets,
    DigestMode Mode = DigestMode.Scheduled,
    DateTimeOffset? DueAt = null,
    System.Globalization.CultureInfo? Culture = null);

/// <summary>One metric of a digest: this period, the one before, the same period a year earlier, the trend (oldest first, this period last).</summary>
public sealed record DigestMetric(
    MetricDefinition Metric,
    MetricResult Current,
    MetricResult Previous,
    MetricResult? YearAgo,
    IReadOnlyList<decimal?> Trend,
    decimal? Movement,
    decimal? Target);

/// <summary>A composed digest: the message, the metrics shown, those that moved less (left out) and those with no value this period.</summary>
public sealed record Digest(
    ChatMessage Message,
    IReadOnlyList<DigestMetric> Shown,
    IReadOnlyList<MetricDefinition> LeftOut,
    IReadOnlyList<MetricDefinition> NoData,
    IReadOnlyList<SurveyComment> Comments);
