using GrowthBot.Core.Import;
using GrowthBot.Core.Metrics;
using GrowthBot.Storage.Postgres;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Cluster.Tests.Engine;

/// <summary>
/// One host's growth data as the host composes it on PostgreSQL: its own data source, store, metric engine
/// (loaded from the database at start), import service, and the follower attached to that engine.
/// </summary>
internal sealed class FollowingHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    private FollowingHost(string connectionString, FakeTimeProvider time, TimeSpan interval)
    {
        Database = ClusterDatabase.Host(connectionString, time);
        Store = new PostgresGrowthStore(Database);
        Engine = new MetricEngine(new MetricEngineOptions(), TimeZoneInfo.Utc, time);
        Engine.Load(Store);
        Importer = new ImportService(Store, Engine, TimeZoneInfo.Utc);
        Follower = new PostgresGrowthFollower(Database, Store, new PostgresStorageOptions { ConnectionString = connectionString, FollowInterval = interval }, time);
        Follower.Attach(Engine, Importer.SyncRoot);
    }

    public PostgresDatabase Database { get; }

    public PostgresGrowthStore Store { get; }

    public MetricEngine Engine { get; }

    public ImportService Importer { get; }

    public PostgresGrowthFollower Follower { get; }

    /// <summary>A host whose follower is attached but not running (it follows only through its own writes).</summary>
    public static FollowingHost Attached(string connectionString, FakeTimeProvider time, TimeSpan interval) => new(connectionString, time, interval);

    /// <summary>A host whose follower listens and polls, once it is listening.</summary>
    public static async Task<FollowingHost> StartAsync(string connectionString, FakeTimeProvider time, TimeSpan interval)
    {
        var host = new FollowingHost(connectionString, time, interval);
        host._running = host.Follower.RunAsync(host._stopping.Token);
        await Eventually.TrueAsync(() => host.Follower.Listening, "the follower listens");
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running;
        Follower.Dispose();
        Engine.Dispose();
        Database.Dispose();
        _stopping.Dispose();
    }
}

/// <summary>Waits for something another connection makes true, checking often, up to a generous deadline (never a fixed sleep).</summary>
internal static class Eventually
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static async Task TrueAsync(Func<bool> condition, string what, Action? between = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Deadline) Assert.Fail($"Timed out waiting until {what}.");
            between?.Invoke();
            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }
    }
}
