using GrowthBot.Core.Billing;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Surveys;
using GrowthBot.Formulas;
using GrowthBot.Storage.Postgres;
using GrowthBot.Tests.Postgres;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace GrowthBot.Cluster.Tests.Engine;

/// <summary>
/// Two hosts' metric engines on one database: each follows what the other commits (NOTIFY on commit,
/// LISTEN on a connection of its own, a poll as the safety net), applies each write once, and never
/// applies its own twice. The fake clock never moves unless a test says so, so anything that arrives
/// without moving it came by notice, not by the poll.
/// </summary>
[Collection(ClusterDatabase.Name)]
[Trait("Category", "Postgres")]
public sealed class EngineFollowTests(PostgresServer server) : IAsyncLifetime
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
    public async Task Import_OnHostA_IsAnsweredByHostB_ByNoticeWithoutThePoll()
    {
        await using var a = await FollowingHost.StartAsync(_connectionString, _time, Interval);
        await using var b = await FollowingHost.StartAsync(_connectionString, _time, Interval);

        var customers = a.Importer.Import(ImportKind.Customers, new StringReader("""
            customer_id,name,segment,acquisition_channel,signed_up_at,activated_at
            c1,Acme Ltd,enterprise,paid-search,2026-01-02T09:30:15Z,2026-01-03T14:00:00Z
            """));
        var subscriptions = a.Importer.Import(ImportKind.Subscriptions, new StringReader("""
            customer_id,date,mrr
            c1,2026-01-05,499
            """));
        Assert.Empty(customers.Errors);
        Assert.Empty(subscriptions.Errors);

        await Eventually.TrueAsync(() => Mrr(b) == 499m, "host B answers the MRR host A imported");
        Assert.Equal(1, b.Engine.Statistics.Customers);
        Assert.Equal(a.Follower.Position, b.Follower.Position);
    }

    [Fact]
    public async Task SurveyAnswer_OnHostA_ReachesHostB()
    {
        await using var a = await FollowingHost.StartAsync(_connectionString, _time, Interval);
        await using var b = await FollowingHost.StartAsync(_connectionString, _time, Interval);
        var surveysA = new PostgresSurveyStore(a.Database);
        var invitation = new SurveyInvitation("nps-1-u1", "nps-1", SurveyKind.Nps, "c1", ChatPlatform.Slack, "U1", null, InvitationState.Scored,
            _time.GetUtcNow(), _time.GetUtcNow(), Score: 9);
        using var writer = new SurveyAnswerWriter(a.Importer, surveysA);

        await writer.WriteAsync(invitation, new SurveyResponse("nps-1-u1", SurveyKind.Nps, "c1", 9, null, Jan15));

        await Eventually.TrueAsync(() => b.Engine.Statistics.Responses == 1, "host B holds host A's survey answer");
        Assert.Equal(100m, Nps(b));
    }

    [Fact]
    public async Task NoticeLost_ListeningConnectionKilled_ThePollCatchesUpAndTheListenerComesBack()
    {
        await using var a = await FollowingHost.StartAsync(_connectionString, _time, Interval);
        await using var b = await FollowingHost.StartAsync(_connectionString, _time, Interval);
        await KillAsync(b.Follower.ListenerProcessId);
        await Eventually.TrueAsync(() => !b.Follower.Listening, "host B notices its listening connection is gone");

        a.Importer.Write(Subscriptions(new SubscriptionChange("c1", Jan1, 120m)));

        // Each step is one poll interval; the listener's first retry is 1 s away, so the poll alone brings it.
        await Eventually.TrueAsync(() => Mrr(b) == 120m, "host B's poll catches up", between: () => _time.Advance(Interval / 2));
        Assert.False(b.Follower.Listening);

        await Eventually.TrueAsync(() => b.Follower.Listening, "host B listens again after its back-off", between: () => _time.Advance(TimeSpan.FromMilliseconds(250)));
        var position = b.Follower.Position;
        a.Importer.Write(Subscriptions(new SubscriptionChange("c2", Jan1, 30m)));
        await Eventually.TrueAsync(() => Mrr(b) == 150m, "host B is notified again");
        Assert.Equal(position + 1, b.Follower.Position);
    }

    [Fact]
    public async Task NoticesLost_HostBFollowsWithinTheDocumentedTwoSeconds_OnThePollAtTheDefaultInterval()
    {
        // README and docs/scale-out.md: an answer on any host includes every change committed more than 2 s earlier.
        var documented = TimeSpan.FromSeconds(2);
        var interval = new PostgresStorageOptions().FollowInterval;
        await using var a = await FollowingHost.StartAsync(_connectionString, _time, interval);
        await using var b = await FollowingHost.StartAsync(_connectionString, _time, interval);
        await KillAsync(b.Follower.ListenerProcessId);
        await Eventually.TrueAsync(() => !b.Follower.Listening, "host B notices its listening connection is gone");
        var committed = _time.GetUtcNow();

        a.Importer.Write(Subscriptions(new SubscriptionChange("c1", Jan1, 120m)));
        // Without its notice, B has nothing to follow until its clock reaches the next poll.
        await Task.Delay(200);
        Assert.NotEqual(120m, Mrr(b));

        // The clock moves one poll interval past the commit, and no further: that poll brings the change.
        _time.Advance(interval);
        await Eventually.TrueAsync(() => Mrr(b) == 120m, "host B's poll brings host A's change");
        Assert.True(_time.GetUtcNow() - committed <= documented);
    }

    [Fact]
    public async Task OwnWrites_AreAppliedOnce_AndOtherHostsWritesOnceEach()
    {
        await using var a = await FollowingHost.StartAsync(_connectionString, _time, Interval);
        await using var b = await FollowingHost.StartAsync(_connectionString, _time, Interval);

        a.Importer.Write(new GrowthDataBatch { Orders = { new Order("o1", "c1", Jan15, 80m) } });
        b.Importer.Write(new GrowthDataBatch { Orders = { new Order("o2", "c2", Jan15, 20m) } });
        await Eventually.TrueAsync(() => a.Follower.Position == 2 && b.Follower.Position == 2, "both hosts reach generation 2");
        // Every poll after that, and a catch-up by hand, find nothing left to apply.
        for (var round = 0; round < 5; round++) _time.Advance(Interval);
        Assert.Equal(0, a.Follower.CatchUp());
        Assert.Equal(0, b.Follower.CatchUp());

        Assert.Equal(2, a.Engine.Statistics.Orders);
        Assert.Equal(2, b.Engine.Statistics.Orders);
    }

    [Fact]
    public async Task ReplacedRows_OnHostA_ReplaceTheOldVersionsOnHostB()
    {
        await using var a = await FollowingHost.StartAsync(_connectionString, _time, Interval);
        await using var b = await FollowingHost.StartAsync(_connectionString, _time, Interval);
        a.Importer.Write(new GrowthDataBatch
        {
            Subscriptions = { new SubscriptionChange("c1", Jan1, 100m) },
            Orders = { new Order("o1", "c1", Jan15, 80m) },
            Responses = { new SurveyResponse("r1", SurveyKind.Nps, "c1", 0, "slow", Jan15) },
        });
        await Eventually.TrueAsync(() => b.Follower.Position == a.Follower.Position, "host B has the first versions");
        Assert.Equal(-100m, Nps(b));

        a.Importer.Write(new GrowthDataBatch
        {
            Subscriptions = { new SubscriptionChange("c1", Jan1, 300m) },
            Orders = { new Order("o1", "c1", Jan15.AddDays(3), 95m) },
            Responses = { new SurveyResponse("r1", SurveyKind.Nps, "c1", 10, "fixed", Jan15) },
        });

        await Eventually.TrueAsync(() => Nps(b) == 100m, "host B has the new score");
        Assert.Equal(300m, Mrr(b));
        Assert.Equal(new EngineStatistics(1, 1, 1, 0, 1, 0), b.Engine.Statistics);
        Assert.Equal(a.Engine.Statistics, b.Engine.Statistics);
    }

    [Fact]
    public async Task DeletedCustomer_BillingOnHostA_TakesItsMrrToZeroOnHostB()
    {
        await using var a = await FollowingHost.StartAsync(_connectionString, _time, Interval);
        await using var b = await FollowingHost.StartAsync(_connectionString, _time, Interval);
        using var billing = new BillingIngest(a.Importer, new PostgresBillingLedger(a.Database));
        var subscribed = new DateTimeOffset(Jan1);
        await billing.ApplyAsync(new BillingChange("evt_1", "stripe", "sub_1", subscribed, subscribed) { Subscription = new SubscriptionShare("sub_1", "c1", 250m) });
        await Eventually.TrueAsync(() => Mrr(b) == 250m, "host B has the subscription");

        var deleted = new DateTimeOffset(Jan15);
        await billing.ApplyAsync(new BillingChange("evt_2", "stripe", "c1", deleted, deleted) { DeletedCustomerId = "c1" });

        await Eventually.TrueAsync(() => Mrr(b, Feb1) == 0m, "host B sees the customer's MRR gone");
    }

    [Fact]
    public void Write_OnAHostBehindAnother_AppliesTheOtherHostsWriteFirst()
    {
        // Neither follower runs: host B learns of A's write only through its own next write, which replaces A's row.
        using var a = Sync(FollowingHost.Attached(_connectionString, _time, Interval));
        using var b = Sync(FollowingHost.Attached(_connectionString, _time, Interval));
        a.Host.Importer.Write(new GrowthDataBatch { Orders = { new Order("o1", "c1", Jan15, 80m) }, Responses = { new SurveyResponse("r1", SurveyKind.Nps, "c1", 3, null, Jan15) } });

        b.Host.Importer.Write(new GrowthDataBatch { Responses = { new SurveyResponse("r1", SurveyKind.Nps, "c1", 10, null, Jan15) } });

        Assert.Equal(2, b.Host.Follower.Position);
        Assert.Equal(new EngineStatistics(1, 0, 1, 0, 1, 0), b.Host.Engine.Statistics);
        Assert.Equal(100m, Nps(b.Host));
        Assert.Equal(1, a.Host.Follower.CatchUp());
        Assert.Equal(100m, Nps(a.Host));
        Assert.Equal(b.Host.Engine.Statistics, a.Host.Engine.Statistics);
    }

    [Fact]
    public async Task Write_FromAProcessWithoutAnEngine_IsFollowedByTheHost()
    {
        // A process writing to the shared database without an engine of its own (as `growthbot migrate` does).
        await using var host = await FollowingHost.StartAsync(_connectionString, _time, Interval);
        using var command = ClusterDatabase.Host(_connectionString, _time);

        new ImportService(new PostgresGrowthStore(command)).Write(Subscriptions(new SubscriptionChange("c9", Jan1, 42m)));

        await Eventually.TrueAsync(() => Mrr(host) == 42m, "the host has the other process's write");
    }

    [Fact]
    public async Task FailedWrite_OnHostA_LeavesNothingToFollow()
    {
        await using var a = await FollowingHost.StartAsync(_connectionString, _time, Interval);
        a.Importer.Write(Subscriptions(new SubscriptionChange("c1", Jan1, 10m)));
        var bad = new GrowthDataBatch { Orders = { new Order("o1", "c1", Jan15, 80m) }, Customers = { new Customer(null!, "x", "smb", "ads", Jan1, null) } };

        Assert.ThrowsAny<ArgumentException>(() => a.Importer.Write(bad));

        // Nothing of a failed write is recorded for other hosts, and this host's position stays where it was.
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var entries = new NpgsqlCommand("SELECT count(DISTINCT generation) FROM growth_changes", connection);
        Assert.Equal(1L, await entries.ExecuteScalarAsync());
        Assert.Equal(1, a.Follower.Position);
        Assert.Equal(0, a.Engine.Statistics.Orders);
    }

    private static GrowthDataBatch Subscriptions(params SubscriptionChange[] changes)
    {
        var batch = new GrowthDataBatch();
        batch.Subscriptions.AddRange(changes);
        return batch;
    }

    private static decimal? Mrr(FollowingHost host, DateTime? to = null) =>
        host.Engine.Answer(new MetricQuery(MetricId.Mrr, Jan1, to ?? Jan15)).Result.Value;

    private static decimal? Nps(FollowingHost host) =>
        host.Engine.Answer(new MetricQuery(MetricId.Nps, Jan1, Feb1)).Result.Value;

    private async Task KillAsync(int processId)
    {
        Assert.NotEqual(0, processId);
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", connection);
        kill.Parameters.AddWithValue("pid", processId);
        Assert.Equal(true, await kill.ExecuteScalarAsync());
    }

    private static SyncHost Sync(FollowingHost host) => new(host);

    /// <summary>Disposes a host whose follower never ran, from a synchronous test.</summary>
    private sealed class SyncHost(FollowingHost host) : IDisposable
    {
        public FollowingHost Host { get; } = host;

        public void Dispose() => Host.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
