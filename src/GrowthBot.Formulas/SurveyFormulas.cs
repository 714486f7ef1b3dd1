namespace GrowthBot.Formulas;

/// <summary>
/// NPS, CSAT and CES from tallies of scores. A tally is an array indexed by score
/// (<c>tally[9]</c> = how many answered 9); scores outside a survey's scale are not counted,
/// because the survey flow refuses them before they are stored.
/// </summary>
public static class SurveyFormulas
{
    /// <summary>NPS scale: 0–10.</summary>
    public const int NpsMax = 10;
    /// <summary>CSAT scale: 1–5.</summary>
    public const int CsatMax = 5;
    /// <summary>CES scale: 1–7.</summary>
    public const int CesMax = 7;

    /// <summary>
    /// Net Promoter Score = % promoters (9–10) − % detractors (0–6), from −100 to 100.
    /// Numerator is promoters − detractors, denominator all responses. The 95% margin of error is
    /// <c>1.96·√((p + d − (p − d)²)/n)·100</c> with p and d as shares; it is 0 when everyone
    /// answered alike. Undefined with no responses.
    /// </summary>
    public static MetricResult Nps(ReadOnlySpan<long> tally)
    {
        long promoters = 0, detractors = 0, n = 0;
        for (var score = 0; score <= NpsMax && score < tally.Length; score++)
        {
            n += tally[score];
            if (score >= 9) promoters += tally[score];
            else if (score <= 6) detractors += tally[score];
        }
        if (n == 0) return MetricResult.Undefined(0, 0, 0);
        var p = (double)promoters / n;
        var d = (double)detractors / n;
        var variance = Math.Max(0d, p + d - ((p - d) * (p - d)));
        var margin = 1.96 * Math.Sqrt(variance / n) * 100;
        return new MetricResult(
            (decimal)(promoters - detractors) / n * 100m,
            promoters - detractors,
            n,
            n,
            (decimal)margin);
    }

    /// <summary>
    /// Customer Satisfaction = % of 1–5 answers that are 4 or 5. Numerator is the satisfied
    /// count, denominator all answers on the scale. Undefined with no responses.
    /// </summary>
    public static MetricResult Csat(ReadOnlySpan<long> tally)
    {
        long satisfied = 0, n = 0;
        for (var score = 1; score <= CsatMax && score < tally.Length; score++)
        {
            n += tally[score];
            if (score >= 4) satisfied += tally[score];
        }
        return MetricResult.Percent(satisfied, n, n);
    }

    /// <summary>
    /// Customer Effort Score = the mean of 1–7 answers ("made it easy": 7 = strongly agree).
    /// Numerator is the sum of scores, denominator the number of answers. Undefined with none.
    /// </summary>
    public static MetricResult Ces(ReadOnlySpan<long> tally)
    {
        long sum = 0, n = 0;
        for (var score = 1; score <= CesMax && score < tally.Length; score++)
        {
            n += tally[score];
            sum += score * tally[score];
        }
        return MetricResult.Ratio(sum, n, n);
    }

    /// <summary>
    /// The CES companion figure: % of 1–7 answers that are 5, 6 or 7 (found it easy).
    /// Undefined with no responses.
    /// </summary>
    public static MetricResult CesEasyShare(ReadOnlySpan<long> tally)
    {
        long easy = 0, n = 0;
        for (var score = 1; score <= CesMax && score < tally.Length; score++)
        {
            n += tally[score];
            if (score >= 5) easy += tally[score];
        }
        return MetricResult.Percent(easy, n, n);
    }

    /// <summary>Tallies a list of scores into an array indexed by score, ignoring out-of-range ones.</summary>
    public static long[] Tally(IEnumerable<int> scores, int maxScore)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var tally = new long[maxScore + 1];
        foreach (var score in scores)
        {
            if (score >= 0 && score <= maxScore) tally[score]++;
        }
        return tally;
    }
}
