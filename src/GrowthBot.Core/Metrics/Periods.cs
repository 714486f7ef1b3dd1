namespace GrowthBot.Core.Metrics;

/// <summary>Period arithmetic shared by the engine, the CLI and (later) the question parser.</summary>
public static class Periods
{
    /// <summary>
    /// The period to compare <c>[from, to)</c> with. A period starting on the first of a month
    /// moves back by the calendar months it touches: March with February, Q2 with Q1, and
    /// month-to-date (Nov 1 – Nov 26) with the same days of the previous month (Oct 1 – Oct 26),
    /// whatever the months' lengths. Any other period compares with the same duration just before.
    /// (Questions that name a quarter or year to date compare like for like in the question
    /// answerer, which knows what was asked; a bare span cannot tell "Q4 to date" from "since October".)
    /// </summary>
    public static (DateTime From, DateTime To) Previous(DateTime from, DateTime to)
    {
        if (IsMonthStart(from) && to > from)
        {
            var months = ((to.Year - from.Year) * 12) + to.Month - from.Month;
            if (!IsMonthStart(to)) months++;
            return (from.AddMonths(-months), to.AddMonths(-months));
        }
        var length = to - from;
        return (from - length, from);
    }

    private static bool IsMonthStart(DateTime moment) => moment.Day == 1 && moment.TimeOfDay == TimeSpan.Zero;
}
