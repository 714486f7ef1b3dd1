using System.Diagnostics;
using GrowthBot.Core.Demo;
using GrowthBot.Core.Import;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Ports;
using GrowthBot.Storage;

namespace GrowthBot.Host.Hosting;

/// <summary>
/// Opens the store before the host accepts requests, fills an empty store with the demo
/// history in Development (never in Production), and builds the metric engine's index, so
/// the first request already gets an answer.
/// </summary>
internal sealed partial class StoreStartup(
    LiteGrowthStore store,
    MetricEngine engine,
    Accountability accountability,
    ImportService importer,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<StoreStartup> logger) : IHostedService
{
    public bool Ready { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Read (and so validate) the accountability settings before serving anything.
        _ = accountability.TeamsFor(MetricId.Nps);
        var clock = Stopwatch.StartNew();
        // Close the file (and release its lock) as soon as the host has stopped, so the next
        // process can open it even where the container is torn down later (as under test hosts).
        lifetime.ApplicationStopped.Register(store.Dispose);
        LogOpened(store.FilePath);
        engine.Load(store);
        if (engine.Statistics.Customers == 0 && ((IGrowthStore)store).IsEmpty)
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
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Store: {Path}")]
    private partial void LogOpened(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "The store was empty; loaded the demo history ({Customers} customers, {Rows} rows) because the environment is Development")]
    private partial void LogDemoLoaded(int customers, int rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store is empty and the environment is {Environment}, so no demo data was loaded; import your data with 'growthbot import'")]
    private partial void LogEmptyStore(string environment);

    [LoggerMessage(Level = LogLevel.Information, Message = "Metric engine ready: {Customers} customers, {Movements} MRR movements, {Responses} survey responses, in {Milliseconds} ms")]
    private partial void LogReady(int customers, int movements, int responses, long milliseconds);
}
