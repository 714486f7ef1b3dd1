using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Ports;

namespace GrowthBot.Core.Tests.Import;

/// <summary>A hand-written <see cref="IGrowthStore"/> that records every batch and answers with a set result.</summary>
internal sealed class RecordingGrowthStore(List<string>? journal = null) : IGrowthStore
{
    public List<GrowthDataBatch> Written { get; } = [];

    /// <summary>What <see cref="Write"/> answers.</summary>
    public StoreWriteResult Result { get; set; } = StoreWriteResult.None;

    /// <summary>When set, <see cref="Write"/> throws it (a full disk, a locked file) instead of writing.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Progress values <see cref="Write"/> reports to its caller, as the LiteDB store does every few thousand rows.</summary>
    public IReadOnlyList<int> ProgressToReport { get; set; } = [];

    public bool IsEmpty => Written.Count == 0;

    public long Generation => Written.Count;

    /// <summary>Like a store that has never seen these rows: all of them are reported as changed, none replaced.</summary>
    public StoreWriteResult Write(GrowthDataBatch batch, IProgress<int>? rowsWritten = null, StoreChanges? changes = null)
    {
        journal?.Add("store.Write");
        if (Failure is not null) throw Failure;
        foreach (var rows in ProgressToReport) rowsWritten?.Report(rows);
        Written.Add(batch);
        if (changes is not null)
        {
            changes.Changed.Customers.AddRange(batch.Customers);
            changes.Changed.Subscriptions.AddRange(batch.Subscriptions);
            changes.Changed.Orders.AddRange(batch.Orders);
            changes.Changed.Spend.AddRange(batch.Spend);
            changes.Changed.Tickets.AddRange(batch.Tickets);
            changes.Changed.Responses.AddRange(batch.Responses);
        }
        return Result;
    }

    public void ReadAll(IGrowthDataSink sink) => throw new NotSupportedException("Import reads only the customer ids.");

    /// <summary>The customers the store already holds (the fixtures' rows refer to c1–c3).</summary>
    public HashSet<string> StoredCustomers { get; } = new(StringComparer.Ordinal) { "c1", "c2", "c3" };

    public IReadOnlySet<string> CustomerIds() => StoredCustomers;
}

/// <summary>A hand-written <see cref="IMetricEngine"/> that records every batch applied to it.</summary>
internal sealed class RecordingMetricEngine(List<string>? journal = null) : IMetricEngine
{
    public List<GrowthDataBatch> Applied { get; } = [];

    public EngineStatistics Statistics => new(0, 0, 0, 0, 0, 0);

    public MetricAnswer Answer(MetricQuery query) => throw new NotSupportedException("Import never asks the engine.");

    public List<GrowthDataBatch?> Replaced { get; } = [];

    public void Apply(GrowthDataBatch batch) => Apply(batch, null);

    public void Apply(GrowthDataBatch changed, GrowthDataBatch? replaced)
    {
        journal?.Add("engine.Apply");
        Applied.Add(changed);
        Replaced.Add(replaced);
    }
}

/// <summary>Collects reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
internal sealed class RecordingProgress<T> : IProgress<T>
{
    public List<T> Reports { get; } = [];

    public void Report(T value) => Reports.Add(value);
}
