using System.Globalization;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Alerts;

/// <summary>
/// Decides whether a condition holds for one value, allowing for noise: a value needs
/// <see cref="AlertOptions.MinimumSample"/> answers or customers behind it (counts excepted); a survey
/// score must be past the threshold by more than its margin of error, and a survey change bigger
/// than the margin of the change; "unusual" is a value further from the mean of the earlier periods
/// than twice their standard deviation, and than the survey margin.
/// </summary>
internal static class AlertJudge
{
    public static AlertVerdict Judge(AlertRule rule, MetricDefinition metric, MetricResult current, MetricResult? previous, IReadOnlyList<MetricResult> history, int minimumSample)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(current);
        if (current.Value is not { } value) return new AlertVerdict(null, "no value for the period");
        if (TooThin(metric, current, minimumSample)) return new AlertVerdict(null, $"only {Volume(metric, current)} in the period, fewer than {minimumSample}");
        var survey = metric.IsSurveyScore;
        switch (rule.Condition)
        {
            case AlertCondition.Above:
            case AlertCondition.Below:
            {
                var threshold = rule.Threshold ?? 0m;
                var margin = survey ? SurveyNoise.MarginOf(metric, current) ?? 0m : 0m;
                var met = rule.Condition == AlertCondition.Above ? value - margin > threshold : value + margin < threshold;
                var change = previous?.Value is { } before ? value - before : (decimal?)null;
                return new AlertVerdict(met, null, change, survey ? margin : null);
            }
            case AlertCondition.Drops:
            case AlertCondition.Rises:
            {
                if (previous?.Value is not { } before) return new AlertVerdict(null, "no value for the period before");
                if (TooThin(metric, previous, minimumSample)) return new AlertVerdict(null, $"only {Volume(metric, previous)} in the period before, fewer than {minimumSample}");
                decimal change;
                decimal margin = survey ? SurveyNoise.MarginOfChange(metric, current, previous) ?? 0m : 0m;
                if (rule.Unit == ChangeUnit.Percent)
                {
                    if (before == 0) return new AlertVerdict(null, "the period before was 0, so a relative change has no meaning");
                    change = (value - before) / Math.Abs(before) * 100m;
                    margin = margin / Math.Abs(before) * 100m;
                }
                else
                {
                    change = value - before;
                }
                var moved = rule.Condition == AlertCondition.Drops ? -change : change;
                var met = moved >= (rule.Threshold ?? 0m) && moved > margin;
                return new AlertVerdict(met, null, change, survey ? margin : null);
            }
            default:
            {
                var usable = history.Where(result => result.Value is not null && !TooThin(metric, result, minimumSample)).Select(result => (double)result.Value!.Value).ToList();
                if (usable.Count < 3) return new AlertVerdict(null, $"only {usable.Count} earlier period{(usable.Count == 1 ? "" : "s")} with enough data to learn from, fewer than 3");
                var mean = usable.Average();
                var spread = Math.Sqrt(usable.Sum(x => (x - mean) * (x - mean)) / (usable.Count - 1));
                var margin = survey ? (double)(SurveyNoise.MarginOf(metric, current) ?? 0m) : 0d;
                // A flat history would call any wobble unusual: at least 1% of the mean either way.
                var band = Math.Max(Math.Max(2 * spread, margin), Math.Abs(mean) * 0.01);
                var met = Math.Abs((double)value - mean) > band;
                var change = previous?.Value is { } before ? value - before : (decimal?)null;
                return new AlertVerdict(met, null, change, survey ? (decimal)margin : null, (decimal)mean, (decimal)band);
            }
        }
    }

    /// <summary>True when a value rests on too few answers or customers to alert on (counts are their own volume).</summary>
    public static bool TooThin(MetricDefinition metric, MetricResult result, int minimumSample) =>
        metric.Unit != MetricUnit.Count && result.SampleSize < minimumSample;

    private static string Volume(MetricDefinition metric, MetricResult result) =>
        result.SampleSize.ToString("N0", CultureInfo.InvariantCulture) + (metric.IsSurveyScore ? (result.SampleSize == 1 ? " answer" : " answers") : (result.SampleSize == 1 ? " customer" : " customers"));
}
