using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using GrowthBot.Core.Operations;

namespace GrowthBot.Host.Api;

/// <summary>
/// The host's <see cref="GrowthBotMetrics"/> in the Prometheus text exposition format (version
/// 0.0.4), for a scraper on <c>/internal/metrics</c>. Listens only to the meter this host's own
/// <see cref="IMeterFactory"/> made, so two hosts in one process (tests) never mix their counts.
/// Counters become <c>growthbot_…_total</c>; the queue depth is a gauge read at each scrape.
/// </summary>
internal sealed class PrometheusMetrics : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, byte> _instruments = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), long> _values = new();

    public PrometheusMetrics(IMeterFactory factory, GrowthBotMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name != GrowthBotMetrics.MeterName || !ReferenceEquals(instrument.Meter.Scope, factory)) return;
            _instruments[instrument] = 0;
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _values.AddOrUpdate((instrument, Labels(tags)), value, (_, total) => total + value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => _values[(instrument, Labels(tags))] = value);
        _listener.Start();
    }

    /// <summary>The current values, in the exposition format.</summary>
    public string Scrape()
    {
        // Gauges are read now (their callbacks run and report through the int callback above).
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var instrument in _instruments.Keys.OrderBy(instrument => instrument.Name, StringComparer.Ordinal))
        {
            var counter = instrument is Counter<long>;
            var name = instrument.Name.Replace('.', '_') + (counter ? "_total" : string.Empty);
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {instrument.Description}\n");
            text.Append(CultureInfo.InvariantCulture, $"# TYPE {name} {(counter ? "counter" : "gauge")}\n");
            var series = _values.Where(pair => pair.Key.Instrument == instrument).OrderBy(pair => pair.Key.Labels, StringComparer.Ordinal).ToList();
            // A counter nothing has happened to yet still shows, at 0, so a dashboard sees it exists.
            if (series.Count == 0) text.Append(CultureInfo.InvariantCulture, $"{name} 0\n");
            foreach (var ((_, labels), value) in series) text.Append(CultureInfo.InvariantCulture, $"{name}{labels} {value}\n");
        }
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0) return string.Empty;
        var pairs = new List<string>(tags.Length);
        foreach (var tag in tags) pairs.Add($"{tag.Key}=\"{Escape(Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty)}\"");
        pairs.Sort(StringComparer.Ordinal);
        return "{" + string.Join(',', pairs) + "}";
    }

    /// <summary>Label values escape backslash, double quote and line feed, as the format requires.</summary>
    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

/// <summary><c>GET /internal/metrics</c>: the counters for a Prometheus scraper, behind the admin credential.</summary>
internal static class MetricsEndpoints
{
    public const string Path = "/internal/metrics";

    public static IEndpointRouteBuilder MapGrowthBotMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, (PrometheusMetrics metrics) => Results.Text(metrics.Scrape(), PrometheusMetrics.ContentType))
            .RequireAuthorization(Auth.ApiKeyPolicies.Admin)
            .ExcludeFromDescription();
        return endpoints;
    }
}
