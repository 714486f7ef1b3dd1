using System.Diagnostics;
using GrowthBot.Core.Demo;
using GrowthBot.Core.Import;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Ports;
using GrowthBot.Storage;
using GrowthBot.Storage.Postgres;

namespace GrowthBot.Host.Hosting;

/// <summary>
/// Opens the store before the host accepts requests, fills an empty store with the demo
/// history in Development (never in Production), and builds the metric engine's index, so
/// the first request already gets an answer. The engine snapshot beside the file is LiteDB's alone: on
/// PostgreSQL several hosts write, so each host indexes the database at start and then follows the
/// other hosts' writes (<see cref="GrowthFollowService"/>).
/// </summary>
internal sealed partial class StoreStartup(
    IGrowthStore store,
    StoreDescription description,
    MetricEngine engine,
    Accountability accountability,
    ImportService importer,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<StoreStartup> logger,
    PostgresGrowthFollower? follower = null) : IHostedService
{
    public bool Ready { get; private set; }

    /// <summary>Whether the engine came from its snapshot (true) or from reading the store (false).</summary>
    public bool LoadedFromSnapshot { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Read (and so validate) the accountability settings before serving anything.
        _ = accountability.TeamsFor(MetricId.Nps);
        var clock = Stopwatch.StartNew();
        // Close the file (and release its lock) as soon as the host has stopped, so the next
        // process can open it even where the container is torn down later (as under test hosts).
        lifetime.ApplicationStopped.Register(SaveSnapshotAndClose);
        LogOpened(description.Location);
        if (store is LiteGrowthStore file)
        {
            var loaded = EngineSnapshotFile.Load(engine, file);
            if (loaded.FromSnapshot) LogFromSnapshot(loaded.Elapsed.TotalMilliseconds);
            else if (loaded.SnapshotProblem is { } problem && loaded.SnapshotDamaged) LogSnapshotDamaged(EngineSnapshotFile.PathFor(file), problem);
            else if (loaded.SnapshotProblem is { } stale) LogSnapshotIgnored(stale);
            _snapshots = new EngineSnapshotSaver(engine, file, importer, logger);
            if (loaded.FromSnapshot) _snapshots.Loaded(store.Generation);
            LoadedFromSnapshot = loaded.FromSnapshot;
        }
        else
        {
            engine.Load(store);
            // From the generation that load saw, before this host writes anything (the demo history below).
            follower?.Attach(engine, importer.SyncRoot);
        }
        if (engine.Statistics.Customers == 0 && store.IsEmpty)
        {
            if (environment.IsDevelopment())
            {
                var batch = DemoHistory.Generate(new DemoHistoryOptions { End = time.GetUtcNow().UtcDateTime });
                importer.Write(batch);
                LogDemoLoaded(batch.Customers.Count, batch.Count);
            }
            else
            {
                LogEmptyStore(environment.EnvironmentName);
            }
        }
        var statistics = engine.Statistics;
        LogReady(statistics.Customers, statistics.SubscriptionMovements, statistics.Responses, clock.ElapsedMilliseconds);
        Ready = true;
        if (_snapshots is { Stale: true } snapshots)
        {
            // Off the start-up path: the host already answers while the snapshot is written.
            _ = Task.Run(snapshots.Save, CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    /// <summary>Writes the engine snapshot beside a LiteDB file (null on PostgreSQL, where several hosts write).</summary>
    private EngineSnapshotSaver? _snapshots;

    private void SaveSnapshotAndClose()
    {
        _snapshots?.Save();
        (store as IDisposable)?.Dispose();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Metric engine loaded from its snapshot in {Milliseconds} ms")]
    private partial void LogFromSnapshot(double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "The engine snapshot was not used ({Problem}); indexing the store")]
    private partial void LogSnapshotIgnored(string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The engine snapshot {Path} was not used ({Problem}); indexing the store, and a new snapshot replaces it")]
    private partial void LogSnapshotDamaged(string path, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store: {Path}")]
    private partial void LogOpened(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "The store was empty; loaded the demo history ({Customers} customers, {Rows} rows) because the environment is Development")]
    private partial void LogDemoLoaded(int customers, int rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store is empty and the environment is {Environment}, so no demo data was loaded; import your data with 'growthbot import'")]
    private partial void LogEmptyStore(string environment);

    [LoggerMessage(Level = LogLevel.Information, Message = "Metric engine ready: {Customers} customers, {Movements} MRR movements, {Responses} survey responses, in {Milliseconds} ms")]
    private partial void LogReady(int customers, int movements, int responses, long milliseconds);
}
