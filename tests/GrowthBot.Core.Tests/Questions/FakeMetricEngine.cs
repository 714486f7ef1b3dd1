using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Tests.Questions;

/// <summary>
/// A hand-written metric engine: answers each query from <see cref="Results"/> (by metric and UTC
/// start), else "no data", and records every query it was asked (the answerer asks in parallel).
/// </summary>
internal sealed class FakeMetricEngine : IMetricEngine
{
    public Dictionary<(MetricId Metric, DateTime From), MetricResult> Results { get; } = [];

    public Dictionary<MetricId, IReadOnlyList<MetricGroup>> Groups { get; } = [];

    private readonly List<MetricQuery> _queries = [];

    public IReadOnlyList<MetricQuery> Queries
    {
        get
        {
            lock (_queries) return [.. _queries];
        }
    }

    public string? Refuse { get; set; }

    public Exception? Fail { get; set; }

    public void ClearQueries()
    {
        lock (_queries) _queries.Clear();
    }

    public EngineStatistics Statistics => new(0, 0, 0, 0, 0, 0);

    private int _askedInParallelLoops;

    /// <summary>How many queries were asked from inside a <see cref="Parallel"/> loop (found on the call stack).</summary>
    public int AskedInParallelLoops => Volatile.Read(ref _askedInParallelLoops);

    public MetricAnswer Answer(MetricQuery query)
    {
        lock (_queries) _queries.Add(query);
        if (new System.Diagnostics.StackTrace().GetFrames().Any(frame => frame.GetMethod()?.DeclaringType?.FullName?.StartsWith("System.Threading.Tasks.Parallel", StringComparison.Ordinal) == true))
        {
            Interlocked.Increment(ref _askedInParallelLoops);
        }
        if (Fail is not null) throw Fail;
        if (Refuse is not null && query.By != Breakdown.None) throw new MetricQueryException(Refuse);
        var result = Results.GetValueOrDefault((query.Metric, query.From)) ?? MetricResult.Undefined();
        var groups = query.By == Breakdown.None ? null : Groups.GetValueOrDefault(query.Metric) ?? [];
        return new MetricAnswer(MetricCatalog.Get(query.Metric), query.From, query.To, result, groups, null);
    }

    public void Apply(GrowthDataBatch batch) => throw new NotSupportedException();

    public void Apply(GrowthDataBatch changed, GrowthDataBatch? replaced) => throw new NotSupportedException();

    /// <summary>Berlin wall-clock time to the UTC instant the engine is asked for.</summary>
    public static DateTime Utc(int year, int month, int day, int hour = 0) =>
        TimeZoneInfo.ConvertTimeToUtc(new DateTime(year, month, day, hour, 0, 0, DateTimeKind.Unspecified), ParserTable.Berlin);
}
