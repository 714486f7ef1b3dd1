using GrowthBot.Core.Questions;

namespace GrowthBot.Core.Alerts;

/// <summary>
/// The period an alert looks at in one check, and the period it is compared with, in UTC.
/// <see cref="Key"/> names the period so a later post in the same period updates the first.
/// </summary>
internal sealed record AlertWindow(DateTime From, DateTime To, DateTime PreviousFrom, DateTime PreviousTo, string Label, string PreviousLabel, string Key, bool Rolling)
{
    public const string RollingKey = "rolling";

    /// <summary>The default window's length: the last 7 days, against the 7 before.</summary>
    public static readonly TimeSpan RollingLength = TimeSpan.FromDays(7);

    /// <summary>The rule's period at <paramref name="now"/>: the words it was set with, read again, or the last 7 days.</summary>
    public static AlertWindow Resolve(AlertRule rule, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(rule);
        // Periods that run to now ("this month so far", the last 7 days) run to the next whole minute:
        // every row so far is inside, and the checks of one minute read one period, so the engine's
        // work for a period (the starting base of a cohort) is done once a minute, not at every check.
        var clock = new DateTimeOffset(NextMinute(now.UtcDateTime));
        if (rule.PeriodText is { } text && QuestionParser.Parse(text, clock, zone, previous: null) is { Period: { } period } question && !question.PeriodDefaulted && period.To > period.From)
        {
            var compare = question.Compare ?? new QuestionPeriod(period.From - (period.To - period.From), period.From, string.Empty);
            var label = period.Label.Length > 0 ? period.Label : $"{period.From:yyyy-MM-dd} to {period.To:yyyy-MM-dd}";
            var previousLabel = compare.Label.Length > 0 ? compare.Label : "the period before";
            return new AlertWindow(period.From, period.To, compare.From, compare.To, label, previousLabel, $"{label}@{period.From:yyyy-MM-ddTHH:mm}", Rolling: false);
        }
        var to = clock.UtcDateTime;
        var from = to - RollingLength;
        return new AlertWindow(from, to, from - RollingLength, from, "the last 7 days", "the 7 days before", RollingKey, Rolling: true);
    }

    private static DateTime NextMinute(DateTime utc)
    {
        var floor = new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
        return floor == utc ? utc : floor.AddMinutes(1);
    }

    /// <summary>The earlier windows of the same length, newest first, that "unusual" learns from.</summary>
    public IEnumerable<(DateTime From, DateTime To)> History(int count)
    {
        var length = To - From;
        var end = From;
        for (var i = 0; i < count; i++)
        {
            yield return (end - length, end);
            end -= length;
        }
    }
}
