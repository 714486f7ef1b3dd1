using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Questions;

/// <summary>
/// Whether a change in a survey score is bigger than sampling noise. Each period's 95% margin of
/// error: NPS from the formula core; CSAT as a proportion, <c>1.96·√(p(1−p)/n)</c>; CES from the
/// largest variance a 1–7 mean can have, <c>(μ−1)(7−μ)</c> (the answers' spread is not kept, so
/// this margin is an upper bound and "beyond the margin" is never claimed too early). The margin
/// of the change is the two margins combined, <c>√(a² + b²)</c>.
/// <para>
/// Small samples: these margins come from the normal approximation, which does not hold for a
/// handful of answers (two 10s then two 0s would give ±0.0). So a change gets a verdict only when
/// both periods have at least <see cref="MinimumAnswers"/> answers; otherwise the answer says it
/// cannot tell and gives n. And a margin is never 0: when every answer was alike (where the
/// plain formulas give 0, and only then) the shares are estimated with pseudo-answers added, as Agresti and
/// Coull do for proportions — one per NPS category, two satisfied and two not for CSAT, and one
/// middle answer (4) for CES.
/// </para>
/// </summary>
internal static class SurveyNoise
{
    /// <summary>The fewest answers in each period for a change to be called real or noise.</summary>
    public const int MinimumAnswers = 30;

    public static decimal? MarginOf(MetricDefinition metric, MetricResult result)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Value is not { } value || result.SampleSize <= 0) return null;
        var n = (double)result.SampleSize;
        var plain = metric.Id switch
        {
            MetricId.Nps => result.MarginOfError,
            MetricId.Csat => (decimal)(1.96 * Math.Sqrt(Share(value) * (1 - Share(value)) / n) * 100),
            MetricId.Ces => (decimal)(1.96 * Math.Sqrt(CesSpread((double)value) / n)),
            _ => null,
        };
        if (plain is not 0m) return plain;
        // Every answer alike: the plain formulas say ±0, which no sample can promise.
        return metric.Id switch
        {
            MetricId.Nps => AllAlikeNpsMargin(value, n),
            MetricId.Csat => (decimal)(1.96 * Math.Sqrt(AdjustedShare(value, n) * (1 - AdjustedShare(value, n)) / n) * 100),
            _ => (decimal)(1.96 * Math.Sqrt(CesSpread((((double)value * n) + 4) / (n + 1)) / n)),
        };
    }

    /// <summary>True when either period has too few answers for a verdict on the change.</summary>
    public static bool TooFewToTell(MetricResult current, MetricResult previous)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(previous);
        return current.SampleSize < MinimumAnswers || previous.SampleSize < MinimumAnswers;
    }

    /// <summary>
    /// NPS's margin is 0 only when everyone gave the same kind of answer (all promoters: +100, all
    /// detractors: −100, all passives: 0); add one pseudo-answer per category and take it again.
    /// </summary>
    private static decimal AllAlikeNpsMargin(decimal value, double n)
    {
        double promoters = value > 0 ? n : 0, detractors = value < 0 ? n : 0;
        var p = (promoters + 1) / (n + 3);
        var d = (detractors + 1) / (n + 3);
        return (decimal)(1.96 * Math.Sqrt((p + d - ((p - d) * (p - d))) / n) * 100);
    }

    /// <summary>The CSAT share with two satisfied and two unsatisfied pseudo-answers (Agresti–Coull).</summary>
    private static double AdjustedShare(decimal percent, double n) => ((Share(percent) * n) + 2) / (n + 4);

    private static double CesSpread(double mean) => Math.Max(0, (mean - 1) * (SurveyFormulas.CesMax - mean));

    /// <summary>The 95% margin of error of the difference between two independent periods.</summary>
    public static decimal? MarginOfChange(MetricDefinition metric, MetricResult current, MetricResult previous)
    {
        if (MarginOf(metric, current) is not { } a || MarginOf(metric, previous) is not { } b) return null;
        return (decimal)Math.Sqrt((double)((a * a) + (b * b)));
    }

    private static double Share(decimal percent) => Math.Clamp((double)percent / 100, 0, 1);
}
