using GrowthBot.Core.Questions;

namespace GrowthBot.Core.Digests;

/// <summary>
/// Pure schedule arithmetic on wall-clock times in a zone. A scheduled time skipped by a
/// spring-forward change (02:30 when clocks jump from 02:00 to 03:00) fires at the first instant
/// after the gap (03:00); a time that happens twice when clocks fall back fires once, at its
/// first occurrence. These are the rules Quartz's cron triggers follow, so the host's triggers
/// and this class agree (the tests check both).
/// </summary>
public static class DigestCalendar
{
    /// <summary>The first scheduled instant strictly after <paramref name="after"/>.</summary>
    public static DateTimeOffset Next(DigestSchedule schedule, TimeZoneInfo zone, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(zone);
        if (schedule.Days == ScheduleDays.None) throw new ArgumentException("A schedule needs at least one day.", nameof(schedule));
        // Start a day early: an offset change can move a local date's occurrence across `after`.
        var date = LocalCalendar.ToLocal(after.UtcDateTime, zone).Date.AddDays(-1);
        while (true)
        {
            if (schedule.Includes(date.DayOfWeek) && Resolve(date + schedule.At.ToTimeSpan(), zone) is var instant && instant > after) return instant;
            date = date.AddDays(1);
        }
    }

    /// <summary>The latest scheduled instant at or before <paramref name="atOrBefore"/>.</summary>
    public static DateTimeOffset Last(DigestSchedule schedule, TimeZoneInfo zone, DateTimeOffset atOrBefore)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(zone);
        if (schedule.Days == ScheduleDays.None) throw new ArgumentException("A schedule needs at least one day.", nameof(schedule));
        var date = LocalCalendar.ToLocal(atOrBefore.UtcDateTime, zone).Date.AddDays(1);
        while (true)
        {
            if (schedule.Includes(date.DayOfWeek) && Resolve(date + schedule.At.ToTimeSpan(), zone) is var instant && instant <= atOrBefore) return instant;
            date = date.AddDays(-1);
        }
    }

    /// <summary>
    /// What a digest posted at <paramref name="occurrence"/> reports on: for a weekly schedule the
    /// last complete Monday–Sunday week before the post's local date, for a daily one the day before.
    /// </summary>
    public static DigestPeriod PeriodFor(DigestSchedule schedule, TimeZoneInfo zone, DateTimeOffset occurrence)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var localDate = LocalCalendar.ToLocal(occurrence.UtcDateTime, zone).Date;
        return schedule.Cadence == DigestCadence.Weekly
            ? new DigestPeriod(DigestCadence.Weekly, LocalCalendar.StartOf(localDate, PeriodUnit.Week).AddDays(-7), zone)
            : new DigestPeriod(DigestCadence.Daily, localDate.AddDays(-1), zone);
    }

    /// <summary>
    /// The UTC instant a wall-clock time names: the end of the gap for a time that does not exist,
    /// the first (daylight) occurrence for one that exists twice.
    /// </summary>
    public static DateTimeOffset Resolve(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall))
        {
            // Walk to the first wall-clock minute after the gap: that is the instant the clocks moved.
            var after = wall.AddTicks(-(wall.Ticks % TimeSpan.TicksPerMinute));
            do after = after.AddMinutes(1); while (zone.IsInvalidTime(after));
            // Gaps start on whole minutes in every zone, so the first valid minute is the gap's end.
            return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(after, zone), TimeSpan.Zero);
        }
        if (zone.IsAmbiguousTime(wall))
        {
            var first = zone.GetAmbiguousTimeOffsets(wall).Max();
            return new DateTimeOffset(wall - first, TimeSpan.Zero);
        }
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(wall, zone), TimeSpan.Zero);
    }
}
