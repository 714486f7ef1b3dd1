using GrowthBot.Core.Digests;
using GrowthBot.Storage.Postgres;
using GrowthBot.Tests.Postgres;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Cluster.Tests.Digests;

/// <summary>The delivery log on one database, claimed by several hosts: each (subscription, period) goes out once.</summary>
[Collection(ClusterDatabase.Name)]
[Trait("Category", "Postgres")]
public sealed class SharedDeliveryLogTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Lease = new DigestOptions().ClaimLease;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly List<PostgresDatabase> _hosts = [];
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await ClusterDatabase.MigratedAsync(server);

    public Task DisposeAsync()
    {
        foreach (var host in _hosts) host.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void TryClaim_ManyHostsAtOnce_GrantsOneClaim()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => Store()).ToList();

        var granted = stores.AsParallel().Select((store, i) => store.TryClaim("sub-1", "2026-W48", $"run-{i}", _time.GetUtcNow(), Lease).Granted).Count(ok => ok);

        Assert.Equal(1, granted);
    }

    [Fact]
    public void TryClaim_SendingByAnotherLiveHost_IsRefusedUntilTheLeaseLapses_ThenGrantedToOneHost()
    {
        var sender = Store();
        var others = new[] { Store(), Store() };
        Assert.True(sender.TryClaim("sub-1", "2026-W48", "run-sender", _time.GetUtcNow(), Lease).Granted);

        _time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.All(others, other => Assert.False(other.TryClaim("sub-1", "2026-W48", "run-sweeper", _time.GetUtcNow(), Lease).Granted));

        _time.Advance(TimeSpan.FromSeconds(1));
        var claims = others.AsParallel().Select((other, i) => other.TryClaim("sub-1", "2026-W48", $"run-survivor-{i}", _time.GetUtcNow(), Lease)).ToList();

        var taken = Assert.Single(claims, claim => claim.Granted);
        Assert.Equal(DeliveryState.Sending, taken.Previous!.State);
        Assert.Equal("run-sender", taken.Previous.Owner);
        Assert.Equal(2, taken.Record.Attempts);
    }

    [Fact]
    public void TryClaim_SentByAnotherHost_IsNeverGrantedAgain()
    {
        var sender = Store();
        var other = Store();
        sender.TryClaim("sub-1", "2026-W48", "run-sender", _time.GetUtcNow(), Lease);
        sender.Complete("sub-1", "2026-W48", DeliveryState.Sent, _time.GetUtcNow(), "1700000000.000100");

        _time.Advance(TimeSpan.FromHours(1));

        Assert.False(other.TryClaim("sub-1", "2026-W48", "run-other", _time.GetUtcNow(), Lease).Granted);
    }

    private PostgresDigestStore Store()
    {
        var host = ClusterDatabase.Host(_connectionString, _time);
        _hosts.Add(host);
        return new PostgresDigestStore(host);
    }
}
