using System.Globalization;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Metrics.Index;
using EngineSource = GrowthBot.Core.Metrics.DataSource;

namespace GrowthBot.Core.Freshness;

/// <summary>What a reader of answers needs about each source: when data last arrived and its threshold.</summary>
public interface IDataFreshness
{
    IReadOnlyList<SourceStatus> Status();
}

/// <summary>
/// How old the data behind an answer is: the metric's source whose newest data is oldest, when that
/// was (the later of the last arrival and the newest row the engine holds), the source's threshold
/// (<c>Freshness__BillingMaxAge</c>, <c>SupportMaxAge</c>, <c>SurveysMaxAge</c>) and whether it is past it.
/// </summary>
public sealed record DataAge(DataSource Source, DateTimeOffset LastAt, TimeSpan MaxAge, bool Stale)
{
    /// <summary>The age of the data behind <paramref name="metric"/>, or null when it has no source with data (or spend only).</summary>
    public static DataAge? Of(MetricId metric, IMetricEngine engine, IDataFreshness freshness, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(freshness);
        var status = freshness.Status();
        DataAge? oldest = null;
        foreach (var source in SourcesOf(metric))
        {
            var arrived = status.FirstOrDefault(item => item.Source == source);
            DateTimeOffset? newestRow = null;
            foreach (var rows in RowsOf(source))
            {
                if (engine.LastDataAt(rows) is { } at && (newestRow is null || at > newestRow)) newestRow = new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc));
            }
            DateTimeOffset? last = arrived?.LastEventAt is { } arrival && (newestRow is null || arrival > newestRow) ? arrival : newestRow;
            if (last is not { } lastAt) continue;
            var maxAge = arrived?.MaxAge ?? new FreshnessOptions().MaxAgeOf(source);
            var age = new DataAge(source, lastAt, maxAge, now - lastAt > maxAge);
            if (oldest is null || age.LastAt < oldest.LastAt) oldest = age;
        }
        return oldest;
    }

    /// <summary>"billing data is 3 days old (last arrived Dec 4, 2026)"; null while it is within its threshold.</summary>
    public string? Warning(DateTimeOffset now, TimeZoneInfo zone, CultureInfo? culture = null) =>
        Stale ? $"{NameOf(Source)} is {Age(now - LastAt)} old (newest from {Day(zone, culture)}; expected at least every {Age(MaxAge)})" : null;

    /// <summary>"nothing new from billing for 9 days", to add to a <see cref="DataGap"/> of the same source.</summary>
    public string NothingNewFor(DateTimeOffset now) => $"nothing new has arrived for {Age(now - LastAt)}";

    /// <summary>Whether a data gap's source belongs to this freshness source (so the two make one warning).</summary>
    public bool Covers(EngineSource gapSource) => RowsOf(Source).Contains(gapSource);

    public static string NameOf(DataSource source) => source switch
    {
        DataSource.Billing => "billing data",
        DataSource.Support => "support data",
        _ => "survey data",
    };

    /// <summary>The freshness sources a metric's rows come from (spend belongs to none).</summary>
    public static IEnumerable<DataSource> SourcesOf(MetricId metric)
    {
        var facts = MetricFormulaMap.SourcesOf(metric);
        if ((facts & (FactSources.RevenueFlow | FactSources.RevenueCohort | FactSources.Orders | FactSources.Signups)) != 0) yield return DataSource.Billing;
        if ((facts & FactSources.Tickets) != 0) yield return DataSource.Support;
        if ((facts & FactSources.Surveys) != 0) yield return DataSource.Surveys;
    }

    private static IEnumerable<EngineSource> RowsOf(DataSource source) => source switch
    {
        DataSource.Billing => [EngineSource.Billing, EngineSource.Orders, EngineSource.Signups],
        DataSource.Support => [EngineSource.Tickets],
        _ => [EngineSource.Surveys],
    };

    private string Day(TimeZoneInfo zone, CultureInfo? culture) => Text.CultureText.Date(TimeZoneInfo.ConvertTime(LastAt, zone).DateTime, culture);

    private static string Age(TimeSpan span) => span.TotalDays >= 1
        ? $"{(int)span.TotalDays} day{((int)span.TotalDays == 1 ? "" : "s")}"
        : $"{Math.Max(1, (int)span.TotalHours)} hour{((int)span.TotalHours == 1 ? "" : "s")}";
}

/// <summary>Freshness read from the store, for the command line (no host, so nothing arrives while it runs).</summary>
public sealed class StoredFreshness(IFreshnessStore store, FreshnessOptions options, TimeProvider time) : IDataFreshness
{
    public IReadOnlyList<SourceStatus> Status() => SourceFreshness.StatusOf(store.Load(), options, time.GetUtcNow());
}
