namespace GrowthBot.Core.Questions;

/// <summary>Calendar arithmetic on wall-clock times: weeks start on Monday (ISO 8601), quarters in Jan/Apr/Jul/Oct.</summary>
internal static class LocalCalendar
{
    public static DateTime StartOf(DateTime moment, PeriodUnit unit) => unit switch
    {
        PeriodUnit.Day => moment.Date,
        PeriodUnit.Week => moment.Date.AddDays(-(((int)moment.DayOfWeek + 6) % 7)),
        PeriodUnit.Month => new DateTime(moment.Year, moment.Month, 1, 0, 0, 0, DateTimeKind.Unspecified),
        PeriodUnit.Quarter => new DateTime(moment.Year, ((moment.Month - 1) / 3 * 3) + 1, 1, 0, 0, 0, DateTimeKind.Unspecified),
        PeriodUnit.Half => new DateTime(moment.Year, moment.Month <= 6 ? 1 : 7, 1, 0, 0, 0, DateTimeKind.Unspecified),
        PeriodUnit.Year => new DateTime(moment.Year, 1, 1, 0, 0, 0, DateTimeKind.Unspecified),
        _ => moment,
    };

    public static DateTime Add(DateTime moment, PeriodUnit unit, int count) => unit switch
    {
        PeriodUnit.Day => moment.AddDays(count),
        PeriodUnit.Week => moment.AddDays(7 * count),
        PeriodUnit.Month => moment.AddMonths(count),
        PeriodUnit.Quarter => moment.AddMonths(3 * count),
        PeriodUnit.Half => moment.AddMonths(6 * count),
        PeriodUnit.Year => moment.AddYears(count),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "A custom period has no unit length."),
    };

    /// <summary>The whole unit that contains <paramref name="moment"/>.</summary>
    public static (DateTime From, DateTime To) Containing(DateTime moment, PeriodUnit unit)
    {
        var from = StartOf(moment, unit);
        return (from, Add(from, unit, 1));
    }

    /// <summary>Wall-clock time in <paramref name="zone"/> to UTC; a time skipped by a clock change moves forward past the gap.</summary>
    public static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        for (var guard = 0; zone.IsInvalidTime(unspecified) && guard < 4; guard++) unspecified = unspecified.AddMinutes(30);
        return TimeZoneInfo.ConvertTimeToUtc(unspecified, zone);
    }

    /// <summary>A UTC instant as wall-clock time in <paramref name="zone"/>.</summary>
    public static DateTime ToLocal(DateTime utc, TimeZoneInfo zone) =>
        DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone), DateTimeKind.Unspecified);
}
