using GrowthBot.Core.Conversations;
using GrowthBot.Storage.Postgres;
using GrowthBot.Tests.Postgres;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Cluster.Tests.Inbox;

/// <summary>Two hosts' inboxes on one database: each delivery accepted once, each unanswered message answered by one live host.</summary>
[Collection(ClusterDatabase.Name)]
[Trait("Category", "Postgres")]
public sealed class SharedInboxTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private PostgresDatabase _hostA = null!;
    private PostgresDatabase _hostB = null!;
    private PostgresDatabase _hostC = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await ClusterDatabase.MigratedAsync(server);
        _hostA = ClusterDatabase.Host(connectionString, _time);
        _hostB = ClusterDatabase.Host(connectionString, _time);
        _hostC = ClusterDatabase.Host(connectionString, _time);
    }

    public Task DisposeAsync()
    {
        _hostA.Dispose();
        _hostB.Dispose();
        _hostC.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void TryAccept_SameDeliveryOnTwoHosts_IsAcceptedByOneOnly()
    {
        var a = new PostgresInbox(_hostA, _time);
        var b = new PostgresInbox(_hostB, _time);
        var message = Message("Ev0RETRY");

        var accepted = new[] { a, b, a, b }.AsParallel().Select(inbox => inbox.TryAccept(message)).Count(ok => ok);

        Assert.Equal(1, accepted);
        Assert.Single(a.Pending());
    }

    [Fact]
    public void ClaimUnanswered_MessagesOfALiveHost_AreNotTaken()
    {
        var a = new PostgresInbox(_hostA, _time);
        var b = new PostgresInbox(_hostB, _time);
        a.TryAccept(Message("Ev01"));

        // A renews its claims every third of the lease; B looks as often and finds nothing to take.
        for (var round = 0; round < 6; round++)
        {
            _time.Advance(Lease / 3);
            a.RenewClaims(_time.GetUtcNow());
            Assert.Empty(b.ClaimUnanswered(_time.GetUtcNow(), Lease, 100));
        }
    }

    [Fact]
    public void ClaimUnanswered_AfterTheHostStopsRenewing_IsTakenOverOnceTheLeaseLapses_ByOneHostEach()
    {
        var dead = new PostgresInbox(_hostA, _time);
        var survivors = new[] { new PostgresInbox(_hostB, _time), new PostgresInbox(_hostC, _time) };
        var ids = Enumerable.Range(0, 40).Select(i => $"Ev{i:D3}").ToList();
        foreach (var id in ids)
        {
            dead.TryAccept(Message(id));
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        _time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.All(survivors, survivor => Assert.Empty(survivor.ClaimUnanswered(_time.GetUtcNow(), Lease, 100)));

        _time.Advance(TimeSpan.FromSeconds(2));
        // Both survivors ask at once, in small batches, until nothing is left.
        var taken = survivors.AsParallel().Select(survivor =>
        {
            var mine = new List<string>();
            while (survivor.ClaimUnanswered(_time.GetUtcNow(), Lease, 3) is { Count: > 0 } batch) mine.AddRange(batch.Select(message => message.DeliveryId));
            return mine;
        }).ToList();

        var all = taken.SelectMany(mine => mine).ToList();
        Assert.Equal(ids.Count, all.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
        // And once taken, they are the taker's: the other survivor, and the dead host if it came back, leave them.
        Assert.Empty(survivors[0].ClaimUnanswered(_time.GetUtcNow(), Lease, 100));
        Assert.Empty(dead.ClaimUnanswered(_time.GetUtcNow(), Lease, 100));
    }

    [Fact]
    public void ClaimUnanswered_TakesTheOldestFirst_AndNeverAnsweredOnes()
    {
        var dead = new PostgresInbox(_hostA, _time);
        var survivor = new PostgresInbox(_hostB, _time);
        var first = Message("EvFIRST");
        var answered = Message("EvDONE") with { ReceivedAt = first.ReceivedAt.AddSeconds(1) };
        var second = Message("EvSECOND") with { ReceivedAt = first.ReceivedAt.AddSeconds(2) };
        dead.TryAccept(second);
        dead.TryAccept(answered);
        dead.TryAccept(first);
        dead.Complete(answered);

        _time.Advance(Lease + TimeSpan.FromSeconds(1));
        var taken = survivor.ClaimUnanswered(_time.GetUtcNow(), Lease, 100);

        Assert.Equal(["EvFIRST", "EvSECOND"], taken.Select(message => message.DeliveryId));
        Assert.Equal(first, taken[0]);
    }

    [Fact]
    public void RenewClaims_OfATakenOverMessage_BelongToItsNewHost()
    {
        var dead = new PostgresInbox(_hostA, _time);
        var survivor = new PostgresInbox(_hostB, _time);
        var late = new PostgresInbox(_hostC, _time);
        dead.TryAccept(Message("Ev01"));
        _time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Single(survivor.ClaimUnanswered(_time.GetUtcNow(), Lease, 100));

        // The survivor renews it; the dead host's renewals (were it only paused) no longer reach it.
        for (var round = 0; round < 6; round++)
        {
            _time.Advance(Lease / 3);
            survivor.RenewClaims(_time.GetUtcNow());
            dead.RenewClaims(_time.GetUtcNow());
            Assert.Empty(late.ClaimUnanswered(_time.GetUtcNow(), Lease, 100));
        }
    }

    private IncomingMessage Message(string deliveryId) => new(
        ChatPlatform.Slack, deliveryId, "C0GROWTH", null, new Requester(ChatPlatform.Slack, "U0STAFF", "T0HOME", false),
        "what's our churn this month?", _time.GetUtcNow());
}
