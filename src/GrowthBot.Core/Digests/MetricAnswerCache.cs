using System.Collections.Concurrent;
using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Digests;

/// <summary>
/// Remembers the engine's answers (and the charts drawn from them) for one delivery run. Channels that follow the same team in the
/// same zone ask exactly the same questions, so a thousand subscriptions cost a handful of
/// distinct digests' worth of engine work. Kept only for a run, so new data shows in the next one.
/// </summary>
public sealed class MetricAnswerCache(IMetricEngine engine)
{
    private readonly ConcurrentDictionary<MetricQuery, MetricAnswer?> _answers = new();
    private readonly ConcurrentDictionary<string, Lazy<byte[]>> _charts = new(StringComparer.Ordinal);

    /// <summary>The answer, or null when the engine refuses the query as asked.</summary>
    public MetricAnswer? Answer(MetricQuery query) => _answers.GetOrAdd(query, Ask);

    /// <summary>
    /// The chart drawn for <paramref name="key"/> (its whole content), drawing it once: drawing is most of
    /// a digest's cost, and channels that follow the same team in the same zone get the same chart.
    /// </summary>
    public byte[] Chart(string key, Func<byte[]> draw) =>
        _charts.GetOrAdd(key, _ => new Lazy<byte[]>(draw, LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private MetricAnswer? Ask(MetricQuery query)
    {
        try
        {
            return engine.Answer(query);
        }
        catch (MetricQueryException)
        {
            return null;
        }
    }
}
