using System.Globalization;

namespace GrowthBot.Core.Digests;

/// <summary>The days of the week a digest is posted on.</summary>
[Flags]
public enum ScheduleDays
{
    None = 0,
    Monday = 1,
    Tuesday = 2,
    Wednesday = 4,
    Thursday = 8,
    Friday = 16,
    Saturday = 32,
    Sunday = 64,
    Weekdays = Monday | Tuesday | Wednesday | Thursday | Friday,
    Weekend = Saturday | Sunday,
    Every = Weekdays | Weekend,
}

/// <summary>How much a digest covers: the last complete ISO week, or the day before.</summary>
public enum DigestCadence
{
    /// <summary>Posted on one day a week; covers the last complete week, Monday to Sunday.</summary>
    Weekly,

    /// <summary>Posted on several days a week; each post covers the previous calendar day.</summary>
    Daily,
}

/// <summary>
/// When a digest is posted: on <see cref="Days"/> at the wall-clock time <see cref="At"/> in the
/// subscription's time zone. A schedule with one day is <see cref="DigestCadence.Weekly"/>, any
/// other is <see cref="DigestCadence.Daily"/>.
/// </summary>
public sealed record DigestSchedule(ScheduleDays Days, TimeOnly At)
{
    /// <summary>Mondays at 09:00.</summary>
    public static DigestSchedule Default { get; } = new(ScheduleDays.Monday, new TimeOnly(9, 0));

    public DigestCadence Cadence => int.PopCount((int)Days) == 1 ? DigestCadence.Weekly : DigestCadence.Daily;

    public bool Includes(DayOfWeek day) => (Days & FlagOf(day)) != 0;

    /// <summary>"Mondays at 09:00", "weekdays at 08:30", "every day at 17:00", "Mondays and Thursdays at 16:00".</summary>
    public string Describe()
    {
        var time = At.ToString("HH:mm", CultureInfo.InvariantCulture);
        var days = Days switch
        {
            ScheduleDays.Every => "every day",
            ScheduleDays.Weekdays => "weekdays",
            ScheduleDays.Weekend => "weekends",
            _ => Join(Enum.GetValues<DayOfWeek>().OrderBy(day => ((int)day + 6) % 7).Where(Includes).Select(day => $"{day}s").ToList()),
        };
        return $"{days} at {time}";
    }

    /// <summary>The flag for one day.</summary>
    public static ScheduleDays FlagOf(DayOfWeek day) => (ScheduleDays)(1 << (((int)day + 6) % 7));

    private static string Join(List<string> parts) =>
        parts.Count <= 1 ? string.Concat(parts) : $"{string.Join(", ", parts.Take(parts.Count - 1))} and {parts[^1]}";
}
