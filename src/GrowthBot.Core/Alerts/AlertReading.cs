using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Alerts;

/// <summary>
/// What one check found for one alert. <see cref="Met"/> is null when the data cannot tell
/// (too few answers or customers, no value, too little history): the alert's state then stays as
/// it was, so thin data neither fires nor re-arms it. <see cref="NoVerdict"/> says why.
/// </summary>
internal sealed record AlertReading(
    AlertRule Rule,
    MetricDefinition Metric,
    AlertWindow Window,
    MetricResult Current,
    MetricResult? Previous,
    AlertVerdict Verdict,
    IReadOnlyList<AlertGroupReading> Groups)
{
    public bool? Met => Verdict.Met;

    public string? NoVerdict => Verdict.NoVerdict;
}

/// <summary>
/// The condition judged on one value (the whole, or one segment or channel): <see cref="Met"/> (null:
/// cannot tell, <see cref="NoVerdict"/> says why); <see cref="Change"/> against the previous period, in
/// the rule's unit (points, or % for relative thresholds); <see cref="Margin"/>, the survey's 95% margin
/// of error that was allowed for; for "unusual", <see cref="Expected"/> (the mean of the earlier periods)
/// and <see cref="Band"/> (how far from it is still usual).
/// </summary>
internal sealed record AlertVerdict(bool? Met, string? NoVerdict = null, decimal? Change = null, decimal? Margin = null, decimal? Expected = null, decimal? Band = null);

/// <summary>One segment's or channel's reading, for alerts set "by segment"/"by channel".</summary>
internal sealed record AlertGroupReading(string Name, MetricResult Current, MetricResult? Previous, AlertVerdict Verdict);
