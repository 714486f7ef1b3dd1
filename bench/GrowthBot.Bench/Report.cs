using System.Globalization;
using System.Text;

namespace GrowthBot.Bench;

/// <summary>Renders each size's results as a markdown table (printed, and written into the out folder).</summary>
internal sealed class Report(BenchOptions options)
{
    private const double TargetMedianMs = 50;
    private const long TargetEngineBytes = 1536L * 1024 * 1024;
    private const double TargetReadyMs = 15_000;

    private readonly List<SizeResult> _sizes = [];

    public string MarkdownPath { get; } = Path.Combine(options.OutDirectory, "results.md");

    public void Add(SizeResult result) => _sizes.Add(result);

    public void WriteMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("# GrowthBot bench results").AppendLine();
        text.AppendLine(Invariant($"Fixed now {Questions.Now:yyyy-MM-ddTHH:mm:ssZ}; {options.Warmups} warm-ups + {options.Runs} timed runs per question; .NET {Environment.Version}, {Environment.ProcessorCount} cores. Demo history: {options.Months} months, plan-change rate {options.PlanChangeRate}, survey rate {options.SurveyRate}."));
        text.AppendLine();
        foreach (var size in _sizes) text.AppendLine(Table(size));
        File.WriteAllText(MarkdownPath, text.ToString());
    }

    public static string Table(SizeResult result)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"## {result.Size:N0} customers")).AppendLine();
        var rows = result.Rows;
        text.AppendLine(Invariant($"Rows: {rows.Customers:N0} customers, {rows.Subscriptions:N0} subscription changes ({rows.Subscriptions / (double)Math.Max(1, rows.Customers):F1}/customer; {result.EngineMovements:N0} MRR movements after de-duplication), {rows.Orders:N0} orders, {rows.Spend:N0} spend rows, {rows.Tickets:N0} tickets, {rows.Responses:N0} survey responses; generated in {result.GenerateMs / 1000:F1} s."));
        text.AppendLine();

        var header = new[] { "metric", "period", "engine median ms", "engine p95 ms", "duckdb definition ms", "duckdb indexed ms", "engine/duckdb", "value" };
        var table = new List<string[]> { header };
        foreach (var row in result.Questions)
        {
            var best = row.DuckBestMs;
            table.Add(
            [
                row.Question.Metric.Name,
                row.Question.PeriodName,
                Ms(row.Engine.MedianMs),
                Ms(row.Engine.P95Ms),
                row.DuckDefinition is { } definition ? Ms(definition.MedianMs) : "—",
                row.DuckIndexed is { } indexed ? Ms(indexed.MedianMs) : row.DuckDefinition is null ? "—" : "(same SQL)",
                best is { } duck ? Invariant($"{row.Engine.MedianMs / duck:F3}") : "—",
                BenchCommand.Show(row.Engine.Value),
            ]);
        }
        AppendAligned(text, table);
        text.AppendLine();
        text.AppendLine("engine/duckdb = engine median ÷ the faster DuckDB variant's median (below 1: the engine is faster). p95 is nearest-rank (with 15 runs, the slowest run).");
        text.AppendLine();

        text.AppendLine(Invariant($"- Engine build (Apply of the whole batch): {result.EngineBuildMs / 1000:F2} s"));
        text.AppendLine(Invariant($"- Engine memory in the bench process (GC heap retained by the engine, batch held separately; the id strings it keys by are shared with the batch and so not counted here — see the start-up process for the full footprint): {BenchCommand.Mb(result.EngineHeapBytes)} after build, {BenchCommand.Mb(result.EngineHeapAfterQueriesBytes)} after the queries (includes pooled scratch arrays)"));
        if (result.Incremental is { } incremental)
        {
            text.AppendLine(Invariant($"- Webhook-sized batches (one subscription change for one known customer per Apply, moments up to four years back, {incremental.Changes:N0} of them): median **{incremental.MedianMs:F3} ms**, p99 {incremental.P99Ms:F3} ms, max {incremental.MaxMs:F2} ms per Apply, {incremental.Rebuilds} index rebuilds; with those changes pending beside the index, MRR this month answers in {incremental.MrrAfterMs:F2} ms and NRR last quarter in {incremental.NrrAfterMs:F2} ms (median of 15)"));
        }
        if (result.DuckAppendMs is { } append)
        {
            text.AppendLine(Invariant($"- DuckDB load: appender {append / 1000:F2} s + classify movements and sort tables {result.DuckIndexMs / 1000:F2} s; {result.DuckMovements:N0} movements; DuckDB memory {BenchCommand.Mb(result.DuckMemoryBytes ?? 0)}; threads {result.DuckThreads}"));
        }
        if (result.Probe is { } probe)
        {
            text.AppendLine(result.StoreReused
                ? Invariant($"- Store: reused an existing file, {BenchCommand.Mb(result.StoreFileBytes ?? 0)}")
                : Invariant($"- Store write (LiteGrowthStore.Write, one transaction): {result.StoreWriteMs / 1000:F1} s, file {BenchCommand.Mb(result.StoreFileBytes ?? 0)}"));
            text.AppendLine(Invariant($"- Ready to answer after start (fresh process: spawn → open store → new engine → Load → first answer): **{probe.SpawnToAnswerMs / 1000:F2} s** (inside the process: open {probe.OpenStoreMs:F0} ms, Load {probe.LoadMs / 1000:F2} s, first answer {probe.FirstAnswerMs:F1} ms; reading the store alone into a counting sink takes {probe.StoreReadOnlyMs / 1000:F2} s for {probe.Rows:N0} rows)"));
            text.AppendLine(Invariant($"- Start-up process memory: GC heap after load {BenchCommand.Mb(probe.GcHeapAfterLoadBytes)} with the store open, **{BenchCommand.Mb(probe.GcHeapEngineOnlyBytes)}** with it closed (the engine's own footprint, id strings included), working set {BenchCommand.Mb(probe.WorkingSetAfterLoadBytes)}, peak working set {BenchCommand.Mb(probe.PeakWorkingSetBytes)}"));
            text.AppendLine(Invariant($"- Engine snapshot written after the cold start: {probe.SnapshotWriteMs / 1000:F2} s, {BenchCommand.Mb(probe.SnapshotBytes)}; {probe.SnapshotHeldMs:F0} ms of it is the content, the part the host's writers wait for"));
        }
        if (result.WarmProbe is { } warm)
        {
            text.AppendLine(Invariant($"- Ready to answer after a restart over the unchanged store (fresh process: spawn → open store → read the engine snapshot → first answer): **{warm.SpawnToAnswerMs / 1000:F2} s** (open {warm.OpenStoreMs:F0} ms, snapshot read + index build {warm.LoadMs / 1000:F2} s, first answer {warm.FirstAnswerMs:F1} ms); engine GC heap **{BenchCommand.Mb(warm.GcHeapEngineOnlyBytes)}**, peak working set {BenchCommand.Mb(warm.PeakWorkingSetBytes)}"));
        }
        text.AppendLine(Invariant($"- Machine load average (1/5/15 min) when this size finished: {result.LoadAverage} on {Environment.ProcessorCount} cores; anything well above 0 means other processes shared the CPU and the timings are pessimistic"));
        text.AppendLine(Invariant($"- Bench process peak working set (batch + engine + DuckDB): {BenchCommand.Mb(result.PeakWorkingSetBytes)}"));
        text.AppendLine(result.Mismatches.Count == 0
            ? Invariant($"- Cross-check: {result.Compared} comparisons (engine vs DuckDB variants{(result.Questions.Any(q => q.LedgerValue is not null) ? " and RevenueLedger" : string.Empty)}), no mismatch beyond 1e-6 relative")
            : Invariant($"- Cross-check: **{result.Mismatches.Count} mismatches** of {result.Compared} comparisons:"));
        foreach (var mismatch in result.Mismatches) text.AppendLine("  - " + mismatch);

        text.AppendLine(Targets(result));
        return text.ToString();
    }

    private static string Targets(SizeResult result)
    {
        var text = new StringBuilder();
        text.AppendLine().AppendLine("Targets (set for 1M customers):");
        var worst = result.Questions.MaxBy(row => row.Engine.MedianMs);
        var slow = result.Questions.Count(row => row.Engine.MedianMs > TargetMedianMs);
        if (worst is not null)
        {
            text.AppendLine(Invariant($"- every metric ≤ 50 ms median: {(slow == 0 ? "met" : $"NOT met ({slow} questions over)")}; slowest {worst.Question.Metric.Name} ({worst.Question.PeriodName}) {worst.Engine.MedianMs:F2} ms"));
        }
        var compared = result.Questions.Where(row => row.DuckBestMs is not null).ToList();
        if (compared.Count > 0)
        {
            var slower = compared.Where(row => row.Engine.MedianMs >= row.DuckBestMs!.Value).ToList();
            text.AppendLine(Invariant($"- faster than DuckDB on each: {(slower.Count == 0 ? "met" : $"NOT met on {slower.Count}: {string.Join(", ", slower.Select(row => $"{row.Question.Metric.Name} ({row.Question.PeriodName})"))}")}"));
        }
        var engineBytes = result.Probe?.GcHeapEngineOnlyBytes ?? result.EngineHeapAfterQueriesBytes;
        text.AppendLine(Invariant($"- engine memory ≤ 1.5 GB: {(engineBytes <= TargetEngineBytes ? "met" : "NOT met")} ({BenchCommand.Mb(engineBytes)} {(result.Probe is null ? "retained in the bench process" : "GC heap of the start-up process with the store closed")}{(result.Probe is { } p ? $"; that process peaked at {BenchCommand.Mb(p.PeakWorkingSetBytes)} working set while loading" : string.Empty)})"));
        if (result.Probe is { } probe)
        {
            text.AppendLine(Invariant($"- ready to answer ≤ 15 s after start, on a store the engine has not seen (indexing LiteDB): {(probe.SpawnToAnswerMs <= TargetReadyMs ? "met" : "NOT met")} ({probe.SpawnToAnswerMs / 1000:F2} s)"));
        }
        if (result.WarmProbe is { } warmStart)
        {
            text.AppendLine(Invariant($"- ready to answer ≤ 15 s after start, restarting over an unchanged store (engine snapshot): {(warmStart.SpawnToAnswerMs <= TargetReadyMs ? "met" : "NOT met")} ({warmStart.SpawnToAnswerMs / 1000:F2} s); engine memory then {BenchCommand.Mb(warmStart.GcHeapEngineOnlyBytes)}"));
        }
        return text.ToString();
    }

    private static void AppendAligned(StringBuilder text, List<string[]> table)
    {
        var widths = new int[table[0].Length];
        foreach (var row in table)
        {
            for (var i = 0; i < row.Length; i++) widths[i] = Math.Max(widths[i], row[i].Length);
        }
        for (var r = 0; r < table.Count; r++)
        {
            var row = table[r];
            text.Append('|');
            for (var i = 0; i < row.Length; i++)
            {
                var numeric = i >= 2;
                text.Append(' ').Append(numeric ? row[i].PadLeft(widths[i]) : row[i].PadRight(widths[i])).Append(" |");
            }
            text.AppendLine();
            if (r == 0)
            {
                text.Append('|');
                for (var i = 0; i < row.Length; i++) text.Append(' ').Append(new string('-', widths[i] - (i >= 2 ? 1 : 0))).Append(i >= 2 ? ":" : string.Empty).Append(" |");
                text.AppendLine();
            }
        }
    }

    private static string Ms(double milliseconds) =>
        milliseconds < 10 ? Invariant($"{milliseconds:F3}") : milliseconds < 100 ? Invariant($"{milliseconds:F2}") : Invariant($"{milliseconds:F1}");

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
