namespace GrowthBot.Core.Questions;

/// <summary>A calendar unit a period is counted in.</summary>
internal enum PeriodUnit
{
    Day,
    Week,
    Month,
    Quarter,
    Half,
    Year,
    /// <summary>Anything else (a date range, "since March"): compared with the same length just before.</summary>
    Custom,
}

/// <summary>
/// A period as the metric engine takes it: <c>[From, To)</c> in UTC. <see cref="Label"/> is how a
/// person named it ("this month so far", "Q3 2025", "last 30 days"; empty for a plain date range).
/// <see cref="ToDate"/> is true when it runs up to the moment of asking.
/// </summary>
public sealed record QuestionPeriod(DateTime From, DateTime To, string Label, bool ToDate = false);

/// <summary>
/// A period in the company's wall-clock time, before it is clamped to now and turned into UTC.
/// <see cref="Unit"/> × <see cref="Count"/> is its natural length, used to find the like-for-like
/// period before it.
/// </summary>
internal sealed record LocalPeriod(DateTime From, DateTime To, string Label, PeriodUnit Unit, int Count = 1)
{
    /// <summary>The same period one length earlier (last month for this month so far: Oct 1–26 for Nov 1–26).</summary>
    public LocalPeriod Previous() => Unit switch
    {
        PeriodUnit.Custom => PreviousCustom(),
        _ => this with { From = LocalCalendar.Add(From, Unit, -Count), To = LocalCalendar.Add(To, Unit, -Count), Label = string.Empty },
    };

    /// <summary>The same period a year earlier.</summary>
    public LocalPeriod YearEarlier() => Shifted(PeriodUnit.Year, -1);

    /// <summary>The same period moved by <paramref name="count"/> units.</summary>
    public LocalPeriod Shifted(PeriodUnit unit, int count) =>
        this with { From = LocalCalendar.Add(From, unit, count), To = LocalCalendar.Add(To, unit, count), Label = string.Empty };

    private LocalPeriod PreviousCustom()
    {
        var (from, to) = Metrics.Periods.Previous(From, To);
        return this with { From = from, To = to, Label = string.Empty };
    }
}
