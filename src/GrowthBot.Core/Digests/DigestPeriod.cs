using System.Globalization;
using GrowthBot.Core.Questions;

namespace GrowthBot.Core.Digests;

/// <summary>
/// What one digest reports on: a whole ISO week (Monday 00:00 to Monday 00:00) or a whole day in
/// the subscription's time zone, as UTC instants for the metric engine. <see cref="Key"/>
/// ("2026-W47", "2026-11-25") names it; "exactly once per channel and period" is keyed on it.
/// </summary>
public sealed record DigestPeriod(DigestCadence Cadence, DateTime LocalStart, TimeZoneInfo Zone)
{
    /// <summary>The start, in UTC (a local midnight skipped by a clock change moves forward past the gap).</summary>
    public DateTime From => LocalCalendar.ToUtc(LocalStart, Zone);

    /// <summary>The end (exclusive), in UTC.</summary>
    public DateTime To => LocalCalendar.ToUtc(LocalStart.AddDays(Days), Zone);

    public int Days => Cadence == DigestCadence.Weekly ? 7 : 1;

    /// <summary>"2026-W47" for a week (ISO week-numbering year), "2026-11-25" for a day.</summary>
    public string Key => Cadence == DigestCadence.Weekly
        ? string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(LocalStart)}-W{ISOWeek.GetWeekOfYear(LocalStart):D2}")
        : LocalStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"week" or "day", for sentences.</summary>
    public string Noun => Cadence == DigestCadence.Weekly ? "week" : "day";

    /// <summary>The period <paramref name="count"/> steps earlier (a week or a day each).</summary>
    public DigestPeriod Earlier(int count) => this with { LocalStart = LocalStart.AddDays(-Days * count) };

    /// <summary>The same period a year earlier: 52 weeks (364 days) back, so weeks stay Monday to Sunday and days keep their weekday.</summary>
    public DigestPeriod YearEarlier() => this with { LocalStart = LocalStart.AddDays(-364) };

    /// <summary>"week 47, Nov 17–23" or "Tue, Nov 25"; the dates in <paramref name="culture"/>, the words English.</summary>
    public string Describe(DateTime utcNow, CultureInfo? culture = null) => Cadence == DigestCadence.Weekly
        ? string.Create(CultureInfo.InvariantCulture, $"week {ISOWeek.GetWeekOfYear(LocalStart)}, {Range(utcNow, culture)}")
        : $"{LocalStart.ToString("ddd", CultureInfo.InvariantCulture)}, {Range(utcNow, culture)}";

    /// <summary>"Nov 17–23", "Nov 25", with the year when it is not the current one.</summary>
    public string Range(DateTime utcNow, CultureInfo? culture = null) => PeriodText.Range(From, To, Zone, utcNow, culture);

    /// <summary>Short label for a chart axis: "Nov 17" (the week's Monday, or the day).</summary>
    public string AxisLabel => LocalStart.ToString("MMM d", CultureInfo.InvariantCulture);
}
