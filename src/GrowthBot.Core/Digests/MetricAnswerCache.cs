using System.Collections.Concurrent;
using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Digests;

/// <summary>
/// Remembers the engine's answers for one delivery run. Channels that follow the same team in the
/// same zone ask exactly the same questions, so a thousand subscriptions cost a handful of
/// distinct digests' worth of engine work. Kept only for a run, so new data shows in the next one.
/// </summary>
public sealed class MetricAnswerCache(IMetricEngine engine)
{
    private readonly ConcurrentDictionary<MetricQuery, MetricAnswer?> _answers = new();

    /// <summary>The answer, or null when the engine refuses the query as asked.</summary>
    public MetricAnswer? Answer(MetricQuery query) => _answers.GetOrAdd(query, Ask);

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
