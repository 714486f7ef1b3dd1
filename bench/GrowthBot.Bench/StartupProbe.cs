using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;
using GrowthBot.Storage;

namespace GrowthBot.Bench;

/// <summary>What a cold start on an existing store measured, in the child process.</summary>
internal sealed record ProbeResult(
    double OpenStoreMs,
    double LoadMs,
    double FirstAnswerMs,
    double ReadyMs,
    long GcHeapAfterLoadBytes,
    long GcHeapEngineOnlyBytes,
    long WorkingSetAfterLoadBytes,
    long PeakWorkingSetBytes,
    double StoreReadOnlyMs,
    long Rows,
    double? FirstAnswerValue,
    bool FromSnapshot = false,
    double SnapshotWriteMs = 0,
    long SnapshotBytes = 0,
    double LoadCpuMs = 0,
    double StoreReadOnlyCpuMs = 0,
    double MigrationMs = 0,
    double SnapshotHeldMs = 0)
{
    /// <summary>Wall time from starting the child process to reading its "ready" line (set by the parent).</summary>
    public double SpawnToAnswerMs { get; init; }
}

/// <summary>
/// The hidden verb <c>--startup-probe PATH [--snapshot]</c>: in a fresh process, open the store,
/// fill a new engine and answer one question, as the host does at start; then report timings and
/// memory as one JSON line. Cold (no flag): the engine is built by reading the store, and then
/// the engine snapshot is written as the host writes it. Warm (<c>--snapshot</c>): the engine is
/// read from that snapshot, as the host does on a restart over an unchanged store. The parent
/// also times the whole thing from process start.
/// </summary>
internal static class StartupProbe
{
    public const string Verb = "--startup-probe";
    private const string ReadyLine = "PROBE-READY";
    private const string ResultPrefix = "PROBE-RESULT ";

    public static int Run(string[] args)
    {
        if (args.Length is not (2 or 3)) throw new ArgumentException($"Usage: {Verb} STORE_PATH [--snapshot]");
        var fromSnapshot = args.Length == 3 && args[2] == "--snapshot";
        var snapshotPath = args[1] + ".engine";
        var total = Stopwatch.StartNew();
        var clock = Stopwatch.StartNew();
        var store = new LiteGrowthStore(new StorageOptions { Path = args[1] });
        var openMs = clock.Elapsed.TotalMilliseconds;

        clock.Restart();
        var cpu = Cpu();
        using var engine = new MetricEngine(new MetricEngineOptions());
        if (fromSnapshot)
        {
            using var file = new FileStream(snapshotPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            if (!engine.TryReadSnapshot(file, store.Generation)) throw new InvalidOperationException("The snapshot does not match the store.");
        }
        else
        {
            engine.Load(store);
        }
        var loadMs = clock.Elapsed.TotalMilliseconds;
        var loadCpuMs = Cpu() - cpu;

        clock.Restart();
        var (from, to) = Questions.ThisMonth(Questions.Now);
        var answer = engine.Answer(new MetricQuery(MetricId.Mrr, from, to));
        var firstMs = clock.Elapsed.TotalMilliseconds;
        var readyMs = total.Elapsed.TotalMilliseconds;
        Console.Out.WriteLine(ReadyLine);
        Console.Out.Flush();

        using var process = Process.GetCurrentProcess();
        var workingSet = process.WorkingSet64;
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        process.Refresh();
        var peak = process.PeakWorkingSet64;
        GC.KeepAlive(engine);

        // The engine alone: close the store (LiteDB's page cache goes with it) and collect.
        store.Dispose();
        var engineOnly = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(engine);

        double readOnlyMs = 0, readOnlyCpuMs = 0, snapshotWriteMs = 0, snapshotHeldMs = 0;
        var counter = new CountingSink();
        if (!fromSnapshot)
        {
            // Where the load time goes: LiteDB reading and mapping every row alone, into a sink that only counts.
            using (var again = new LiteGrowthStore(new StorageOptions { Path = args[1] }))
            {
                clock.Restart();
                cpu = Cpu();
                again.ReadAll(counter);
                readOnlyMs = clock.Elapsed.TotalMilliseconds;
                readOnlyCpuMs = Cpu() - cpu;

                // The snapshot the host writes after indexing the store (temp file, then rename): its
                // content while the host's writers wait (held), then the checksum and the flush without them.
                clock.Restart();
                using (var file = new FileStream(snapshotPath + ".tmp", FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 20))
                {
                    engine.WriteSnapshotContent(file, again.Generation);
                    file.Flush(flushToDisk: false);
                    snapshotHeldMs = clock.Elapsed.TotalMilliseconds;
                    MetricEngine.AppendSnapshotChecksum(file);
                    file.Flush(flushToDisk: true);
                }
                File.Move(snapshotPath + ".tmp", snapshotPath, overwrite: true);
                snapshotWriteMs = clock.Elapsed.TotalMilliseconds;
            }
        }

        var result = new ProbeResult(openMs, loadMs, firstMs, readyMs, heap, engineOnly, workingSet, peak, readOnlyMs, counter.Rows,
            answer.Result.Value is { } value ? (double)value : null, fromSnapshot, snapshotWriteMs, File.Exists(snapshotPath) ? new FileInfo(snapshotPath).Length : 0,
            loadCpuMs, readOnlyCpuMs, store.Migration is { Rows: > 0 } migration ? migration.Elapsed.TotalMilliseconds : 0, snapshotHeldMs);
        Console.Out.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>Runs the probe in a child process (this same executable) and returns what it measured.</summary>
    public static ProbeResult RunChild(string storePath, bool fromSnapshot = false)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        start.FileName = host;
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("No entry assembly."));
        }
        start.ArgumentList.Add(Verb);
        start.ArgumentList.Add(storePath);
        if (fromSnapshot) start.ArgumentList.Add("--snapshot");

        var clock = Stopwatch.StartNew();
        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the probe.");
        var errors = child.StandardError.ReadToEndAsync();
        double spawnToAnswer = double.NaN;
        ProbeResult? result = null;
        while (child.StandardOutput.ReadLine() is { } line)
        {
            if (line == ReadyLine) spawnToAnswer = clock.Elapsed.TotalMilliseconds;
            else if (line.StartsWith(ResultPrefix, StringComparison.Ordinal)) result = JsonSerializer.Deserialize<ProbeResult>(line[ResultPrefix.Length..]);
        }
        child.WaitForExit();
        if (child.ExitCode != 0 || result is null)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The start-up probe failed (exit {child.ExitCode}): {errors.GetAwaiter().GetResult()}"));
        }
        return result with { SpawnToAnswerMs = spawnToAnswer };
    }

    /// <summary>This process's CPU time so far (all threads), in ms: on a shared machine the wall clock says little.</summary>
    public static double Cpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalMilliseconds;
    }

    internal sealed class CountingSink : IGrowthDataSink
    {
        public long Rows { get; private set; }
        public void Add(Customer customer) => Rows++;
        public void Add(SubscriptionChange change) => Rows++;
        public void Add(Order order) => Rows++;
        public void Add(SpendEntry spend) => Rows++;
        public void Add(Ticket ticket) => Rows++;
        public void Add(SurveyResponse response) => Rows++;
    }
}
