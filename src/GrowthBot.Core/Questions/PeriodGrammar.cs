using System.Globalization;

namespace GrowthBot.Core.Questions;

/// <summary>
/// Finds the periods named in a question, in the company's wall-clock time (<c>now</c> is local).
/// Understands today/yesterday; this/last week, month, quarter, half and year; "last 30 days",
/// "past 6 months" (the N whole units before the current one); "2 months ago"; YTD/MTD/QTD/WTD and
/// "year to date"; month names with optional day and year ("March", "March 2025", "5 March");
/// quarters and halves ("Q3", "Q3 2025", "2025 Q3", "first quarter of 2025", "H1"); ISO weeks
/// ("week 45"); years; ISO dates ("2025-03-01", "2025-03"); "since X"; and ranges
/// "from X to Y" / "between X and Y" / "X - Y" (Y inclusive). A month, quarter or day named
/// without a year is the most recent one that has started ("last March" the most recent one that
/// has ended). Periods are not yet clamped to now.
/// </summary>
internal sealed class PeriodGrammar(IReadOnlyList<string> words, DateTime now)
{
    private enum PointKind
    {
        Relative,
        Day,
        Month,
        Quarter,
        Half,
        Week,
        Year,
    }

    private sealed record Point(LocalPeriod Period, int Length, PointKind Kind, bool YearGiven);

    private static readonly string[] RangeConnectors = ["to", "until", "till", "through", "-"];

    /// <summary>Every period, left to right, skipping words already <paramref name="taken"/> (and taking the ones it uses).</summary>
    public List<PeriodMatch> FindAll(bool[] taken)
    {
        var matches = new List<PeriodMatch>();
        for (var i = 0; i < words.Count; i++)
        {
            if (taken[i]) continue;
            var match = Match(i);
            if (match is null || Enumerable.Range(match.Start, match.Length).Any(index => taken[index])) continue;
            for (var index = match.Start; index < match.Start + match.Length; index++) taken[index] = true;
            matches.Add(match);
            i = match.Start + match.Length - 1;
        }
        return matches;
    }

    private PeriodMatch? Match(int i)
    {
        if (Is(i, "since") && TryPoint(i + 1) is { } sinceStart)
        {
            var since = new LocalPeriod(sinceStart.Period.From, now.AddYears(100), Since(sinceStart), PeriodUnit.Custom);
            return new PeriodMatch(i, 1 + sinceStart.Length, since, Since: true);
        }
        var (start, opener) = Is(i, "from") ? (i + 1, "from") : Is(i, "between") ? (i + 1, "between") : (i, null);
        if (TryPoint(start) is not { } first) return null;
        var next = start + first.Length;
        var connector = opener == "between" ? ["and", .. RangeConnectors] : RangeConnectors;
        if (next < words.Count && connector.Contains(words[next]) && TryPoint(next + 1) is { } last && (opener is not null || first.Kind != PointKind.Relative))
        {
            var length = next + 1 + last.Length - i;
            return Reversed(first, last) is { } problem
                ? new PeriodMatch(i, length, first.Period, Problem: problem)
                : new PeriodMatch(i, length, Range(first, last));
        }
        if (opener == "between") return null;
        return new PeriodMatch(start, first.Length, first.Period, SeriesHint: first.Kind == PointKind.Relative && IsOver(start));
    }

    private bool IsOver(int start) => Is(start - 1, "over") || (Is(start - 1, "the") && Is(start - 2, "over"));

    private static string Since(Point start) => start.Period.Label.Length > 0 && start.Kind != PointKind.Day
        ? $"since {start.Period.Label}"
        : $"since {start.Period.From.ToString("MMM d, yyyy", CultureInfo.InvariantCulture)}";

    /// <summary>Why "from X to Y" cannot be answered when Y ends before X starts (read as one day, it would answer another question).</summary>
    private static string? Reversed(Point first, Point last)
    {
        var end = last.YearGiven || last.Kind is PointKind.Relative or PointKind.Year ? last.Period.To : SameOrNextYear(last.Period, first.Period.From).To;
        if (end > first.Period.From) return null;
        static string Day(DateTime day) => day.ToString("MMM d, yyyy", CultureInfo.InvariantCulture);
        return $"That period ends ({Day(end.AddDays(-1))}) before it starts ({Day(first.Period.From)}). Put the earlier date first, e.g. \"from {Day(end.AddDays(-1))} to {Day(first.Period.From)}\".";
    }

    private static LocalPeriod Range(Point first, Point last)
    {
        if (!last.YearGiven && last.Kind is not PointKind.Relative and not PointKind.Year)
        {
            last = last with { Period = SameOrNextYear(last.Period, first.Period.From) };
        }
        else if (!first.YearGiven && first.Kind is not PointKind.Relative and not PointKind.Year && last.YearGiven)
        {
            first = first with { Period = SameOrPreviousYear(first.Period, last.Period.To) };
        }
        var from = first.Period.From;
        var to = last.Period.To > from ? last.Period.To : first.Period.To;
        var months = ((to.Year - from.Year) * 12) + to.Month - from.Month;
        var wholeMonths = from.Day == 1 && to.Day == 1 && from.TimeOfDay == TimeSpan.Zero && to.TimeOfDay == TimeSpan.Zero && months > 0;
        return wholeMonths
            ? new LocalPeriod(from, to, string.Empty, PeriodUnit.Month, months)
            : new LocalPeriod(from, to, string.Empty, PeriodUnit.Custom);
    }

    private static LocalPeriod SameOrNextYear(LocalPeriod period, DateTime notBefore)
    {
        var shifted = Shift(period, notBefore.Year - period.From.Year);
        return shifted.From < notBefore ? Shift(shifted, 1) : shifted;
    }

    private static LocalPeriod SameOrPreviousYear(LocalPeriod period, DateTime notAfter)
    {
        var shifted = Shift(period, notAfter.Year - period.From.Year);
        return shifted.From >= notAfter ? Shift(shifted, -1) : shifted;
    }

    private static LocalPeriod Shift(LocalPeriod period, int years) => years == 0
        ? period
        : period with { From = period.From.AddYears(years), To = period.To.AddYears(years), Label = Relabel(period, years) };

    private static string Relabel(LocalPeriod period, int years)
    {
        var year = period.From.Year.ToString(CultureInfo.InvariantCulture);
        var shifted = (period.From.Year + years).ToString(CultureInfo.InvariantCulture);
        return period.Label.Replace(year, shifted, StringComparison.Ordinal);
    }

    /// <summary>A single named period starting at word <paramref name="i"/>.</summary>
    private Point? TryPoint(int i)
    {
        if (i >= words.Count) return null;
        return TryToday(i) ?? TryToDate(i) ?? TryThis(i) ?? TryLast(i) ?? TryAgo(i) ?? TryNext(i)
            ?? TryQuarter(i) ?? TryHalf(i) ?? TryWeekNumber(i) ?? TryMonth(i) ?? TryIso(i) ?? TryYear(i);
    }

    private Point? TryToday(int i) => words[i] switch
    {
        "today" => Relative(Unit(now, PeriodUnit.Day, "today"), 1),
        "yesterday" => Relative(Shifted(PeriodUnit.Day, -1, "yesterday"), 1),
        _ => null,
    };

    private Point? TryToDate(int i)
    {
        PeriodUnit? unit = words[i] switch
        {
            "ytd" => PeriodUnit.Year,
            "qtd" => PeriodUnit.Quarter,
            "mtd" => PeriodUnit.Month,
            "wtd" => PeriodUnit.Week,
            _ => null,
        };
        if (unit is { } abbreviated) return Relative(Unit(now, abbreviated, $"this {Name(abbreviated)}"), 1);
        if (UnitAt(i) is { } named && Is(i + 1, "to") && Is(i + 2, "date") && named != PeriodUnit.Day)
        {
            return Relative(Unit(now, named, $"this {Name(named)}"), 3);
        }
        return null;
    }

    private Point? TryThis(int i)
    {
        if (!Is(i, "this") && !Is(i, "current")) return null;
        var skip = Is(i + 1, "calendar") ? 2 : 1;
        if (UnitAt(i + skip) is { } unit && !IsPlural(i + skip)) return Relative(Unit(now, unit, $"this {Name(unit)}"), skip + 1);
        if ((TryQuarter(i + 1) ?? TryHalf(i + 1) ?? TryMonth(i + 1)) is { } named) return named with { Length = named.Length + 1 };
        return null;
    }

    private Point? TryLast(int i)
    {
        if (!Is(i, "last") && !Is(i, "past") && !Is(i, "previous") && !Is(i, "prior")) return null;
        var at = i + 1;
        if (Is(at, "the")) at++;
        var count = 1;
        var counted = false;
        if (NumberAt(at) is { } number)
        {
            count = number;
            counted = true;
            at++;
            if (Is(at, "of")) at++;
            if (Is(at, "full") || Is(at, "complete") || Is(at, "whole")) at++;
        }
        if (Is(at, "hour") || Is(at, "hours"))
        {
            var hours = new LocalPeriod(now.AddHours(-count), now, $"last {count} hours", PeriodUnit.Custom);
            return Relative(hours, at + 1 - i);
        }
        if (Is(at, "fortnight")) return Relative(Before(PeriodUnit.Week, 2, "last 2 weeks"), at + 1 - i);
        if ((UnitAt(at) ?? (counted ? LetterUnitAt(at) : null)) is { } unit && count is > 0 and <= 1000)
        {
            var label = counted ? $"last {count} {Name(unit)}{(count == 1 ? "" : "s")}" : $"last {Name(unit)}";
            if (!counted && unit == PeriodUnit.Day) label = "yesterday";
            return Relative(Before(unit, count, label), at + 1 - i);
        }
        if (!counted && (TryQuarter(at) ?? TryHalf(at) ?? TryMonth(at)) is { YearGiven: false } named)
        {
            var ended = named.Period.To > now ? Shift(named.Period, -1) : named.Period;
            return named with { Period = ended, Length = named.Length + (at - i) };
        }
        return null;
    }

    private Point? TryAgo(int i)
    {
        var count = Is(i, "a") || Is(i, "an") ? 1 : NumberAt(i);
        if (count is not { } n || (UnitAt(i + 1) ?? LetterUnitAt(i + 1)) is not { } unit || !Is(i + 2, "ago")) return null;
        return Relative(Shifted(unit, -n, $"{n} {Name(unit)}{(n == 1 ? "" : "s")} ago"), 3);
    }

    private Point? TryNext(int i)
    {
        if (!Is(i, "next") || UnitAt(i + 1) is not { } unit) return null;
        return Relative(Shifted(unit, 1, $"next {Name(unit)}"), 2);
    }

    private Point? TryQuarter(int i)
    {
        int? quarter = null;
        var length = 0;
        if (i < words.Count && words[i].Length == 2 && words[i][0] == 'q' && words[i][1] is >= '1' and <= '4')
        {
            quarter = words[i][1] - '0';
            length = 1;
        }
        else if (Is(i, "q") && NumberAt(i + 1) is >= 1 and <= 4)
        {
            quarter = NumberAt(i + 1);
            length = 2;
        }
        else if (QuestionWords.Ordinals.TryGetValue(At(i), out var ordinal) && Is(i + 1, "quarter"))
        {
            quarter = ordinal;
            length = 2;
        }
        else if (YearAt(i) is { } leadingYear && At(i + 1) is { Length: 2 } next && next[0] == 'q' && next[1] is >= '1' and <= '4')
        {
            return Named(new DateTime(leadingYear, ((next[1] - '0') * 3) - 2, 1), PeriodUnit.Quarter, 2, PointKind.Quarter, true);
        }
        if (quarter is not { } q) return null;
        var (year, yearLength) = TrailingYear(i + length);
        var start = new DateTime(year ?? now.Year, (q * 3) - 2, 1);
        if (year is null && start > now) start = start.AddYears(-1);
        return Named(start, PeriodUnit.Quarter, length + yearLength, PointKind.Quarter, year is not null);
    }

    private Point? TryHalf(int i)
    {
        if (At(i) is not { Length: 2 } word || word[0] != 'h' || word[1] is not ('1' or '2')) return null;
        var (year, yearLength) = TrailingYear(i + 1);
        var start = new DateTime(year ?? now.Year, word[1] == '1' ? 1 : 7, 1);
        if (year is null && start > now) start = start.AddYears(-1);
        return Named(start, PeriodUnit.Half, 1 + yearLength, PointKind.Half, year is not null);
    }

    private Point? TryWeekNumber(int i)
    {
        int? week = null;
        var length = 0;
        if (At(i) is { Length: >= 2 and <= 3 } word && word[0] == 'w' && int.TryParse(word[1..], CultureInfo.InvariantCulture, out var numbered))
        {
            (week, length) = (numbered, 1);
        }
        else if (Is(i, "week") && Digits(i + 1) is { } number)
        {
            (week, length) = (number, 2);
        }
        if (week is not (>= 1 and <= 53)) return null;
        var (year, yearLength) = TrailingYear(i + length);
        var isoYear = year ?? ISOWeek.GetYear(now);
        if (week > ISOWeek.GetWeeksInYear(isoYear)) return null;
        var start = ISOWeek.ToDateTime(isoYear, week.Value, DayOfWeek.Monday);
        if (year is null && start > now) start = ISOWeek.ToDateTime(isoYear - 1, Math.Min(week.Value, ISOWeek.GetWeeksInYear(isoYear - 1)), DayOfWeek.Monday);
        var label = $"week {week} of {ISOWeek.GetYear(start)}";
        return new Point(new LocalPeriod(start, start.AddDays(7), label, PeriodUnit.Week), length + yearLength, PointKind.Week, year is not null);
    }

    private Point? TryMonth(int i)
    {
        // "March", "March 2025", "March of 2025", "March 5", "March 5th, 2025", "5 March", "5th of March 2025".
        if (MonthAt(i) is { } month && IsMonthWord(i))
        {
            var at = i + 1;
            var day = DayAt(ref at);
            var (year, yearLength) = TrailingYear(at);
            return day is { } d ? DayPoint(year, month, d, at + yearLength - i) : MonthPoint(year, month, at + yearLength - i);
        }
        if (Digits(i) is { } leadingDay && leadingDay is >= 1 and <= 31)
        {
            var at = i + 1;
            if (At(at) is "st" or "nd" or "rd" or "th") at++;
            if (Is(at, "of")) at++;
            if (MonthAt(at) is { } dayMonth)
            {
                var (year, yearLength) = TrailingYear(at + 1);
                return DayPoint(year, dayMonth, leadingDay, at + 1 + yearLength - i);
            }
        }
        return null;
    }

    private int? DayAt(ref int at)
    {
        if (Digits(at) is not { } day || day is < 1 or > 31 || YearAt(at) is not null) return null;
        at++;
        if (At(at) is "st" or "nd" or "rd" or "th") at++;
        return day;
    }

    private Point? DayPoint(int? year, int month, int day, int length)
    {
        var resolvedYear = year ?? now.Year;
        if (day > DateTime.DaysInMonth(resolvedYear, month)) return null;
        var start = new DateTime(resolvedYear, month, day);
        if (year is null && start > now) start = start.AddYears(-1);
        if (day > DateTime.DaysInMonth(start.Year, month)) return null;
        return new Point(new LocalPeriod(start, start.AddDays(1), string.Empty, PeriodUnit.Day), length, PointKind.Day, year is not null);
    }

    private Point MonthPoint(int? year, int month, int length)
    {
        var start = new DateTime(year ?? now.Year, month, 1);
        if (year is null && start > now) start = start.AddYears(-1);
        return Named(start, PeriodUnit.Month, length, PointKind.Month, year is not null);
    }

    private Point? TryIso(int i)
    {
        var word = At(i);
        if (word.Length < 6 || !char.IsDigit(word[0]) || !word.Contains('-', StringComparison.Ordinal)) return null;
        if (!int.TryParse(word.AsSpan(0, 4), CultureInfo.InvariantCulture, out var leadingYear) || leadingYear is < 1990 or > 2100) return null;
        if (DateTime.TryParseExact(word, ["yyyy-MM-dd", "yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new Point(new LocalPeriod(day, day.AddDays(1), string.Empty, PeriodUnit.Day), 1, PointKind.Day, true);
        }
        if (DateTime.TryParseExact(word, ["yyyy-MM", "yyyy-M"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            return Named(month, PeriodUnit.Month, 1, PointKind.Month, true);
        }
        return null;
    }

    private Point? TryYear(int i)
    {
        if (YearAt(i) is not { } year) return null;
        return Named(new DateTime(year, 1, 1), PeriodUnit.Year, 1, PointKind.Year, true);
    }

    private static Point Named(DateTime start, PeriodUnit unit, int length, PointKind kind, bool yearGiven)
    {
        var label = unit switch
        {
            PeriodUnit.Month => start.ToString("MMMM yyyy", CultureInfo.InvariantCulture),
            PeriodUnit.Quarter => $"Q{((start.Month - 1) / 3) + 1} {start.Year}",
            PeriodUnit.Half => $"H{(start.Month <= 6 ? 1 : 2)} {start.Year}",
            _ => start.Year.ToString(CultureInfo.InvariantCulture),
        };
        return new Point(new LocalPeriod(start, LocalCalendar.Add(start, unit, 1), label, unit), length, kind, yearGiven);
    }

    private static Point Relative(LocalPeriod period, int length) => new(period, length, PointKind.Relative, true);

    /// <summary>The whole unit containing <paramref name="moment"/>.</summary>
    private static LocalPeriod Unit(DateTime moment, PeriodUnit unit, string label)
    {
        var (from, to) = LocalCalendar.Containing(moment, unit);
        return new LocalPeriod(from, to, label, unit);
    }

    /// <summary>The whole unit <paramref name="offset"/> units from the current one.</summary>
    private LocalPeriod Shifted(PeriodUnit unit, int offset, string label)
    {
        var from = LocalCalendar.Add(LocalCalendar.StartOf(now, unit), unit, offset);
        return new LocalPeriod(from, LocalCalendar.Add(from, unit, 1), label, unit);
    }

    /// <summary>The <paramref name="count"/> whole units before the current one.</summary>
    private LocalPeriod Before(PeriodUnit unit, int count, string label)
    {
        var to = LocalCalendar.StartOf(now, unit);
        return new LocalPeriod(LocalCalendar.Add(to, unit, -count), to, label, unit, count);
    }

    private (int? Year, int Length) TrailingYear(int at)
    {
        if (Is(at, "of") && YearAt(at + 1) is { } afterOf) return (afterOf, 2);
        return YearAt(at) is { } year ? (year, 1) : (null, 0);
    }

    private bool IsMonthWord(int i)
    {
        // "may" is a month only where a month makes sense: after a period word, or before a day or year.
        if (!Is(i, "may")) return true;
        return At(i - 1) is "in" or "since" or "from" or "to" or "until" or "between" or "of" or "for" or "during" or "vs" or "and" or "than" or "this" or "last" or "-"
               || Digits(i + 1) is not null || i == 0 && words.Count == 1;
    }

    private PeriodUnit? UnitAt(int i) => QuestionWords.Units.TryGetValue(At(i), out var unit) ? unit : null;

    private PeriodUnit? LetterUnitAt(int i) => QuestionWords.UnitLetters.TryGetValue(At(i), out var unit) ? unit : null;

    private bool IsPlural(int i) => At(i).EndsWith('s');

    private int? MonthAt(int i) => QuestionWords.Months.TryGetValue(At(i), out var month) ? month : null;

    private int? NumberAt(int i) => Digits(i) ?? (QuestionWords.NumberWords.TryGetValue(At(i), out var number) ? number : null);

    private int? Digits(int i) =>
        At(i) is { Length: > 0 and <= 4 } word && word.All(char.IsDigit) ? int.Parse(word, CultureInfo.InvariantCulture) : null;

    private int? YearAt(int i) => At(i) is { Length: 4 } && Digits(i) is { } year && year is >= 1990 and <= 2100 ? year : null;

    private string At(int i) => i >= 0 && i < words.Count ? words[i] : string.Empty;

    private bool Is(int i, string word) => At(i) == word;

    private static string Name(PeriodUnit unit) => unit.ToString().ToLowerInvariant();
}
