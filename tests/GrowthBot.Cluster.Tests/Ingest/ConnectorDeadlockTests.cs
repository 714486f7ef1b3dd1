using System.Collections.Concurrent;
using GrowthBot.Core.Billing;
using GrowthBot.Core.Import;
using GrowthBot.Core.Metrics;
using GrowthBot.Storage.Postgres;
using GrowthBot.Tests.Postgres;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace GrowthBot.Cluster.Tests.Ingest;

/// <summary>
/// A connector batch that PostgreSQL aborts to break a real deadlock with another host's transaction
/// (40P01) is run again, and the delivery is applied instead of failed.
/// </summary>
[Collection(ClusterDatabase.Name)]
[Trait("Category", "Postgres")]
public sealed class ConnectorDeadlockTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingLogger _log = new();
    private string _connectionString = null!;
    private PostgresDatabase _database = null!;
    private MetricEngine _engine = null!;
    private BillingIngest _billing = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await ClusterDatabase.MigratedAsync(server);
        _database = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = _connectionString }, _time, _log);
        _engine = new MetricEngine(new MetricEngineOptions(), TimeZoneInfo.Utc, _time);
        _billing = new BillingIngest(new ImportService(new PostgresGrowthStore(_database), _engine, TimeZoneInfo.Utc), new PostgresBillingLedger(_database));
    }

    public Task DisposeAsync()
    {
        _billing.Dispose();
        _engine.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task BillingDelivery_AbortedAsADeadlockVictim_IsRunAgainAndApplied()
    {
        Assert.Equal(BillingOutcome.Applied, await _billing.ApplyAsync(Change("evt_1", Jan1, 100m)));

        // Another host's transaction holds the subscription's share and is about to take its object: the reverse of this host's order.
        await using var other = new NpgsqlConnection(_connectionString);
        await other.OpenAsync();
        // PostgreSQL aborts the session whose deadlock check runs first: this host's (1 s by default), not the other's.
        await Execute(other, "SET deadlock_timeout = '60s'");
        await using var transaction = await other.BeginTransactionAsync();
        await Execute(other, "UPDATE billing_shares SET mrr = mrr WHERE subscription_id = 'sub_1'", transaction);

        var delivery = _billing.ApplyAsync(Change("evt_2", Jan1.AddDays(10), 250m));
        // This host has locked the object and waits for the share...
        for (var i = 0; i < 600 && await WaitingSessionsAsync() == 0; i++) await Task.Delay(50);
        Assert.Equal(1, await WaitingSessionsAsync());
        // ...which the other host holds while it now waits for the object: a deadlock, which PostgreSQL breaks by aborting this host's batch.
        await Execute(other, "UPDATE billing_objects SET object_time = object_time WHERE object_id = 'sub_1'", transaction);
        await transaction.CommitAsync();

        Assert.Equal(BillingOutcome.Applied, await delivery.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(_log.Lines, line => line.Contains("40P01", StringComparison.Ordinal) && line.Contains("trying again", StringComparison.Ordinal));
        var ledger = new PostgresBillingLedger(_database);
        Assert.True(ledger.HasDelivery("evt_2"));
        Assert.Equal(250m, Assert.Single(ledger.SharesOf("c1")).Mrr);
        Assert.Equal(Jan1.AddDays(10), ledger.LastObjectTime("sub_1"));
    }

    [Fact]
    public async Task TwoHostsRecordingOverlappingBatchesInOppositeOrders_NeverDeadlock()
    {
        var otherLog = new RecordingLogger();
        using var otherHost = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = _connectionString }, _time, otherLog);
        var ledgers = new[] { new PostgresBillingLedger(_database), new PostgresBillingLedger(otherHost) };

        for (var round = 0; round < 20; round++)
        {
            // The same objects (two subscriptions) in each batch, in opposite orders on the two hosts.
            var at = Jan1.AddMinutes(round);
            BillingRecord Record(string host, string subscription) =>
                new($"evt_{round}_{host}_{subscription}", "stripe", subscription, at, [new SubscriptionShare(subscription, "c1", round)]);
            var first = Task.Run(() => ledgers[0].RecordAll([Record("a", "sub_1"), Record("a", "sub_2"), Record("a", "sub_3")]));
            var second = Task.Run(() => ledgers[1].RecordAll([Record("b", "sub_3"), Record("b", "sub_2"), Record("b", "sub_1")]));
            await Task.WhenAll(first, second);
        }

        Assert.DoesNotContain(_log.Lines.Concat(otherLog.Lines), line => line.Contains("40P01", StringComparison.Ordinal));
        Assert.True(ledgers[1].HasDelivery("evt_19_a_sub_2"));
        Assert.Equal([19m, 19m, 19m], ledgers[0].SharesOf("c1").Select(share => share.Mrr));
    }

    private static BillingChange Change(string delivery, DateTimeOffset at, decimal mrr) =>
        new(delivery, "stripe", "sub_1", at, at) { Subscription = new SubscriptionShare("sub_1", "c1", mrr) };

    private static async Task Execute(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> WaitingSessionsAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private sealed class RecordingLogger : ILogger<PostgresDatabase>
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception));
    }
}
