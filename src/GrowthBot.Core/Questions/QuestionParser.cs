using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Questions;

/// <summary>
/// Reads a plain-language question into a <see cref="ParsedQuestion"/>. Pure: the same text, clock
/// reading, zone and previous question always give the same result. Periods are calendar periods
/// in <c>zone</c> turned into UTC instants; a question without a period means the current month so
/// far. A follow-up ("and last month?", "by segment?", "what about NPS?") reuses what
/// <c>previous</c> asked for and changes only what it names.
/// </summary>
internal static class QuestionParser
{
    public static ParsedQuestion Parse(string text, DateTimeOffset now, TimeZoneInfo zone, ParsedQuestion? previous)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var words = WordCorrector.Correct(QuestionTokenizer.Tokenize(text));
        var taken = new bool[words.Count];
        var localNow = LocalCalendar.ToLocal(now.UtcDateTime, zone);
        var clock = new PeriodClock(localNow, now.UtcDateTime, zone);

        var metrics = QuestionPatterns.FindMetrics(words, taken);
        var shift = QuestionPatterns.FindCompareShift(words, taken);
        var breakdown = QuestionPatterns.FindBreakdown(words, taken);
        var (seriesWord, seriesExplicit) = QuestionPatterns.FindSeries(words, taken);
        var periods = new PeriodGrammar(words, localNow).FindAll(taken);
        var (main, compare) = SplitMainAndCompare(words, periods);

        var has = new QuestionCues(words, taken);
        var notes = new List<string>();
        if (breakdown.Unsupported is { } unsupported)
        {
            notes.Add($"I can split by segment or by channel, not by \"{unsupported}\", so this is the total.");
        }
        var unknown = words.Where((word, index) => !taken[index] && !WordCorrector.IsKnownOrNumeric(word)).Distinct().ToList();

        // A follow-up: carry over what the previous question asked for.
        var canFollow = previous is { Metrics.Count: > 0 } && previous.Understood;
        var saysSomething = main is not null || breakdown.By != Breakdown.None || seriesWord != SeriesUnit.None || has.Explain
                            || has.Definition || has.Owner || shift is not null || compare is not null;
        var isFollowUp = canFollow && ((metrics.Count == 0 && (saysSomething || has.FollowUpCue)) || (metrics.Count > 0 && has.FollowUpCue));
        if (isFollowUp && metrics.Count == 0) metrics = [.. previous!.Metrics];

        if (metrics.Count == 0)
        {
            if (words.Count == 0 || (has.Help && main is null) || (has.Owner && previous is null && unknown.Count == 0))
            {
                return has.Owner
                    ? new ParsedQuestion(QuestionIntent.Owners, [.. MetricCatalog.All.Select(metric => metric.Id)], null, null)
                    : new ParsedQuestion(QuestionIntent.Help, [], null, null);
            }
            var hinted = main is null ? null : Resolve(main, clock).Question;
            return new ParsedQuestion(QuestionIntent.NotUnderstood, [], hinted, null, UnknownWords: unknown, Notes: notes);
        }

        if (metrics.Contains(MetricId.Mrr) && words.Contains("revenue") && !words.Contains("mrr") && !words.Contains("recurring"))
        {
            // GrowthBot keeps recurring revenue, not invoices: say so rather than pass MRR off as the period's revenue.
            notes.Add("\"Revenue\" is answered with MRR at the end of the period (the monthly recurring revenue on its last day), not the revenue earned during it.");
        }

        // About a metric rather than its value; a follow-up keeps the previous period for the next "explain".
        var aboutIntent = has.Owner ? QuestionIntent.Owners : has.Definition && main is null && compare is null ? QuestionIntent.Definition : (QuestionIntent?)null;
        if (aboutIntent is { } about)
        {
            return isFollowUp
                ? previous! with { Intent = about, Metrics = metrics, Explain = false, IsFollowUp = true, UnknownWords = unknown, Notes = [] }
                : new ParsedQuestion(about, metrics, null, null);
        }

        var explain = has.Explain || has.Definition;
        var by = breakdown.By != Breakdown.None ? breakdown.By : isFollowUp ? previous!.By : Breakdown.None;

        // A follow-up that names no period keeps the previous question's period and comparison.
        if (isFollowUp && main is null && previous!.Period is { } keptPeriod)
        {
            if (seriesWord != SeriesUnit.None && previous.Series == SeriesUnit.None)
            {
                // "trend?" after an answer: the months (or weeks) leading up to the period just answered.
                return new ParsedQuestion(QuestionIntent.Metrics, metrics, TrendWindow.EndingWith(keptPeriod, seriesWord, zone), null, by, seriesWord, explain,
                    IsFollowUp: true, UnknownWords: unknown, Notes: notes);
            }
            var keptSeries = seriesWord != SeriesUnit.None ? seriesWord : previous.Series;
            var keptCompare = keptSeries != SeriesUnit.None ? null : compare is not null || shift is not null
                ? ResolveCompare(LocalOf(keptPeriod, zone), compare, shift, clock)
                : previous.Compare ?? Resolve(LocalOf(keptPeriod, zone).Previous(), clock).Question;
            return new ParsedQuestion(QuestionIntent.Metrics, metrics, keptPeriod, keptCompare, by, keptSeries, explain,
                previous.PeriodDefaulted, true, unknown, notes);
        }

        var series = seriesWord != SeriesUnit.None ? seriesWord : main?.SeriesHint == true ? SeriesFor(main.Period) : SeriesUnit.None;
        if (!seriesExplicit && seriesWord == SeriesUnit.Month && main is not null && IsShort(main.Period)) series = SeriesUnit.Week;
        var defaulted = main is null;
        var period = main ?? (series switch
        {
            SeriesUnit.Month => new PeriodMatch(0, 0, Recent(localNow, PeriodUnit.Month, TrendWindow.Months)),
            SeriesUnit.Week => new PeriodMatch(0, 0, Recent(localNow, PeriodUnit.Week, TrendWindow.Weeks)),
            _ => new PeriodMatch(0, 0, new LocalPeriod(LocalCalendar.StartOf(localNow, PeriodUnit.Month),
                LocalCalendar.Add(LocalCalendar.StartOf(localNow, PeriodUnit.Month), PeriodUnit.Month, 1), "this month", PeriodUnit.Month)),
        });
        if (period.Problem is { } periodProblem)
        {
            return new ParsedQuestion(QuestionIntent.Metrics, metrics, null, null, by, series, explain, IsFollowUp: isFollowUp,
                UnknownWords: unknown, Notes: notes, Problem: periodProblem);
        }
        var resolved = Resolve(period, clock);
        if (resolved.Question is null)
        {
            return new ParsedQuestion(QuestionIntent.Metrics, metrics, null, null, by, series, explain, IsFollowUp: isFollowUp,
                UnknownWords: unknown, Notes: notes, Problem: $"{Describe(period.Period)} hasn't started yet, so there is nothing to show.");
        }
        var comparison = series != SeriesUnit.None ? null : ResolveCompare(resolved.Local!, compare, shift, clock);
        return new ParsedQuestion(QuestionIntent.Metrics, metrics, resolved.Question, comparison, by, series, explain,
            defaulted && series == SeriesUnit.None, isFollowUp, unknown, notes);
    }

    /// <summary>The main period and the one it is compared with: after "vs"/"compared to", else the second one named.</summary>
    private static (PeriodMatch? Main, PeriodMatch? Compare) SplitMainAndCompare(List<string> words, List<PeriodMatch> periods)
    {
        if (periods.Count == 0) return (null, null);
        // A comparison word counts when a period follows it ("vs last month", "compared to Q2"), not between metrics ("churn vs retention").
        var marker = -1;
        for (var i = 0; i < words.Count && marker < 0; i++)
        {
            if (!QuestionWords.CompareWords.Contains(words[i])) continue;
            var next = i + 1;
            while (next < words.Count && words[next] is "to" or "with" or "the" or "a" or "in" or "for") next++;
            if (periods.Any(period => period.Start == next)) marker = i;
        }
        if (marker < 0) return (periods[0], periods.Count > 1 ? periods[1] : null);
        var before = periods.FirstOrDefault(period => period.Start < marker);
        var after = periods.Where(period => period.Start > marker).ToList();
        if (before is not null) return (before, after.FirstOrDefault());
        // "NPS vs last quarter" compares now with last quarter; "compare March and April" names both.
        return after.Count >= 2 ? (after[0], after[1]) : (null, after.FirstOrDefault());
    }

    private static QuestionPeriod? ResolveCompare(LocalPeriod main, PeriodMatch? named, CompareShift? shift, PeriodClock clock)
    {
        var like = main.Previous();
        if (named is not null)
        {
            var resolved = Resolve(named, clock);
            if (resolved.Local is not { } local) return Resolve(like, clock).Question;
            // "this month vs last month": like for like, so the same days of last month.
            var sameKind = local.Unit == main.Unit && local.Count == main.Count && local.From == like.From;
            return sameKind ? Resolve(like, clock).Question : resolved.Question;
        }
        return shift switch
        {
            CompareShift.YearEarlier => Resolve(main.YearEarlier(), clock).Question,
            CompareShift.QuarterEarlier => Resolve(main.Shifted(PeriodUnit.Quarter, -1), clock).Question,
            CompareShift.MonthEarlier => Resolve(main.Shifted(PeriodUnit.Month, -1), clock).Question,
            CompareShift.WeekEarlier => Resolve(main.Shifted(PeriodUnit.Week, -1), clock).Question,
            _ => Resolve(like, clock).Question,
        };
    }

    private static SeriesUnit SeriesFor(LocalPeriod period) => period.Unit switch
    {
        PeriodUnit.Week => SeriesUnit.Week,
        PeriodUnit.Day => SeriesUnit.None,
        _ => IsShort(period) ? SeriesUnit.Week : SeriesUnit.Month,
    };

    private static bool IsShort(LocalPeriod period) => (period.To - period.From).TotalDays <= 62;

    /// <summary>The <paramref name="count"/> units ending with the current one (the last one so far).</summary>
    private static LocalPeriod Recent(DateTime now, PeriodUnit unit, int count)
    {
        var current = LocalCalendar.StartOf(now, unit);
        return new LocalPeriod(LocalCalendar.Add(current, unit, 1 - count), LocalCalendar.Add(current, unit, 1), string.Empty, unit, count);
    }

    private static (QuestionPeriod? Question, LocalPeriod? Local) Resolve(PeriodMatch match, PeriodClock clock) => Resolve(match.Period, clock, match.Since);

    /// <summary>Clamps a period to now and turns it into UTC; null when it has not started.</summary>
    private static (QuestionPeriod? Question, LocalPeriod? Local) Resolve(LocalPeriod period, PeriodClock clock, bool since = false)
    {
        if (period.From >= clock.LocalNow) return (null, null);
        if (period.To < clock.LocalNow)
        {
            return (new QuestionPeriod(LocalCalendar.ToUtc(period.From, clock.Zone), LocalCalendar.ToUtc(period.To, clock.Zone), period.Label), period);
        }
        var label = period.Label.Length == 0 || since ? period.Label : $"{period.Label} so far";
        var clamped = period with { To = clock.LocalNow, Label = label };
        return (new QuestionPeriod(LocalCalendar.ToUtc(period.From, clock.Zone), clock.UtcNow, label, ToDate: true), clamped);
    }

    private static LocalPeriod LocalOf(QuestionPeriod period, TimeZoneInfo zone) =>
        new(LocalCalendar.ToLocal(period.From, zone), LocalCalendar.ToLocal(period.To, zone), period.Label, PeriodUnit.Custom);

    private static string Describe(LocalPeriod period) => period.Label.Length > 0 ? char.ToUpperInvariant(period.Label[0]) + period.Label[1..] : "That period";

    private sealed record PeriodClock(DateTime LocalNow, DateTime UtcNow, TimeZoneInfo Zone);
}
