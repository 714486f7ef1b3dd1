using System.Collections.Concurrent;
using GrowthBot.Host.Digests;
using GrowthBot.Tests.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Quartz;
using Xunit.Abstractions;

namespace GrowthBot.Cluster.Tests.Digests;

/// <summary>
/// Quartz as the hosts run it on PostgreSQL (<see cref="DigestHostingExtensions.UseClusteredStore"/>):
/// two schedulers on one database, on one fake clock. Each fire runs on one host; a host that dies
/// holding a trigger has it fired by the other once its check-ins have lapsed.
/// </summary>
[Collection(ClusterDatabase.Name)]
[Trait("Category", "Postgres")]
public sealed class ClusteredSchedulerTests(PostgresServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly DateTimeOffset Nine = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static readonly SchedulerClusterOptions Cluster = new() { CheckinInterval = TimeSpan.FromSeconds(2), CheckinMisfireThreshold = TimeSpan.FromSeconds(3) };
    private static readonly TimeSpan RealWait = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(Nine.AddMinutes(-1));
    private readonly Fires _fires = new();
    private readonly List<ServiceProvider> _nodes = [];
    private readonly List<string> _cutOff = [];
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await ClusterDatabase.MigratedAsync(server);

    public async Task DisposeAsync()
    {
        // A node that was cut off gets its access back, so it can stop as a node does (its threads retry the database).
        foreach (var role in _cutOff) await ExecuteAsync(server.AdminConnectionString, $"ALTER ROLE {role} LOGIN");
        foreach (var node in _nodes)
        {
            var stopping = StopAsync(node);
            // Never hang the run on a node that cannot stop; it is dropped with the test's process.
            await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(15)));
        }
    }

    private static async Task StopAsync(ServiceProvider node)
    {
        var scheduler = await node.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Shutdown(false);
        await node.DisposeAsync();
    }

    [Fact]
    public async Task EveryFire_RunsOnOneHostOnly()
    {
        var a = await StartNodeAsync("a", _connectionString);
        await StartNodeAsync("b", _connectionString);
        await ScheduleEveryMinuteAsync(a);

        for (var minute = 0; minute < 5; minute++)
        {
            _time.SetUtcNow(Nine.AddMinutes(minute).AddSeconds(1));
            await _fires.WaitForAsync(Nine.AddMinutes(minute), RealWait);
        }
        // Time for a second host's duplicate fire, were there one.
        _time.Advance(TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(1));

        var byFireTime = _fires.All.GroupBy(fire => fire.Scheduled).ToDictionary(group => group.Key, group => group.Count());
        Assert.Equal(5, byFireTime.Count);
        Assert.All(byFireTime, fire => Assert.Equal(1, fire.Value));
    }

    [Fact]
    public async Task TriggerHeldByAHostThatDies_IsFiredByTheOther_WithinTheCheckinIntervalPlusThreshold()
    {
        await CreateRoleAsync("node_a");
        var a = await StartNodeAsync("a", ConnectionStringAs("node_a"));
        await ScheduleEveryMinuteAsync(a);
        _time.SetUtcNow(Nine.AddSeconds(1));
        await _fires.WaitForAsync(Nine, RealWait);
        Assert.Equal("a", _fires.All.Single().Node);

        // A takes the 09:01 fire ahead of time (Quartz acquires what is due within its idle wait), then dies.
        _time.SetUtcNow(Nine.AddSeconds(58));
        var instance = a.SchedulerInstanceId;
        await WaitUntilAsync(async () => await ScalarAsync($"SELECT count(*) FROM qrtz_fired_triggers WHERE instance_name = '{instance}' AND state = 'ACQUIRED'") == 1);
        // Quartz keeps times as .NET ticks (UTC).
        var lastCheckin = new DateTimeOffset(await ScalarAsync($"SELECT last_checkin_time FROM qrtz_scheduler_state WHERE instance_name = '{instance}'"), TimeSpan.Zero);
        await CutOffAsync("node_a");
        output.WriteLine($"node a ({instance}) last checked in at {lastCheckin:O}, cut off at {_time.GetUtcNow():O}");

        await StartNodeAsync("b", _connectionString);
        var deadline = lastCheckin + Cluster.TakeoverWithin;
        DateTimeOffset? firedAt = null;
        for (var now = Nine.AddSeconds(59); now <= Nine.AddMinutes(2) && firedAt is null; now += TimeSpan.FromSeconds(1))
        {
            _time.SetUtcNow(now);
            await Task.Delay(TimeSpan.FromMilliseconds(150));
            if (_fires.All.Any(fire => fire.Scheduled == Nine.AddMinutes(1))) firedAt = now;
        }

        output.WriteLine($"09:01 fired at {firedAt:O}; takeover due by {deadline:O}");
        Assert.NotNull(firedAt);
        var taken = _fires.All.Single(fire => fire.Scheduled == Nine.AddMinutes(1));
        Assert.Equal("b", taken.Node);
        // On time if B wrote A off before 09:01, else as soon as it did: within A's last check-in plus the interval
        // and the threshold, give or take one of B's own check-in rounds and this loop's step.
        var latest = (deadline > Nine.AddMinutes(1) ? deadline : Nine.AddMinutes(1)) + Cluster.CheckinInterval + TimeSpan.FromSeconds(1);
        Assert.True(firedAt <= latest, $"fired at {firedAt:O}, later than {latest:O}");
        Assert.Equal(0, await ScalarAsync($"SELECT count(*) FROM qrtz_scheduler_state WHERE instance_name = '{instance}'"));
    }

    private async Task<IScheduler> StartNodeAsync(string name, string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(new NodeName(name));
        services.AddSingleton(_fires);
        services.AddTransient<RecordingJob>();
        services.AddQuartz(quartz =>
        {
            DigestHostingExtensions.UseClusteredStore(quartz, connectionString, Cluster);
            quartz.UseDefaultThreadPool(pool => pool.MaxConcurrency = 2);
        });
        var provider = services.BuildServiceProvider();
        _nodes.Add(provider);
        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        return scheduler;
    }

    private async Task ScheduleEveryMinuteAsync(IScheduler scheduler)
    {
        var job = JobBuilder.Create<RecordingJob>().WithIdentity("record", "test").StoreDurably().Build();
        var trigger = TriggerBuilder.Create(_time).WithIdentity("every-minute", "test").ForJob(job).StartAt(Nine)
            .WithSimpleSchedule(schedule => schedule.WithInterval(TimeSpan.FromMinutes(1)).RepeatForever()).Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing);
    }

    private string ConnectionStringAs(string role) => new NpgsqlConnectionStringBuilder(_connectionString) { Username = role }.ConnectionString;

    private async Task CreateRoleAsync(string role)
    {
        await ExecuteAsync(server.AdminConnectionString, $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} LOGIN; END IF; END $$; ALTER ROLE {role} LOGIN");
        await ExecuteAsync(_connectionString, $"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}");
    }

    /// <summary>The host's database access ends as it does when its process is killed: its sessions are gone and no new one opens.</summary>
    private async Task CutOffAsync(string role)
    {
        _cutOff.Add(role);
        await ExecuteAsync(server.AdminConnectionString, $"ALTER ROLE {role} NOLOGIN; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(RealWait);
        while (!await condition()) await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
    }

    internal sealed record NodeName(string Name);

    internal sealed class Fires
    {
        public ConcurrentQueue<(string Node, DateTimeOffset Scheduled)> All { get; } = new();

        public async Task WaitForAsync(DateTimeOffset scheduled, TimeSpan timeout)
        {
            using var wait = new CancellationTokenSource(timeout);
            while (!All.Any(fire => fire.Scheduled == scheduled)) await Task.Delay(TimeSpan.FromMilliseconds(50), wait.Token);
        }
    }

    internal sealed class RecordingJob(NodeName node, Fires fires) : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            fires.All.Enqueue((node.Name, context.ScheduledFireTimeUtc!.Value));
            return ValueTask.CompletedTask;
        }
    }
}
