using System.Globalization;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Text;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Questions;

/// <summary>
/// Says how a value moved: "down 0.4 pts from 2.71% in Oct 1–26, which is good", with, for survey
/// scores, whether the move is beyond the margin of error. An empty period name leaves out "in …".
/// </summary>
internal static class ChangeText
{
    public static string Describe(MetricDefinition metric, MetricResult current, MetricResult previous, string previousPeriod, string currency, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(previous);
        var when = previousPeriod.Length == 0 ? string.Empty : $" in {previousPeriod}";
        if (previous.Value is not { } before) return previousPeriod.Length == 0 ? "no data to compare with" : $"no data for {previousPeriod} to compare with";
        if (current.Value is not { } now) return $"it was {MetricFormatter.Value(metric, before, currency, culture)}{when}";
        var was = MetricFormatter.Value(metric, before, currency, culture);
        var size = MetricFormatter.Change(metric, now, before, currency, culture).Replace("+", "", StringComparison.Ordinal).Replace("−", "", StringComparison.Ordinal);
        // A change too small to show ("0 pts") is no change to the reader, and neither good nor bad.
        if (now == before || !size.Any(digit => digit is >= '1' and <= '9')) return $"unchanged from {was}{when}{Noise(metric, current, previous, 0, culture)}";
        if (metric.Unit == MetricUnit.NpsScore) size += Math.Abs(now - before) == 1 ? " point" : " points";
        var up = now > before;
        var good = up == (metric.Direction == Metrics.Direction.HigherIsBetter);
        return $"{(up ? "up" : "down")} {size} from {was}{when}, which is {(good ? "good" : "bad")}{Noise(metric, current, previous, now - before, culture)}";
    }

    /// <summary>The direction word alone: "up", "down" or "unchanged".</summary>
    public static string Direction(decimal? current, decimal? previous) =>
        current is not { } now || previous is not { } before ? "no comparison" : now > before ? "up" : now < before ? "down" : "unchanged";

    private static string Noise(MetricDefinition metric, MetricResult current, MetricResult previous, decimal delta, CultureInfo? culture)
    {
        if (!metric.IsSurveyScore || SurveyNoise.MarginOfChange(metric, current, previous) is not { } margin) return string.Empty;
        if (SurveyNoise.TooFewToTell(current, previous))
        {
            return $"; with n = {CultureText.Number(current.SampleSize, "N0", culture)} now and n = {CultureText.Number(previous.SampleSize, "N0", culture)} before, " +
                $"there are too few answers to tell a real change from noise (that needs at least {SurveyNoise.MinimumAnswers} in each period)";
        }
        var text = CultureText.Number(margin, metric.Unit == MetricUnit.MeanScore ? "0.00" : "0.0", culture);
        var unit = metric.Unit == MetricUnit.Percent ? " pts" : string.Empty;
        return Math.Abs(delta) > margin
            ? $"; that is beyond the margin of error (±{text}{unit}), so it is likely a real change"
            : $"; that is within the margin of error (±{text}{unit}), so it may be noise";
    }
}
