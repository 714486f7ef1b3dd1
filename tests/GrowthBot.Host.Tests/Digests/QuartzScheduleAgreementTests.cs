using GrowthBot.Core.Conversations;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Host.Digests;
using Microsoft.Extensions.Time.Testing;
using Quartz;

namespace GrowthBot.Host.Tests.Digests;

/// <summary>
/// The host's Quartz cron triggers fire exactly when Core's schedule arithmetic says, across a
/// year of daylight-saving changes in New York and Berlin, including times in the spring-forward
/// gap and the fall-back overlap. Nothing waits: both sides are asked for fire times.
/// </summary>
public sealed class QuartzScheduleAgreementTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "America/New_York", "mondays 09:00" },
        { "America/New_York", "weekdays 8:30" },
        { "America/New_York", "daily 02:30" },
        { "America/New_York", "daily 01:30" },
        { "America/New_York", "sundays 2am" },
        { "Europe/Berlin", "mondays 09:00" },
        { "Europe/Berlin", "daily 02:30" },
        { "Europe/Berlin", "sat-sun 3:00" },
        { "Europe/Berlin", "fridays at 4pm" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void CronTrigger_AndCoreSchedule_AgreeForAYear(string zoneId, string scheduleText)
    {
        Assert.True(ScheduleParser.TryParse(scheduleText, out var schedule, out _));
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var subscription = new DigestSubscription("s1", ChatPlatform.Slack, "C1", Team.Marketing, [], schedule, zoneId, "U1", start);
        var trigger = QuartzDigestTriggers.TriggerFor(subscription, zone, new FakeTimeProvider(start));

        var quartz = start;
        var core = start;
        for (var i = 0; i < 400 && quartz.Year == 2026; i++)
        {
            quartz = trigger.GetFireTimeAfter(quartz) ?? throw new InvalidOperationException("Quartz found no next fire time");
            core = DigestCalendar.Next(schedule, zone, core);
            Assert.Equal(core, quartz);
        }
    }

    [Fact]
    public void CronTrigger_InTheSpringForwardGap_FiresAtTheEndOfTheGap()
    {
        Assert.True(ScheduleParser.TryParse("sundays 02:30", out var schedule, out _));
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var subscription = new DigestSubscription("s1", ChatPlatform.Slack, "C1", Team.Marketing, [], schedule, zone.Id, "U1", DateTimeOffset.UnixEpoch);

        var fire = QuartzDigestTriggers.TriggerFor(subscription, zone, new FakeTimeProvider(DateTimeOffset.UnixEpoch)).GetFireTimeAfter(new DateTimeOffset(2026, 3, 7, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 3, 8, 7, 0, 0, TimeSpan.Zero), fire);
    }

    [Theory]
    [InlineData("mondays 09:00", "0 0 9 ? * MON")]
    [InlineData("weekdays 8:30", "0 30 8 ? * MON,TUE,WED,THU,FRI")]
    [InlineData("daily 17:05", "0 5 17 ? * MON,TUE,WED,THU,FRI,SAT,SUN")]
    public void Cron_Expression(string text, string cron)
    {
        Assert.True(ScheduleParser.TryParse(text, out var schedule, out _));

        Assert.Equal(cron, DigestCron.For(schedule));
        Assert.NotNull(new CronExpression(cron).GetNextValidTimeAfter(DateTimeOffset.UnixEpoch));
    }
}
