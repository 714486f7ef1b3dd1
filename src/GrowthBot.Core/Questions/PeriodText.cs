using System.Globalization;
using GrowthBot.Core.Text;

namespace GrowthBot.Core.Questions;

/// <summary>
/// Writes periods the way people read them, in the company's time zone, with the end shown
/// inclusively: <c>[Nov 1, Nov 26 11:00)</c> is "Nov 1–26", a whole March "Mar 1–31". The year is
/// shown when it is not the current one.
/// </summary>
internal static class PeriodText
{
    /// <summary>
    /// "this month so far, Nov 1–26", "last quarter (Q3 2025), Jul 1 – Sep 30" (a quarter named
    /// relatively gets its name and year), or just the range for a period without a name.
    /// </summary>
    public static string Describe(QuestionPeriod period, TimeZoneInfo zone, DateTime utcNow, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(period);
        var range = Range(period.From, period.To, zone, utcNow, culture);
        if (period.Label.Length == 0) return range;
        var from = LocalCalendar.ToLocal(period.From, zone);
        var quarterStart = from is { Day: 1, TimeOfDay.Ticks: 0 } && from.Month % 3 == 1;
        if (quarterStart && period.Label.Contains("quarter", StringComparison.OrdinalIgnoreCase))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{period.Label} (Q{((from.Month - 1) / 3) + 1} {from.Year}), {range}");
        }
        return $"{period.Label}, {range}";
    }

    /// <summary>
    /// "Nov 1–26", "Oct 27 – Nov 25", "Dec 15, 2024 – Jan 14, 2025", "Nov 26", or with times for part-day
    /// periods. In a culture that puts the day first, a range repeats the month: "1. Nov. – 26. Nov.".
    /// </summary>
    public static string Range(DateTime fromUtc, DateTime toUtc, TimeZoneInfo zone, DateTime utcNow, CultureInfo? culture = null)
    {
        var from = LocalCalendar.ToLocal(fromUtc, zone);
        var to = LocalCalendar.ToLocal(toUtc, zone);
        var thisYear = LocalCalendar.ToLocal(utcNow, zone).Year;
        if (from.TimeOfDay != TimeSpan.Zero)
        {
            return $"{DayAndTime(from, culture)} – {DayAndTime(to, culture)}{(to.Year != thisYear ? $" {to.Year}" : "")}";
        }
        var last = to.TimeOfDay == TimeSpan.Zero ? to.AddDays(-1) : to;
        if (last < from) last = from;
        var showYear = from.Year != last.Year || last.Year != thisYear;
        if (from.Date == last.Date) return showYear ? CultureText.Date(from, culture) : CultureText.MonthDay(from, culture);
        if (from.Year != last.Year) return $"{CultureText.Date(from, culture)} – {CultureText.Date(last, culture)}";
        if (!CultureText.MonthFirst(culture)) return $"{CultureText.MonthDay(from, culture)} – {(showYear ? CultureText.Date(last, culture) : CultureText.MonthDay(last, culture))}";
        var year = showYear ? $", {last.Year}" : string.Empty;
        if (from.Month == last.Month) return $"{CultureText.MonthDay(from, culture)}–{Format(last, "%d", culture)}{year}";
        return $"{CultureText.MonthDay(from, culture)} – {CultureText.MonthDay(last, culture)}{year}";
    }

    /// <summary>
    /// A bucket of a series: "Jun 2025", "week of Nov 17", and for the current one, cut off at now,
    /// the days it covers: "Dec 1–6, so far" (a partial period, not a whole month).
    /// </summary>
    public static string Bucket(DateTime fromUtc, DateTime toUtc, SeriesUnit unit, TimeZoneInfo zone, bool partial, CultureInfo? culture = null)
    {
        var from = LocalCalendar.ToLocal(fromUtc, zone);
        if (partial)
        {
            var to = LocalCalendar.ToLocal(toUtc, zone);
            var last = to.TimeOfDay == TimeSpan.Zero ? to.AddDays(-1) : to;
            if (last.Date <= from.Date) return $"{CultureText.MonthDay(from, culture)}, so far";
            return from.Month == last.Month && CultureText.MonthFirst(culture)
                ? $"{CultureText.MonthDay(from, culture)}–{Format(last, "%d", culture)}, so far"
                : $"{CultureText.MonthDay(from, culture)} – {CultureText.MonthDay(last, culture)}, so far";
        }
        return unit == SeriesUnit.Month && from.Day == 1
            ? CultureText.MonthYear(from, culture)
            : $"{(unit == SeriesUnit.Week ? "week of " : "from ")}{CultureText.MonthDay(from, culture)}";
    }

    private static string DayAndTime(DateTime moment, CultureInfo? culture) => $"{CultureText.MonthDay(moment, culture)}, {CultureText.Time(moment, culture)}";

    private static string Format(DateTime moment, string format, CultureInfo? culture) => moment.ToString(format, culture ?? CultureInfo.InvariantCulture);
}
