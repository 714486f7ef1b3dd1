using GrowthBot.Core.Data;

namespace GrowthBot.Bench;

/// <summary>One question's timings at one size.</summary>
internal sealed record QuestionResult(Question Question, Timing Engine, Timing? DuckDefinition, Timing? DuckIndexed, double? LedgerValue)
{
    /// <summary>The faster DuckDB variant's median (the indexed one is absent where both variants are the same SQL).</summary>
    public double? DuckBestMs => DuckDefinition is null ? null : Math.Min(DuckDefinition.MedianMs, DuckIndexed?.MedianMs ?? double.MaxValue);
}

/// <summary>Everything measured at one size.</summary>
internal sealed class SizeResult(int size)
{
    public int Size { get; } = size;
    public double GenerateMs { get; set; }
    public RowCounts Rows { get; set; } = new(0, 0, 0, 0, 0, 0);
    public int EngineMovements { get; set; }
    public double EngineBuildMs { get; set; }
    public long EngineHeapBytes { get; set; }
    public long EngineHeapAfterQueriesBytes { get; set; }
    public List<QuestionResult> Questions { get; } = [];
    public double? DuckAppendMs { get; set; }
    public double? DuckIndexMs { get; set; }
    public long? DuckMovements { get; set; }
    public long? DuckMemoryBytes { get; set; }
    public string? DuckThreads { get; set; }
    public double? StoreWriteMs { get; set; }
    public long? StoreFileBytes { get; set; }
    public bool StoreReused { get; set; }
    public IncrementalResult? Incremental { get; set; }
    public ProbeResult? Probe { get; set; }
    /// <summary>The restart over the same store, from the engine snapshot the cold start wrote.</summary>
    public ProbeResult? WarmProbe { get; set; }
    public long PeakWorkingSetBytes { get; set; }
    public string LoadAverage { get; set; } = "n/a";
    public List<string> Mismatches { get; } = [];
    public int Compared { get; set; }
}

internal sealed record RowCounts(int Customers, int Subscriptions, int Orders, int Spend, int Tickets, int Responses)
{
    public static RowCounts Of(GrowthDataBatch batch) =>
        new(batch.Customers.Count, batch.Subscriptions.Count, batch.Orders.Count, batch.Spend.Count, batch.Tickets.Count, batch.Responses.Count);

    public long Total => (long)Customers + Subscriptions + Orders + Spend + Tickets + Responses;
}
