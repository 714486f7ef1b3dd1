using GrowthBot.Core.Digests;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.Digests;

/// <summary>Schedules across daylight-saving changes in two zones, on a fake clock (nothing waits for real time).</summary>
public sealed class DigestCalendarTests
{
    internal static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    internal static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static readonly DigestSchedule MondaysNine = DigestSchedule.Default;

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Next_MondaysNine_InNewYork_KeepsNineLocalAcrossSpringForward()
    {
        var clock = new FakeTimeProvider(Utc(2026, 3, 1, 12));
        var fires = Walk(MondaysNine, NewYork, clock, 3);

        // Mar 2 is EST (UTC−5); Mar 9 and 16 are EDT (UTC−4) after the change on Sunday Mar 8.
        Assert.Equal([Utc(2026, 3, 2, 14), Utc(2026, 3, 9, 13), Utc(2026, 3, 16, 13)], fires);
    }

    [Fact]
    public void Next_MondaysNine_InBerlin_KeepsNineLocalAcrossFallBack()
    {
        var clock = new FakeTimeProvider(Utc(2026, 10, 18, 12));
        var fires = Walk(MondaysNine, Berlin, clock, 2);

        // Oct 19 is CEST (UTC+2); Oct 26 is CET (UTC+1) after the change on Sunday Oct 25.
        Assert.Equal([Utc(2026, 10, 19, 7), Utc(2026, 10, 26, 8)], fires);
    }

    [Fact]
    public void Next_TimeInTheSpringForwardGap_FiresWhenTheClocksMove()
    {
        var daily0230 = new DigestSchedule(ScheduleDays.Every, new TimeOnly(2, 30));

        // 02:30 does not exist in New York on Mar 8 2026 (02:00 → 03:00 EDT = 07:00 UTC), nor in Berlin on Mar 29 (02:00 → 03:00 CEST = 01:00 UTC).
        Assert.Equal(Utc(2026, 3, 8, 7), DigestCalendar.Next(daily0230, NewYork, Utc(2026, 3, 7, 12)));
        Assert.Equal(Utc(2026, 3, 9, 6, 30), DigestCalendar.Next(daily0230, NewYork, Utc(2026, 3, 8, 7)));
        Assert.Equal(Utc(2026, 3, 29, 1), DigestCalendar.Next(daily0230, Berlin, Utc(2026, 3, 28, 12)));
    }

    [Fact]
    public void Next_TimeInTheFallBackOverlap_FiresOnceAtTheFirst()
    {
        var newYork0130 = new DigestSchedule(ScheduleDays.Every, new TimeOnly(1, 30));
        var berlin0230 = new DigestSchedule(ScheduleDays.Every, new TimeOnly(2, 30));

        // New York, Nov 1 2026: 01:30 EDT (05:30 UTC) and again 01:30 EST (06:30 UTC); only the first fires.
        var first = DigestCalendar.Next(newYork0130, NewYork, Utc(2026, 10, 31, 12));
        Assert.Equal(Utc(2026, 11, 1, 5, 30), first);
        Assert.Equal(Utc(2026, 11, 2, 6, 30), DigestCalendar.Next(newYork0130, NewYork, first));
        // Berlin, Oct 25 2026: 02:30 CEST (00:30 UTC), then 02:30 CET (01:30 UTC).
        var berlinFirst = DigestCalendar.Next(berlin0230, Berlin, Utc(2026, 10, 24, 12));
        Assert.Equal(Utc(2026, 10, 25, 0, 30), berlinFirst);
        Assert.Equal(Utc(2026, 10, 26, 1, 30), DigestCalendar.Next(berlin0230, Berlin, berlinFirst));
    }

    [Fact]
    public void Last_IsTheLatestOccurrenceAtOrBefore()
    {
        Assert.Equal(Utc(2026, 11, 23, 8), DigestCalendar.Last(MondaysNine, Berlin, Utc(2026, 11, 26, 10)));
        Assert.Equal(Utc(2026, 11, 23, 8), DigestCalendar.Last(MondaysNine, Berlin, Utc(2026, 11, 23, 8)));
        Assert.Equal(Utc(2026, 11, 16, 8), DigestCalendar.Last(MondaysNine, Berlin, Utc(2026, 11, 23, 7, 59)));
    }

    [Fact]
    public void PeriodFor_Weekly_IsTheLastCompleteMondayToSundayWeek()
    {
        var fridays = new DigestSchedule(ScheduleDays.Friday, new TimeOnly(16, 0));

        var monday = DigestCalendar.PeriodFor(MondaysNine, Berlin, Utc(2026, 11, 23, 8));
        var friday = DigestCalendar.PeriodFor(fridays, Berlin, Utc(2026, 11, 27, 15));

        Assert.Equal("2026-W47", monday.Key);
        Assert.Equal("2026-W47", friday.Key);
        Assert.Equal(new DateTime(2026, 11, 15, 23, 0, 0, DateTimeKind.Utc), monday.From);
        Assert.Equal(new DateTime(2026, 11, 22, 23, 0, 0, DateTimeKind.Utc), monday.To);
        Assert.Equal("week 47, Nov 16–22", monday.Describe(Utc(2026, 11, 23, 8).UtcDateTime));
    }

    [Fact]
    public void PeriodFor_Daily_IsTheDayBefore()
    {
        var weekdays = new DigestSchedule(ScheduleDays.Weekdays, new TimeOnly(8, 30));

        var period = DigestCalendar.PeriodFor(weekdays, NewYork, Utc(2026, 11, 24, 13, 30));

        Assert.Equal("2026-11-23", period.Key);
        Assert.Equal(new DateTime(2026, 11, 23, 5, 0, 0, DateTimeKind.Utc), period.From);
        Assert.Equal(new DateTime(2026, 11, 24, 5, 0, 0, DateTimeKind.Utc), period.To);
    }

    [Fact]
    public void Period_ThatSpansAClockChange_HasItsRealLength()
    {
        // Berlin's week of Oct 19–25 2026 ends after the fall-back: 7 days and one hour of real time.
        var period = DigestCalendar.PeriodFor(MondaysNine, Berlin, Utc(2026, 10, 26, 8));

        Assert.Equal("2026-W43", period.Key);
        Assert.Equal(TimeSpan.FromHours((7 * 24) + 1), period.To - period.From);
    }

    [Fact]
    public void Period_YearEarlier_Is52WeeksBack_AndKeysAreIsoWeeks()
    {
        var period = DigestCalendar.PeriodFor(MondaysNine, Berlin, Utc(2027, 1, 4, 8));

        Assert.Equal("2026-W53", period.Key);
        Assert.Equal(DayOfWeek.Monday, period.YearEarlier().LocalStart.DayOfWeek);
        Assert.Equal(period.LocalStart.AddDays(-364), period.YearEarlier().LocalStart);
        Assert.Equal("2026-W52", period.Earlier(1).Key);
    }

    /// <summary>Follows the schedule on the fake clock: each next occurrence, then the clock moves to it.</summary>
    private static List<DateTimeOffset> Walk(DigestSchedule schedule, TimeZoneInfo zone, FakeTimeProvider clock, int count)
    {
        var fires = new List<DateTimeOffset>();
        for (var i = 0; i < count; i++)
        {
            var next = DigestCalendar.Next(schedule, zone, clock.GetUtcNow());
            clock.SetUtcNow(next);
            fires.Add(next);
        }
        return fires;
    }
}
