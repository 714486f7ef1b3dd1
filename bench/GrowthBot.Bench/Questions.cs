using GrowthBot.Core.Metrics;

namespace GrowthBot.Bench;

/// <summary>One timed question: a metric over a named period.</summary>
internal sealed record Question(MetricDefinition Metric, string PeriodName, DateTime From, DateTime To)
{
    public double Days => (To - From).TotalDays;

    /// <summary>Calendar months in UTC, as LTV counts them.</summary>
    public double Months => Periods.CalendarMonths(From, To, TimeZoneInfo.Utc);
}

/// <summary>The fixed clock and the questions every size is asked.</summary>
internal static class Questions
{
    /// <summary>A fixed "now", so every run generates and asks the same thing.</summary>
    public static readonly DateTime Now = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>[first of now's month, now).</summary>
    public static (DateTime From, DateTime To) ThisMonth(DateTime now) => (new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc), now);

    /// <summary>The previous calendar quarter, e.g. [Jul 1, Oct 1) when now is in Q4.</summary>
    public static (DateTime From, DateTime To) LastQuarter(DateTime now)
    {
        var thisQuarter = new DateTime(now.Year, ((now.Month - 1) / 3 * 3) + 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return (thisQuarter.AddMonths(-3), thisQuarter);
    }

    public static IReadOnlyList<Question> All()
    {
        var (monthFrom, monthTo) = ThisMonth(Now);
        var (quarterFrom, quarterTo) = LastQuarter(Now);
        var questions = new List<Question>();
        foreach (var metric in MetricCatalog.All)
        {
            questions.Add(new Question(metric, "this month", monthFrom, monthTo));
            questions.Add(new Question(metric, "last quarter", quarterFrom, quarterTo));
        }
        return questions;
    }
}
