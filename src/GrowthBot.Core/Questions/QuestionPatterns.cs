using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Questions;

/// <summary>A comparison named by a shorthand rather than a period: "YoY", "month over month", "vs the previous period".</summary>
internal enum CompareShift
{
    Previous,
    WeekEarlier,
    MonthEarlier,
    QuarterEarlier,
    YearEarlier,
}

/// <summary>A breakdown found in a question; <see cref="Unsupported"/> names one asked for that does not exist ("by region").</summary>
internal sealed record BreakdownMatch(Breakdown By, string? Unsupported);

/// <summary>The word patterns of a question besides periods: metrics, comparisons, breakdowns and series.</summary>
internal static class QuestionPatterns
{
    private static readonly (string[] Words, CompareShift Shift)[] Shifts =
    [
        (["yoy"], CompareShift.YearEarlier), (["year", "over", "year"], CompareShift.YearEarlier), (["year", "on", "year"], CompareShift.YearEarlier),
        (["same", "period", "last", "year"], CompareShift.YearEarlier), (["same", "time", "last", "year"], CompareShift.YearEarlier),
        (["same", "period", "a", "year", "ago"], CompareShift.YearEarlier), (["same", "time", "a", "year", "ago"], CompareShift.YearEarlier),
        (["same", "period", "previous", "year"], CompareShift.YearEarlier), (["same", "period", "the", "year", "before"], CompareShift.YearEarlier),
        (["a", "year", "earlier"], CompareShift.YearEarlier), (["a", "year", "before"], CompareShift.YearEarlier),
        (["qoq"], CompareShift.QuarterEarlier), (["quarter", "over", "quarter"], CompareShift.QuarterEarlier), (["quarter", "on", "quarter"], CompareShift.QuarterEarlier),
        (["mom"], CompareShift.MonthEarlier), (["month", "over", "month"], CompareShift.MonthEarlier), (["month", "on", "month"], CompareShift.MonthEarlier),
        (["wow"], CompareShift.WeekEarlier), (["week", "over", "week"], CompareShift.WeekEarlier), (["week", "on", "week"], CompareShift.WeekEarlier),
        (["previous", "period"], CompareShift.Previous), (["prior", "period"], CompareShift.Previous), (["period", "before"], CompareShift.Previous),
        (["week", "before"], CompareShift.Previous), (["month", "before"], CompareShift.Previous), (["quarter", "before"], CompareShift.Previous),
        (["year", "before"], CompareShift.Previous), (["one", "before"], CompareShift.Previous), (["before", "that"], CompareShift.Previous),
        (["previous", "one"], CompareShift.Previous),
    ];

    private static readonly string[] BreakdownLeads = ["by", "per", "across", "each", "every", "between", "for"];
    private static readonly string[] BreakdownQualifiers = ["acquisition", "marketing", "lead", "customer", "sales"];
    private static readonly string[] BreakdownTrailers = ["breakdown", "split", "wise", "level", "view"];
    private static readonly string[] UnsupportedBreakdowns = ["team", "teams", "customer", "customers", "product", "products"];

    /// <summary>Metric phrases, longest first, in the order they appear; each metric once.</summary>
    public static List<MetricId> FindMetrics(IReadOnlyList<string> words, bool[] taken)
    {
        var metrics = new List<MetricId>();
        for (var i = 0; i < words.Count; i++)
        {
            if (taken[i]) continue;
            foreach (var (phrase, metric) in MetricSynonyms.Phrases)
            {
                if (!MatchesAt(words, taken, i, phrase)) continue;
                Take(taken, i, phrase.Length);
                if (!metrics.Contains(metric)) metrics.Add(metric);
                i += phrase.Length - 1;
                break;
            }
        }
        return metrics;
    }

    public static CompareShift? FindCompareShift(IReadOnlyList<string> words, bool[] taken)
    {
        for (var i = 0; i < words.Count; i++)
        {
            foreach (var (phrase, shift) in Shifts)
            {
                if (!MatchesAt(words, taken, i, phrase)) continue;
                Take(taken, i, phrase.Length);
                return shift;
            }
        }
        return null;
    }

    public static BreakdownMatch FindBreakdown(IReadOnlyList<string> words, bool[] taken)
    {
        for (var j = 0; j < words.Count; j++)
        {
            if (taken[j]) continue;
            Breakdown? by = QuestionWords.SegmentWords.Contains(words[j]) ? Breakdown.Segment
                : QuestionWords.ChannelWords.Contains(words[j]) ? Breakdown.Channel : null;
            if (by is not { } found) continue;
            var lead = j - 1;
            if (lead >= 0 && BreakdownQualifiers.Contains(words[lead])) lead--;
            var led = lead >= 0 && BreakdownLeads.Contains(words[lead]) && !taken[lead];
            var trailed = j + 1 < words.Count && BreakdownTrailers.Contains(words[j + 1]);
            if (!led && !trailed && words[j] is not ("segmented" or "segmentation")) continue;
            var start = led ? lead : j;
            while (start > 0 && words[start - 1] is "split" or "broken" or "down" or "breakdown" or "for" or "each" or "out") start--;
            Take(taken, start, j - start + 1 + (trailed ? 1 : 0));
            return new BreakdownMatch(found, null);
        }
        for (var i = 0; i + 1 < words.Count; i++)
        {
            if (taken[i] || taken[i + 1] || words[i] is not ("by" or "per")) continue;
            var next = words[i + 1];
            if (UnsupportedBreakdowns.Contains(next) || !WordCorrector.IsKnownOrNumeric(next))
            {
                Take(taken, i, 2);
                return new BreakdownMatch(Breakdown.None, next);
            }
        }
        return new BreakdownMatch(Breakdown.None, null);
    }

    /// <summary>A series asked for: "monthly"/"weekly" (explicit), "by month", or a trend word (generic, monthly unless the period is short).</summary>
    public static (SeriesUnit Unit, bool Explicit) FindSeries(IReadOnlyList<string> words, bool[] taken)
    {
        var found = (Unit: SeriesUnit.None, Explicit: false);
        for (var i = 0; i < words.Count; i++)
        {
            if (taken[i]) continue;
            var word = words[i];
            if (word is "weekly" or "monthly")
            {
                taken[i] = true;
                found = (word == "weekly" ? SeriesUnit.Week : SeriesUnit.Month, true);
            }
            else if (word is "month" or "week" && i > 0 && !taken[i - 1] && words[i - 1] is "by" or "per" or "each" or "every")
            {
                Take(taken, i - 1, 2);
                if (i + 2 < words.Count && words[i + 1] == "by" && words[i + 2] == word) Take(taken, i + 1, 2);
                found = (word == "week" ? SeriesUnit.Week : SeriesUnit.Month, true);
            }
            else if (word is "month" or "week" && i + 2 < words.Count && words[i + 1] == "by" && words[i + 2] == word)
            {
                Take(taken, i, 3);
                found = (word == "week" ? SeriesUnit.Week : SeriesUnit.Month, true);
            }
            else if (QuestionWords.SeriesWords.Contains(word) || (word == "over" && i + 1 < words.Count && words[i + 1] == "time"))
            {
                taken[i] = true;
                if (word == "over") taken[i + 1] = true;
                if (found.Unit == SeriesUnit.None) found = (SeriesUnit.Month, false);
            }
        }
        return found;
    }

    private static bool MatchesAt(IReadOnlyList<string> words, bool[] taken, int start, string[] phrase)
    {
        if (start + phrase.Length > words.Count) return false;
        for (var k = 0; k < phrase.Length; k++)
        {
            if (taken[start + k] || words[start + k] != phrase[k]) return false;
        }
        return true;
    }

    private static void Take(bool[] taken, int start, int length)
    {
        for (var k = start; k < start + length && k < taken.Length; k++) taken[k] = true;
    }
}
