using GrowthBot.Core.Digests;

namespace GrowthBot.Core.Tests.Digests;

public sealed class ScheduleParserTests
{
    [Theory]
    [InlineData("mondays 09:00", ScheduleDays.Monday, 9, 0)]
    [InlineData("Mondays 9:00", ScheduleDays.Monday, 9, 0)]
    [InlineData("weekdays 8:30", ScheduleDays.Weekdays, 8, 30)]
    [InlineData("daily 17:00", ScheduleDays.Every, 17, 0)]
    [InlineData("every day at 17:00", ScheduleDays.Every, 17, 0)]
    [InlineData("fridays at 4pm", ScheduleDays.Friday, 16, 0)]
    [InlineData("friday at 4 pm", ScheduleDays.Friday, 16, 0)]
    [InlineData("every tuesday at noon", ScheduleDays.Tuesday, 12, 0)]
    [InlineData("on thursday 7:15am", ScheduleDays.Thursday, 7, 15)]
    [InlineData("mon, thu 16:00", ScheduleDays.Monday | ScheduleDays.Thursday, 16, 0)]
    [InlineData("mon-fri 7am", ScheduleDays.Weekdays, 7, 0)]
    [InlineData("sat-mon 10:00", ScheduleDays.Saturday | ScheduleDays.Sunday | ScheduleDays.Monday, 10, 0)]
    [InlineData("weekends 10.30", ScheduleDays.Weekend, 10, 30)]
    [InlineData("12am", ScheduleDays.Monday, 0, 0)]
    [InlineData("wednesdays", ScheduleDays.Wednesday, 9, 0)]
    [InlineData("at 8:00", ScheduleDays.Monday, 8, 0)]
    [InlineData("", ScheduleDays.Monday, 9, 0)]
    public void TryParse_ReadsHowPeopleWriteSchedules(string text, ScheduleDays days, int hour, int minute)
    {
        Assert.True(ScheduleParser.TryParse(text, out var schedule, out var error), error);

        Assert.Equal(new DigestSchedule(days, new TimeOnly(hour, minute)), schedule);
    }

    [Theory]
    [InlineData("fortnightly 9:00", "\"fortnightly\"")]
    [InlineData("mondays 25:00", "not a time of day")]
    [InlineData("mondays 13pm", "1–12")]
    [InlineData("mondays 9:00 10:00", "two times")]
    public void TryParse_Nonsense_SaysWhatItCouldNotRead(string text, string expected)
    {
        Assert.False(ScheduleParser.TryParse(text, out _, out var error));

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ScheduleDays.Monday, DigestCadence.Weekly, "Mondays at 09:00")]
    [InlineData(ScheduleDays.Weekdays, DigestCadence.Daily, "weekdays at 09:00")]
    [InlineData(ScheduleDays.Every, DigestCadence.Daily, "every day at 09:00")]
    [InlineData(ScheduleDays.Monday | ScheduleDays.Thursday, DigestCadence.Daily, "Mondays and Thursdays at 09:00")]
    public void Schedule_OneDayIsWeekly_SeveralAreDaily(ScheduleDays days, DigestCadence cadence, string described)
    {
        var schedule = new DigestSchedule(days, new TimeOnly(9, 0));

        Assert.Equal(cadence, schedule.Cadence);
        Assert.Equal(described, schedule.Describe());
    }
}
