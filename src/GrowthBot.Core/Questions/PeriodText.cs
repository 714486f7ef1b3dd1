using System.Globalization;

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
    public static string Describe(QuestionPeriod period, TimeZoneInfo zone, DateTime utcNow)
    {
        ArgumentNullException.ThrowIfNull(period);
        var range = Range(period.From, period.To, zone, utcNow);
        if (period.Label.Length == 0) return range;
        var from = LocalCalendar.ToLocal(period.From, zone);
        var quarterStart = from is { Day: 1, TimeOfDay.Ticks: 0 } && from.Month % 3 == 1;
        if (quarterStart && period.Label.Contains("quarter", StringComparison.OrdinalIgnoreCase))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{period.Label} (Q{((from.Month - 1) / 3) + 1} {from.Year}), {range}");
        }
        return $"{period.Label}, {range}";
    }

    /// <summary>"Nov 1–26", "Oct 27 – Nov 25", "Dec 15, 2024 – Jan 14, 2025", "Nov 26", or with times for part-day periods.</summary>
    public static string Range(DateTime fromUtc, DateTime toUtc, TimeZoneInfo zone, DateTime utcNow)
    {
        var from = LocalCalendar.ToLocal(fromUtc, zone);
        var to = LocalCalendar.ToLocal(toUtc, zone);
        var thisYear = LocalCalendar.ToLocal(utcNow, zone).Year;
        if (from.TimeOfDay != TimeSpan.Zero)
        {
            return $"{Format(from, "MMM d, HH:mm")} – {Format(to, "MMM d, HH:mm")}{(to.Year != thisYear ? $" {to.Year}" : "")}";
        }
        var last = to.TimeOfDay == TimeSpan.Zero ? to.AddDays(-1) : to;
        if (last < from) last = from;
        var year = from.Year == last.Year && last.Year == thisYear ? string.Empty : $", {last.Year}";
        if (from.Date == last.Date) return $"{Format(from, "MMM d")}{year}";
        if (from.Year != last.Year) return $"{Format(from, "MMM d, yyyy")} – {Format(last, "MMM d, yyyy")}";
        if (from.Month == last.Month) return $"{Format(from, "MMM d")}–{Format(last, "%d")}{year}";
        return $"{Format(from, "MMM d")} – {Format(last, "MMM d")}{year}";
    }

    /// <summary>
    /// A bucket of a series: "Jun 2025", "week of Nov 17", and for the current one, cut off at now,
    /// the days it covers: "Dec 1–6, so far" (a partial period, not a whole month).
    /// </summary>
    public static string Bucket(DateTime fromUtc, DateTime toUtc, SeriesUnit unit, TimeZoneInfo zone, bool partial)
    {
        var from = LocalCalendar.ToLocal(fromUtc, zone);
        if (partial)
        {
            var to = LocalCalendar.ToLocal(toUtc, zone);
            var last = to.TimeOfDay == TimeSpan.Zero ? to.AddDays(-1) : to;
            if (last.Date <= from.Date) return $"{Format(from, "MMM d")}, so far";
            return from.Month == last.Month ? $"{Format(from, "MMM d")}–{Format(last, "%d")}, so far" : $"{Format(from, "MMM d")} – {Format(last, "MMM d")}, so far";
        }
        return unit == SeriesUnit.Month && from.Day == 1
            ? Format(from, "MMM yyyy")
            : $"{(unit == SeriesUnit.Week ? "week of " : "from ")}{Format(from, "MMM d")}";
    }

    private static string Format(DateTime moment, string format) => moment.ToString(format, CultureInfo.InvariantCulture);
}
