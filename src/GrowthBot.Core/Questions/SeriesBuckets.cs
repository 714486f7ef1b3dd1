namespace GrowthBot.Core.Questions;

/// <summary>
/// One step of a series: <c>[From, To)</c> in UTC and how it is shown. <see cref="Partial"/> marks
/// the current month or week, cut off at now ("Dec 1–6, so far"): it is not comparable with whole steps.
/// </summary>
internal sealed record SeriesBucket(DateTime From, DateTime To, string Label, bool Partial = false);

/// <summary>Cuts a period into calendar months or ISO weeks (Monday start) in the company's time zone.</summary>
internal static class SeriesBuckets
{
    /// <summary>The most steps a series shows; a longer one keeps the latest.</summary>
    public const int MaxMonths = 36;
    public const int MaxWeeks = 53;

    public static IReadOnlyList<SeriesBucket> Split(QuestionPeriod period, SeriesUnit unit, TimeZoneInfo zone, out bool truncated, System.Globalization.CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(period);
        var step = unit == SeriesUnit.Week ? PeriodUnit.Week : PeriodUnit.Month;
        var from = LocalCalendar.ToLocal(period.From, zone);
        var end = LocalCalendar.ToLocal(period.To, zone);
        var buckets = new List<SeriesBucket>();
        var start = from;
        var startUtc = period.From;
        while (start < end)
        {
            var next = LocalCalendar.Add(LocalCalendar.StartOf(start, step), step, 1);
            var last = next >= end;
            var nextUtc = last ? period.To : LocalCalendar.ToUtc(next, zone);
            var partial = last && period.ToDate;
            buckets.Add(new SeriesBucket(startUtc, nextUtc, PeriodText.Bucket(startUtc, nextUtc, unit, zone, partial, culture), partial));
            start = next;
            startUtc = nextUtc;
        }
        var max = unit == SeriesUnit.Week ? MaxWeeks : MaxMonths;
        truncated = buckets.Count > max;
        return truncated ? buckets.Skip(buckets.Count - max).ToList() : buckets;
    }
}
