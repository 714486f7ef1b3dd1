using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Digests;

/// <summary>
/// How a value stands against its target, the right way round for the metric: at or above the
/// target is met for NPS, at or below it for churn. "met (target 45)", "3 points to go (target 45)".
/// </summary>
internal static class TargetStatus
{
    public static bool IsMet(MetricDefinition metric, decimal value, decimal target) =>
        metric.Direction == Direction.HigherIsBetter ? value >= target : value <= target;

    public static string Describe(MetricDefinition metric, decimal? value, decimal target, string currency, System.Globalization.CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var goal = $"target {MetricFormatter.Value(metric, target, currency, culture)}";
        if (value is not { } now) return $"no data ({goal})";
        if (IsMet(metric, now, target)) return $"met ({goal})";
        var gap = MetricFormatter.Change(metric, target, now, currency, culture).Replace("+", "", StringComparison.Ordinal).Replace("−", "", StringComparison.Ordinal);
        if (metric.Unit == MetricUnit.NpsScore) gap += Math.Abs(target - now) == 1 ? " point" : " points";
        return $"{gap} to go ({goal})";
    }
}
