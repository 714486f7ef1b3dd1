using System.Diagnostics;
using System.Globalization;
using GrowthBot.Core.Data;
using GrowthBot.Core.Demo;
using GrowthBot.Core.Metrics;
using GrowthBot.Storage;

namespace GrowthBot.Bench;

/// <summary>The benchmark: for each size, generate, time the engine and DuckDB, cross-check, write a store and time a cold start.</summary>
internal static class BenchCommand
{
    /// <summary>The reference walk is quadratic-ish in memory traffic; only use it as a witness on small data.</summary>
    private const int LedgerMaxCustomers = 100_000;

    private static readonly Stopwatch Since = Stopwatch.StartNew();

    public static int Run(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException exception)
        {
            Console.Error.WriteLine(exception.Message);
            return 2;
        }

        Directory.CreateDirectory(options.OutDirectory);
        var report = new Report(options);
        Log($"GrowthBot bench: sizes {string.Join(", ", options.Sizes)}; {options.Warmups} warm-ups + {options.Runs} timed runs per question; now = {Questions.Now:yyyy-MM-ddTHH:mm:ssZ}; out {options.OutDirectory}");
        Log($".NET {Environment.Version}, {Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}");
        foreach (var size in options.Sizes)
        {
            var result = RunSize(size, options);
            report.Add(result);
            Console.WriteLine();
            Console.WriteLine(Report.Table(result));
            report.WriteMarkdown();
            Log($"Wrote {report.MarkdownPath}");
        }
        return 0;
    }

    private static SizeResult RunSize(int size, BenchOptions options)
    {
        var result = new SizeResult(size);
        var engineOptions = new MetricEngineOptions();
        var questions = Questions.All();

        Log($"Machine load average: {LoadAverage()}");
        Log($"== {size:N0} customers: generating the demo history (months {options.Months}, plan-change rate {options.PlanChangeRate}, survey rate {options.SurveyRate})");
        var clock = Stopwatch.StartNew();
        var batch = DemoHistory.Generate(new DemoHistoryOptions
        {
            Customers = size,
            End = Questions.Now,
            Months = options.Months,
            PlanChangeRate = options.PlanChangeRate,
            SurveyRate = options.SurveyRate,
        });
        result.GenerateMs = clock.Elapsed.TotalMilliseconds;
        result.Rows = RowCounts.Of(batch);
        Log($"Generated in {result.GenerateMs / 1000:F1} s: {Describe(result.Rows)}");

        // --- The engine ---------------------------------------------------------------------
        var engineTimings = new Timing[questions.Count];
        var duckDefinition = new Timing?[questions.Count];
        var duckIndexed = new Timing?[questions.Count];
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using (var engine = new MetricEngine(engineOptions))
        {
            clock.Restart();
            engine.Apply(batch);
            result.EngineBuildMs = clock.Elapsed.TotalMilliseconds;
            // The batch stays referenced (it is used below), so the difference is what the engine keeps.
            result.EngineHeapBytes = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            result.EngineMovements = engine.Statistics.SubscriptionMovements;
            Log($"Engine built in {result.EngineBuildMs / 1000:F2} s ({result.EngineMovements:N0} MRR movements); engine heap {Mb(result.EngineHeapBytes)}");

            // --- DuckDB --------------------------------------------------------------------
            using var duck = options.SkipDuckDb ? null : DuckDatabase.Open();
            if (duck is not null)
            {
                Log("DuckDB: appending the same rows");
                duck.Load(batch);
                result.DuckAppendMs = duck.AppendTime.TotalMilliseconds;
                result.DuckIndexMs = duck.IndexTime.TotalMilliseconds;
                result.DuckMovements = duck.Movements;
                result.DuckMemoryBytes = duck.MemoryBytes();
                result.DuckThreads = duck.Threads();
                Log($"DuckDB loaded: append {result.DuckAppendMs / 1000:F2} s, classify + sort {result.DuckIndexMs / 1000:F2} s, {result.DuckMovements:N0} movements, {Mb(result.DuckMemoryBytes.Value)} in DuckDB, {result.DuckThreads} threads");
            }

            // Question by question, the engine then DuckDB, so both see the same machine load.
            for (var i = 0; i < questions.Count; i++)
            {
                var question = questions[i];
                var query = new MetricQuery(question.Metric.Id, question.From, question.To);
                engineTimings[i] = Timing.Measure(() => engine.Answer(query).Result.Value is { } value ? (double)value : null, options.Warmups, options.Runs);
                if (duck is null) continue;
                var definition = DuckSql.Definition(question, engineOptions);
                duckDefinition[i] = Timing.Measure(() => duck.Scalar(definition), options.Warmups, options.Runs);
                if (DuckSql.Indexed(question, engineOptions) is { } indexed)
                {
                    duckIndexed[i] = Timing.Measure(() => duck.Scalar(indexed), options.Warmups, options.Runs);
                }
            }
            result.EngineHeapAfterQueriesBytes = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            Log($"Answered {questions.Count} questions × {options.Runs} runs; engine heap after queries {Mb(result.EngineHeapAfterQueriesBytes)} (pooled scratch arrays included)");

            // After the answers above were taken (the cross-check uses them): webhook-sized batches.
            Log("Incremental: single-customer subscription changes, one batch each");
            var incremental = IncrementalProbe.Run(engine, batch);
            result.Incremental = incremental;
            Log(string.Create(CultureInfo.InvariantCulture, $"{incremental.Changes:N0} single-customer changes: median {incremental.MedianMs:F3} ms, p99 {incremental.P99Ms:F3} ms, max {incremental.MaxMs:F2} ms per Apply ({incremental.Rebuilds} rebuilds); then MRR this month {incremental.MrrAfterMs:F2} ms, NRR last quarter {incremental.NrrAfterMs:F2} ms (median)"));
        }
        GC.KeepAlive(batch);

        // --- Results and the cross-check ---------------------------------------------------
        var useLedger = size <= LedgerMaxCustomers;
        for (var i = 0; i < questions.Count; i++)
        {
            var question = questions[i];
            var ledger = useLedger ? Ledger.Value(question, batch, engineOptions) : null;
            var row = new QuestionResult(question, engineTimings[i], duckDefinition[i], duckIndexed[i], ledger);
            result.Questions.Add(row);
            var name = $"{question.Metric.Name} ({question.PeriodName})";
            var engineValue = row.Engine.Value;
            if (row.DuckDefinition is { } definition) Check(result, name, "DuckDB definition", engineValue, definition.Value);
            if (row.DuckIndexed is { } indexed) Check(result, name, "DuckDB indexed", engineValue, indexed.Value);
            if (useLedger && question.Metric.Id is not (MetricId.Nps or MetricId.Csat or MetricId.Ces or MetricId.Fcr or MetricId.RepeatPurchase or MetricId.Activation))
            {
                Check(result, name, "RevenueLedger", engineValue, ledger);
            }
        }
        Log(result.Mismatches.Count == 0
            ? $"Cross-check: {result.Compared} comparisons, no mismatch beyond 1e-6 relative"
            : $"Cross-check: {result.Mismatches.Count} MISMATCHES of {result.Compared} comparisons");
        foreach (var mismatch in result.Mismatches) Log("  MISMATCH " + mismatch);

        // --- The store and a cold start -----------------------------------------------------
        if (!options.SkipStartup)
        {
            var storePath = Path.Combine(options.OutDirectory, $"store-{size}.db");
            if (options.ReuseStore && File.Exists(storePath))
            {
                result.StoreReused = true;
                Log($"Reusing the existing store {storePath}");
            }
            else
            {
                DeleteStore(storePath);
                Log($"Writing the store {storePath}");
                clock.Restart();
                using (var store = new LiteGrowthStore(new StorageOptions { Path = storePath }))
                {
                    store.Write(batch);
                }
                result.StoreWriteMs = clock.Elapsed.TotalMilliseconds;
                Log($"Store written in {result.StoreWriteMs / 1000:F1} s");
            }
            result.StoreFileBytes = new FileInfo(storePath).Length;
            batch = null;
            GC.Collect();
            Log("Start-up probe: a fresh process opens the store, loads the engine and answers 'mrr this month'");
            result.Probe = StartupProbe.RunChild(storePath);
            if (result.Probe.MigrationMs > 0) Log($"The store was of an older layout: converting it when the probe opened it took {result.Probe.MigrationMs / 1000:F2} s (included below, once)");
            Log($"Ready to answer {result.Probe.SpawnToAnswerMs / 1000:F2} s after process start (load {result.Probe.LoadMs / 1000:F2} s, {result.Probe.LoadCpuMs / 1000:F2} s CPU; reading the store alone into a counter {result.Probe.StoreReadOnlyMs / 1000:F2} s, {result.Probe.StoreReadOnlyCpuMs / 1000:F2} s CPU); GC heap {Mb(result.Probe.GcHeapAfterLoadBytes)} ({Mb(result.Probe.GcHeapEngineOnlyBytes)} with the store closed), peak working set {Mb(result.Probe.PeakWorkingSetBytes)}");
            Log("Restart probe: a fresh process opens the same store and reads the engine snapshot the cold start wrote");
            result.WarmProbe = StartupProbe.RunChild(storePath, fromSnapshot: true);
            Log($"Ready to answer {result.WarmProbe.SpawnToAnswerMs / 1000:F2} s after process start from the snapshot (read {result.WarmProbe.LoadMs / 1000:F2} s); GC heap {Mb(result.WarmProbe.GcHeapEngineOnlyBytes)}, peak working set {Mb(result.WarmProbe.PeakWorkingSetBytes)}");
            if (!options.KeepStore) DeleteStore(storePath);
        }
        GC.KeepAlive(batch);

        using var process = Process.GetCurrentProcess();
        result.PeakWorkingSetBytes = process.PeakWorkingSet64;
        result.LoadAverage = LoadAverage();
        Log($"Machine load average: {result.LoadAverage}");
        return result;
    }

    private static void Check(SizeResult result, string name, string witness, double? engine, double? other)
    {
        result.Compared++;
        if (Same(engine, other)) return;
        result.Mismatches.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: engine {Show(engine)} vs {witness} {Show(other)}"));
    }

    public static bool Same(double? left, double? right)
    {
        if (left is null || right is null) return left is null && right is null;
        var a = left.Value;
        var b = right.Value;
        var scale = Math.Max(Math.Abs(a), Math.Abs(b));
        return scale < 1e-9 || Math.Abs(a - b) <= 1e-6 * scale;
    }

    public static string Show(double? value) => value is { } v ? v.ToString("G10", CultureInfo.InvariantCulture) : "undefined";

    /// <summary>The 1/5/15-minute load averages (Linux), to tell a quiet machine from a busy one.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static void DeleteStore(string storePath)
    {
        foreach (var path in new[] { storePath, storePath + ".lock", Path.ChangeExtension(storePath, null) + "-log.db" })
        {
            if (File.Exists(path)) File.Delete(path);
        }
    }

    private static string Describe(RowCounts rows) => string.Create(CultureInfo.InvariantCulture,
        $"{rows.Customers:N0} customers, {rows.Subscriptions:N0} subscription changes ({rows.Subscriptions / (double)Math.Max(1, rows.Customers):F1} per customer), {rows.Orders:N0} orders, {rows.Spend:N0} spend rows, {rows.Tickets:N0} tickets, {rows.Responses:N0} survey responses ({rows.Total:N0} rows)");

    public static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:N0} MB");

    public static void Log(string message)
    {
        var elapsed = Since.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{(int)elapsed.TotalMinutes:D2}:{elapsed.Seconds:D2}] {message}"));
    }
}
