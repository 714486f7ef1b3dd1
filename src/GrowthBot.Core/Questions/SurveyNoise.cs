using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Questions;

/// <summary>
/// Whether a change in a survey score is bigger than sampling noise. Each period's 95% margin of
/// error: NPS from the formula core; CSAT as a proportion, <c>1.96·√(p(1−p)/n)</c>; CES from the
/// largest variance a 1–7 mean can have, <c>(μ−1)(7−μ)</c> (the answers' spread is not kept, so
/// this margin is an upper bound and "beyond the margin" is never claimed too early). The margin
/// of the change is the two margins combined, <c>√(a² + b²)</c>.
/// </summary>
internal static class SurveyNoise
{
    public static decimal? MarginOf(MetricDefinition metric, MetricResult result)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Value is not { } value || result.SampleSize <= 0) return null;
        var n = (double)result.SampleSize;
        return metric.Id switch
        {
            MetricId.Nps => result.MarginOfError,
            MetricId.Csat => (decimal)(1.96 * Math.Sqrt(Share(value) * (1 - Share(value)) / n) * 100),
            MetricId.Ces => (decimal)(1.96 * Math.Sqrt(Math.Max(0, ((double)value - 1) * (SurveyFormulas.CesMax - (double)value)) / n)),
            _ => null,
        };
    }

    /// <summary>The 95% margin of error of the difference between two independent periods.</summary>
    public static decimal? MarginOfChange(MetricDefinition metric, MetricResult current, MetricResult previous)
    {
        if (MarginOf(metric, current) is not { } a || MarginOf(metric, previous) is not { } b) return null;
        return (decimal)Math.Sqrt((double)((a * a) + (b * b)));
    }

    private static double Share(decimal percent) => Math.Clamp((double)percent / 100, 0, 1);
}
