using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;
using GrowthBot.Tests.Postgres;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace GrowthBot.Cluster.Tests.Engine;

/// <summary>
/// A host whose next writes are gone from the change log (pruned after a day while it was cut off, or
/// written by a build that keeps no log) reloads its engine from the store instead of answering without
/// them, then follows on write by write.
/// </summary>
[Collection(ClusterDatabase.Name)]
[Trait("Category", "Postgres")]
public sealed class ChangeLogGapTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly DateTime Jan1 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Jan15 = new(2026, 1, 15, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Feb1 = new(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 2, 10, 9, 0, 0, TimeSpan.Zero));
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await ClusterDatabase.MigratedAsync(server);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CatchUp_AfterTheWritesItMissedWerePrunedFromTheLog_ReloadsTheEngine_ThenFollowsWriteByWrite()
    {
        await using var a = FollowingHost.Attached(_connectionString, _time, Interval);
        await using var b = FollowingHost.Attached(_connectionString, _time, Interval);
        a.Importer.Write(new GrowthDataBatch
        {
            Customers = { new Customer("c1", "Acme", "enterprise", "sales", Jan1, null) },
            Subscriptions = { new SubscriptionChange("c1", Jan1.AddDays(2), 400m) },
        });
        a.Importer.Write(new GrowthDataBatch { Responses = { new SurveyResponse("r1", SurveyKind.Nps, "c1", 3, null, Jan15) } });
        // Host B was cut off for more than a day: host A's next write prunes the two it never read.
        await ExecuteAsync("UPDATE growth_changes SET recorded_at = now() - interval '25 hours'");
        a.Importer.Write(new GrowthDataBatch { Subscriptions = { new SubscriptionChange("c1", Jan1.AddDays(5), 450m) } });
        Assert.Equal(3L, await ScalarAsync("SELECT min(generation) FROM growth_changes"));

        Assert.Equal(1, b.Follower.CatchUp());

        Assert.Equal(3, b.Follower.Position);
        Assert.Equal(a.Engine.Statistics, b.Engine.Statistics);
        Assert.Equal(450m, Mrr(b));
        Assert.Equal(-100m, Nps(b));

        a.Importer.Write(new GrowthDataBatch { Responses = { new SurveyResponse("r2", SurveyKind.Nps, "c1", 10, null, Jan15.AddDays(1)) } });
        Assert.Equal(1, b.Follower.CatchUp());
        Assert.Equal((4, 0m), (b.Follower.Position, Nps(b)));
    }

    [Fact]
    public async Task CatchUp_AWriteThatLeftNoLogEntry_ReloadsTheEngine()
    {
        await using var a = FollowingHost.Attached(_connectionString, _time, Interval);
        a.Importer.Write(new GrowthDataBatch { Customers = { new Customer("c1", "Acme", "enterprise", "sales", Jan1, null) } });
        Assert.Equal(0, a.Follower.CatchUp());

        // A host on a build from before the change log writes a customer and bumps the generation, and logs nothing.
        await ExecuteAsync("""
            INSERT INTO customers (id, name, segment, channel, signed_up_at) VALUES ('c2', 'Globex', 'smb', 'organic', '2026-01-03T00:00:00Z');
            UPDATE store_meta SET value = value + 1 WHERE key = 'generation';
            """);

        Assert.Equal(1, a.Follower.CatchUp());

        Assert.Equal((2, 2), (a.Follower.Position, a.Engine.Statistics.Customers));
        Assert.Equal(0, a.Follower.CatchUp());
    }

    [Fact]
    public async Task OwnWrite_FindingTheOthersWritesPruned_IsKept_AndTheEngineIsReloadedAtTheNextCatchUp()
    {
        await using var a = FollowingHost.Attached(_connectionString, _time, Interval);
        await using var b = FollowingHost.Attached(_connectionString, _time, Interval);
        a.Importer.Write(new GrowthDataBatch { Customers = { new Customer("c1", "Acme", "enterprise", "sales", Jan1, null) } });
        await ExecuteAsync("UPDATE growth_changes SET recorded_at = now() - interval '25 hours'");
        a.Importer.Write(new GrowthDataBatch { Customers = { new Customer("c2", "Globex", "smb", "organic", Jan1, null) } });

        // Host B writes before its poll: the writes ahead of its own are partly gone.
        b.Importer.Write(new GrowthDataBatch { Customers = { new Customer("c3", "Initech", "smb", "organic", Jan1, null) } });
        Assert.Equal(1, b.Follower.CatchUp());

        Assert.Equal(3, b.Engine.Statistics.Customers);
        Assert.Equal(3, b.Follower.Position);
        Assert.Equal(0, b.Follower.CatchUp());
    }

    private static decimal? Mrr(FollowingHost host) => host.Engine.Answer(new MetricQuery(MetricId.Mrr, Jan1, Jan15)).Result.Value;

    private static decimal? Nps(FollowingHost host) => host.Engine.Answer(new MetricQuery(MetricId.Nps, Jan1, Feb1)).Result.Value;

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
