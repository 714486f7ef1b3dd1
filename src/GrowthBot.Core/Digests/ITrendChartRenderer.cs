using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Digests;

/// <summary>One metric's line in a trend chart: a value per period (null where undefined), and its target if set.</summary>
public sealed record TrendSeries(string Title, IReadOnlyList<double?> Values, double? Target, string Unit)
{
    /// <summary>The unit a chart's axis shows for a metric: %, the currency, "/ 7" for CES, × for ratios.</summary>
    public static string UnitLabel(MetricDefinition metric, string currency)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return metric.Unit switch
        {
            MetricUnit.Percent => "%",
            MetricUnit.Money => currency,
            MetricUnit.MeanScore => "/ 7",
            MetricUnit.Ratio => "×",
            _ => string.Empty,
        };
    }
}

/// <summary>
/// A chart of several metrics over the same periods, drawn as one small panel per metric (their
/// units differ, so they do not share an axis).
/// </summary>
public sealed record TrendChart(string Title, IReadOnlyList<string> PeriodLabels, IReadOnlyList<TrendSeries> Series);

/// <summary>Draws a <see cref="TrendChart"/> as a PNG. The host implements it with a charting library.</summary>
public interface ITrendChartRenderer
{
    byte[] RenderPng(TrendChart chart);
}
