namespace GrowthBot.Formulas;

/// <summary>
/// One computed metric: its value together with what it was computed from, so an answer can
/// always say "x of y, from n responses". <see cref="Value"/> is <c>null</c> when the metric is
/// undefined for the inputs (no customers at period start, no responses, nothing spent on no one),
/// never 0 and never an exception.
/// </summary>
/// <param name="Value">The metric, in the unit its formula documents; null when undefined.</param>
/// <param name="Numerator">The top of the ratio (or the amount itself for money metrics).</param>
/// <param name="Denominator">The bottom of the ratio; null for metrics that are not ratios.</param>
/// <param name="SampleSize">How many things (responses, customers, tickets) the value rests on.</param>
/// <param name="MarginOfError">The 95% margin of error in the value's unit, where one is defined (NPS).</param>
public sealed record MetricResult(
    decimal? Value,
    decimal? Numerator,
    decimal? Denominator,
    long SampleSize,
    decimal? MarginOfError = null)
{
    /// <summary>A metric with nothing to compute it from.</summary>
    public static MetricResult Undefined(decimal? numerator = null, decimal? denominator = null, long sampleSize = 0) =>
        new(null, numerator, denominator, sampleSize);

    /// <summary>numerator ÷ denominator × scale, undefined when the denominator is zero.</summary>
    internal static MetricResult Ratio(decimal numerator, decimal denominator, long sampleSize, decimal scale = 1m) =>
        denominator == 0m
            ? Undefined(numerator, denominator, sampleSize)
            : new MetricResult(numerator / denominator * scale, numerator, denominator, sampleSize);

    internal static MetricResult Percent(decimal numerator, decimal denominator, long sampleSize) =>
        Ratio(numerator, denominator, sampleSize, 100m);
}
