namespace GrowthBot.Core.Questions;

/// <summary>The span a trend covers when asked for after an answer: 6 months (or 8 weeks) ending with the answered period.</summary>
internal static class TrendWindow
{
    public const int Months = 6;
    public const int Weeks = 8;

    public static QuestionPeriod EndingWith(QuestionPeriod period, SeriesUnit unit, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(period);
        var step = unit == SeriesUnit.Week ? PeriodUnit.Week : PeriodUnit.Month;
        var last = LocalCalendar.ToLocal(period.To, zone).AddTicks(-1);
        var from = LocalCalendar.Add(LocalCalendar.StartOf(last, step), step, 1 - (unit == SeriesUnit.Week ? Weeks : Months));
        return new QuestionPeriod(LocalCalendar.ToUtc(from, zone), period.To, string.Empty, period.ToDate);
    }
}
