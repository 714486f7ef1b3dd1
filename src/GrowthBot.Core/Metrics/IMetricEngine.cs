using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;

namespace GrowthBot.Core.Metrics;

/// <summary>Answers metric questions from the in-memory index; the digest and the question handler both use it.</summary>
public interface IMetricEngine
{
    /// <summary>Answers a query. Throws <see cref="MetricQueryException"/> for a question that cannot be answered as asked.</summary>
    MetricAnswer Answer(MetricQuery query);

    /// <summary>Makes rows new to the store visible to the next answer.</summary>
    void Apply(GrowthDataBatch batch);

    /// <summary>
    /// Makes a write visible: <paramref name="changed"/> are the rows the store took as new or
    /// different, <paramref name="replaced"/> the versions the different ones replaced (see
    /// <see cref="Ports.StoreChanges"/>).
    /// </summary>
    void Apply(GrowthDataBatch changed, GrowthDataBatch? replaced);

    /// <summary>
    /// Replaces everything the engine holds with what <paramref name="store"/> holds now (a host that missed
    /// writes it can no longer apply one by one). Engines that cannot say so.
    /// </summary>
    void Reload(IGrowthStore store) => throw new NotSupportedException($"{GetType().Name} cannot reload from the store.");

    /// <summary>How much the engine holds.</summary>
    EngineStatistics Statistics { get; }

    /// <summary>
    /// The moment of the newest row of <paramref name="source"/> the engine holds (null with
    /// none): what the data itself says about how current it is. Answers compare their period
    /// with it (<see cref="MetricAnswer.DataGap"/>); per-connector freshness can build on it.
    /// </summary>
    DateTime? LastDataAt(DataSource source) => null;

    /// <summary>
    /// Answers several queries as one reading: an engine may gather the rows a period needs once
    /// for every metric computed from them (the alert check asks a thousand alerts' queries at once).
    /// Each answer is what <see cref="Answer"/> gives; null where <see cref="Answer"/> would throw
    /// <see cref="MetricQueryException"/>.
    /// </summary>
    IReadOnlyList<MetricAnswer?> AnswerAll(IReadOnlyList<MetricQuery> queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var answers = new MetricAnswer?[queries.Count];
        for (var i = 0; i < queries.Count; i++)
        {
            try
            {
                answers[i] = Answer(queries[i]);
            }
            catch (MetricQueryException)
            {
                answers[i] = null;
            }
        }
        return answers;
    }

    /// <summary>
    /// A number that changes whenever rows of <paramref name="source"/> (or customers, who group
    /// every source) change, read after the change is visible to answers: a reader that saw the same
    /// number before and after knows no answer computed only from that source moved. Null when the
    /// engine does not count (then every reading must be taken as possibly moved).
    /// </summary>
    long? DataVersion(DataSource source) => null;
}

/// <summary>Sizes of what the engine has indexed.</summary>
public sealed record EngineStatistics(int Customers, int SubscriptionMovements, int Orders, int Tickets, int Responses, int SpendEntries);
