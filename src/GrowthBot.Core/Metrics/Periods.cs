namespace GrowthBot.Core.Metrics;

/// <summary>Period arithmetic shared by the engine, the CLI and (later) the question parser.</summary>
public static class Periods
{
    /// <summary>
    /// The period to compare <c>[from, to)</c> (UTC instants) with, on the calendar of <paramref name="zone"/>. A period starting on the first of a month
    /// moves back by the calendar months it touches: March with February, Q2 with Q1, and
    /// month-to-date (Nov 1 – Nov 26) with the same days of the previous month (Oct 1 – Oct 26),
    /// whatever the months' lengths. Any other period compares with the same duration just before.
    /// (Questions that name a quarter or year to date compare like for like in the question
    /// answerer, which knows what was asked; a bare span cannot tell "Q4 to date" from "since October".)
    /// </summary>
    public static (DateTime From, DateTime To) Previous(DateTime from, DateTime to, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        // Calendar months are the company's: March in Berlin starts at Feb 28 23:00 UTC, and the month
        // before it is Berlin's February, not the 31 days before that instant.
        var (localFrom, localTo) = Previous(Questions.LocalCalendar.ToLocal(from, zone), Questions.LocalCalendar.ToLocal(to, zone));
        return (Questions.LocalCalendar.ToUtc(localFrom, zone), Questions.LocalCalendar.ToUtc(localTo, zone));
    }

    /// <summary>As <see cref="Previous(DateTime, DateTime, TimeZoneInfo)"/>, on the calendar of the times given (wall-clock times of one zone).</summary>
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

    /// <summary>
    /// How many calendar months <c>[from, to)</c> spans in <paramref name="zone"/>: whole months
    /// counted on the calendar (March is 1, Q2 is 3, Jan 15 – Mar 15 is 2), and what is left
    /// over as a share of the month it falls in (Mar 1 – Mar 8 is 7/31). LTV uses it to make a
    /// period's churn monthly.
    /// </summary>
    public static double CalendarMonths(DateTime from, DateTime to, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (to <= from) return 0;
        var start = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(from.ToUniversalTime(), DateTimeKind.Utc), zone);
        var end = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(to.ToUniversalTime(), DateTimeKind.Utc), zone);
        var whole = ((end.Year - start.Year) * 12) + end.Month - start.Month;
        while (whole > 0 && start.AddMonths(whole) > end) whole--;
        var reached = start.AddMonths(whole);
        var next = start.AddMonths(whole + 1);
        return whole + ((end - reached).TotalSeconds / (next - reached).TotalSeconds);
    }

    private static bool IsMonthStart(DateTime moment) => moment.Day == 1 && moment.TimeOfDay == TimeSpan.Zero;
}
