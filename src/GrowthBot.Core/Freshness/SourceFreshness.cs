using System.ComponentModel.DataAnnotations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using Microsoft.Extensions.Hosting;

namespace GrowthBot.Core.Freshness;

/// <summary>Where a metric's data comes from, for freshness.</summary>
public enum DataSource
{
    /// <summary>Customers, subscriptions (MRR) and orders: Stripe or imports.</summary>
    Billing,
    /// <summary>Support tickets.</summary>
    Support,
    /// <summary>Survey responses.</summary>
    Surveys,
}

/// <summary>How old each source's last event may be before it counts as stale (configuration section <c>Freshness</c>).</summary>
public sealed class FreshnessOptions
{
    public const string SectionName = "Freshness";

    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan BillingMaxAge { get; set; } = TimeSpan.FromDays(2);

    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan SupportMaxAge { get; set; } = TimeSpan.FromDays(2);

    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan SurveysMaxAge { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan MaxAgeOf(DataSource source) => source switch
    {
        DataSource.Billing => BillingMaxAge,
        DataSource.Support => SupportMaxAge,
        _ => SurveysMaxAge,
    };
}

/// <summary>Keeps each source's last event time across restarts.</summary>
public interface IFreshnessStore
{
    IReadOnlyDictionary<DataSource, DateTimeOffset> Load();

    void Save(DataSource source, DateTimeOffset at);
}

/// <summary>One source's freshness: when its last event arrived (null: never), its threshold, and whether it is past it.</summary>
public sealed record SourceStatus(DataSource Source, DateTimeOffset? LastEventAt, TimeSpan MaxAge, bool Stale);

/// <summary>
/// When data last arrived from each source: every write through the host's <see cref="ImportService"/>
/// that changed rows (imports, the import API, connectors, survey answers) counts for the sources of
/// those rows. A source with nothing for longer than its threshold, or never, is stale.
/// </summary>
public sealed class SourceFreshness(ImportService importer, IFreshnessStore store, FreshnessOptions options, TimeProvider time) : IHostedService, IDataFreshness
{
    private readonly Lock _gate = new();
    private Dictionary<DataSource, DateTimeOffset>? _last;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        importer.Written += OnWritten;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        importer.Written -= OnWritten;
        return Task.CompletedTask;
    }

    public IReadOnlyList<SourceStatus> Status()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return StatusOf(Last(), options, now);
        }
    }

    /// <summary>Each source's status from its last event times: stale past its threshold, or never.</summary>
    public static IReadOnlyList<SourceStatus> StatusOf(IReadOnlyDictionary<DataSource, DateTimeOffset> last, FreshnessOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(last);
        ArgumentNullException.ThrowIfNull(options);
        return Enum.GetValues<DataSource>().Select(source =>
        {
            DateTimeOffset? at = last.TryGetValue(source, out var value) ? value : null;
            var maxAge = options.MaxAgeOf(source);
            return new SourceStatus(source, at, maxAge, at is null || now - at.Value > maxAge);
        }).ToList();
    }

    /// <summary>Records that data from these sources arrived now.</summary>
    public void Touch(IEnumerable<DataSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var last = Last();
            foreach (var source in sources.Distinct())
            {
                last[source] = now;
                store.Save(source, now);
            }
        }
    }

    public static IEnumerable<DataSource> SourcesOf(GrowthDataBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Customers.Count + batch.Subscriptions.Count + batch.Orders.Count > 0) yield return DataSource.Billing;
        if (batch.Tickets.Count > 0) yield return DataSource.Support;
        if (batch.Responses.Count > 0) yield return DataSource.Surveys;
    }

    private Dictionary<DataSource, DateTimeOffset> Last() => _last ??= new Dictionary<DataSource, DateTimeOffset>(store.Load());

    private void OnWritten(object? sender, GrowthDataBatch changed) => Touch(SourcesOf(changed));
}
