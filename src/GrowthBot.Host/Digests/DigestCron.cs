using System.Globalization;
using GrowthBot.Core.Digests;

namespace GrowthBot.Host.Digests;

/// <summary>A digest schedule as a Quartz cron expression: "0 30 8 ? * MON-FRI" style, seconds first.</summary>
internal static class DigestCron
{
    private static readonly string[] Names = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];

    public static string For(DigestSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var days = Enumerable.Range(0, 7).Where(i => ((int)schedule.Days & (1 << i)) != 0).Select(i => Names[i]);
        return string.Create(CultureInfo.InvariantCulture, $"0 {schedule.At.Minute} {schedule.At.Hour} ? * {string.Join(',', days)}");
    }
}
