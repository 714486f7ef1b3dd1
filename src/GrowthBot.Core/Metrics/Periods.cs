namespace GrowthBot.Core.Metrics;

/// <summary>Period arithmetic shared by the engine, the CLI and (later) the question parser.</summary>
public static class Periods
{
    /// <summary>
    /// The period to compare <c>[from, to)</c> with. Whole calendar months move back by as many
    /// months: March with February, Q2 with Q1. A period that starts on the first of a month and
    /// runs to a moment inside one compares with the same days of the previous month, quarter or
    /// year it is "to date" of: Nov 1 – Nov 26 with Oct 1 – Oct 26, Oct 1 – Nov 26 with Jul 1 –
    /// Aug 26, Jan 1 – Nov 26 with the same span last year. Any other period compares with the
    /// same duration just before.
    /// </summary>
    public static (DateTime From, DateTime To) Previous(DateTime from, DateTime to)
    {
        if (IsMonthStart(from) && to > from)
        {
            var months = ((to.Year - from.Year) * 12) + to.Month - from.Month;
            if (!IsMonthStart(to))
            {
                // A period running into a month (to date): compare with the same days of the
                // enclosing calendar period before — month to date with last month, quarter to
                // date with last quarter, year to date with last year.
                months++;
                if (months > 1 && months <= 3 && (from.Month - 1) % 3 == 0) months = 3;
                else if (months > 3 && months <= 12 && from.Month == 1) months = 12;
            }
            return (from.AddMonths(-months), to.AddMonths(-months));
        }
        var length = to - from;
        return (from - length, from);
    }

    private static bool IsMonthStart(DateTime moment) => moment.Day == 1 && moment.TimeOfDay == TimeSpan.Zero;
}
