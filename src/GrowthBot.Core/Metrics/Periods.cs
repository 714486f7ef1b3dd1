namespace GrowthBot.Core.Metrics;

/// <summary>Period arithmetic shared by the engine, the CLI and (later) the question parser.</summary>
public static class Periods
{
    /// <summary>
    /// The period just before <c>[from, to)</c>. Whole calendar months compare with the same
    /// number of calendar months before (March with February, Q2 with Q1, whatever their
    /// lengths); any other period with the same duration immediately before.
    /// </summary>
    public static (DateTime From, DateTime To) Previous(DateTime from, DateTime to)
    {
        if (IsMonthStart(from) && IsMonthStart(to) && to > from)
        {
            var months = ((to.Year - from.Year) * 12) + to.Month - from.Month;
            return (from.AddMonths(-months), from);
        }
        var length = to - from;
        return (from - length, from);
    }

    private static bool IsMonthStart(DateTime moment) => moment.Day == 1 && moment.TimeOfDay == TimeSpan.Zero;
}
