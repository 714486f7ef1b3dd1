namespace GrowthBot.Core.Metrics;

/// <summary>The kinds of rows a metric is computed from; each has its own last data date.</summary>
public enum DataSource
{
    /// <summary>The subscriptions log (MRR movements): every revenue and customer metric.</summary>
    Billing,
    Surveys,
    Orders,
    Tickets,
    Spend,
    Signups,
}

/// <summary>
/// A period that runs past the last data of a source the metric depends on, by more than
/// <see cref="DataGap.Tolerance"/>: the metric cannot tell "nothing happened" from "nothing
/// arrived", so the answer says how old the data is instead of presenting a zero as real.
/// </summary>
/// <param name="Source">The source whose data ends first.</param>
/// <param name="LastDataAt">Its newest row's moment (UTC).</param>
public sealed record DataGap(DataSource Source, DateTime LastDataAt)
{
    /// <summary>
    /// How long a source may be silent before a period's end without a warning: a week, so a daily
    /// or weekly feed that has not delivered today's rows yet is not called stale.
    /// </summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromDays(7);

    /// <summary>"billing data ends on Jul 14, 2026", the date in <paramref name="zone"/>.</summary>
    public string Describe(TimeZoneInfo zone, System.Globalization.CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(LastDataAt, DateTimeKind.Utc), zone);
        return $"{NameOf(Source)} ends on {Text.CultureText.Date(local, culture)}";
    }

    /// <summary>How a source is named to people.</summary>
    public static string NameOf(DataSource source) => source switch
    {
        DataSource.Billing => "billing data",
        DataSource.Surveys => "survey data",
        DataSource.Orders => "order data",
        DataSource.Tickets => "ticket data",
        DataSource.Spend => "spend data",
        _ => "sign-up data",
    };
}
