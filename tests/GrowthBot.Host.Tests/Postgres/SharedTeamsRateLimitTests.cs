using System.Collections.Concurrent;
using GrowthBot.Core.Conversations;
using GrowthBot.Storage.Postgres;
using GrowthBot.Teams.Connector;
using GrowthBot.Tests.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrowthBot.Host.Tests.Postgres;

/// <summary>
/// Teams' documented limits across two hosts on one database: each host's limiter reserves its calls in the
/// shared slot log, so together they never exceed a conversation's 7/1 s, 8/2 s, 60/30 s, 1800/h nor the
/// tenant's 50/s, and one host's calls delay the other's.
/// </summary>
[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class SharedTeamsRateLimitTests(PostgresServer server) : TwoHostsOnOneDatabase(server)
{
    [Fact]
    public async Task TwoHostsSendingToOneConversation_TogetherNeverExceedAnyWindow()
    {
        var storeA = new Shared(HostA);
        var storeB = new Shared(HostB);
        var limiterA = new ConversationLimiter(Time, storeA, NullLogger.Instance);
        var limiterB = new ConversationLimiter(Time, storeB, NullLogger.Instance);
        var slots = new ConcurrentBag<DateTimeOffset>();
        RateKey[] sending = [ConversationLimiter.SendKey("a:1chat"), new("tenant|t1", ConversationLimiter.TenantLimits)];

        // Both hosts ask at once, in bursts, as the (fake) clock moves on: 2 x 40 calls over a minute.
        for (var burst = 0; burst < 4; burst++)
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(caller => Task.Run(() =>
            {
                for (var call = 0; call < 5; call++) slots.Add(Time.GetUtcNow() + (caller % 2 == 0 ? limiterA : limiterB).Reserve(sending));
            })));
            Time.Advance(TimeSpan.FromSeconds(15));
        }

        Assert.Empty(storeA.Failures.Concat(storeB.Failures));
        Assert.Empty(storeA.Failures.Concat(storeB.Failures));
        var sorted = slots.Order().ToList();
        Assert.Equal(80, sorted.Count);
        AssertWithin(ConversationLimiter.SendLimits, sorted);
        // Without the shared log each host would have sent 7 at the first instant: 14 in all.
        Assert.Equal(7, sorted.Count(slot => slot == Start));
    }

    [Fact]
    public async Task TwoHostsInOneTenant_TogetherKeepFiftyASecond()
    {
        var storeA = new Shared(HostA);
        var storeB = new Shared(HostB);
        var limiterA = new ConversationLimiter(Time, storeA, NullLogger.Instance);
        var limiterB = new ConversationLimiter(Time, storeB, NullLogger.Instance);
        var slots = new ConcurrentBag<DateTimeOffset>();

        // Four callers on each host, 15 calls each, every call to its own conversation in the one tenant.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(caller => Task.Run(() =>
        {
            for (var call = 0; call < 15; call++)
            {
                var limiter = caller % 2 == 0 ? limiterA : limiterB;
                slots.Add(Start + limiter.Reserve([new RateKey($"send|a:1chat{caller}-{call}", ConversationLimiter.SendLimits), new RateKey("tenant|t1", ConversationLimiter.TenantLimits)]));
            }
        })));

        Assert.Empty(storeA.Failures.Concat(storeB.Failures));
        var sorted = slots.Order().ToList();
        AssertWithin(ConversationLimiter.TenantLimits, sorted);
        Assert.Equal([50, 50, 20], sorted.GroupBy(slot => slot).Select(group => group.Count()));
    }

    [Fact]
    public async Task ACallOnOneHost_DelaysTheOtherHostsCallToThatConversation()
    {
        var limiterA = new ConversationLimiter(Time, new PostgresRateWindowStore(HostA), NullLogger.Instance);
        var limiterB = new ConversationLimiter(Time, new PostgresRateWindowStore(HostB), NullLogger.Instance);
        for (var i = 0; i < 7; i++) await limiterA.WaitTurnAsync("a:1chat", CancellationToken.None);

        var next = Task.Run(() => limiterB.WaitTurnAsync("a:1chat", CancellationToken.None));
        await Task.Delay(200);
        Assert.False(next.IsCompleted);
        await limiterB.WaitTurnAsync("a:1other", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Time.Advance(TimeSpan.FromSeconds(1));
        await next.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task StoreUnreachable_TheHostKeepsTheLimitsForItsOwnCalls_AndCallsStillGo()
    {
        var limiter = new ConversationLimiter(Time, new Unreachable(), NullLogger.Instance);

        for (var i = 0; i < 7; i++) await limiter.WaitTurnAsync("a:1chat", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var eighth = limiter.WaitTurnAsync("a:1chat", CancellationToken.None);

        Assert.False(eighth.IsCompleted);
        Time.Advance(TimeSpan.FromSeconds(1));
        await eighth.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static void AssertWithin(IReadOnlyList<RateLimit> limits, List<DateTimeOffset> sorted)
    {
        foreach (var (count, window) in limits)
        {
            for (var i = count; i < sorted.Count; i++) Assert.True(sorted[i] - sorted[i - count] >= window, $"slots {i - count}..{i} closer than {window}");
        }
    }

    /// <summary>The host's store, keeping what it threw: a store that failed would leave the limiter pacing only its own calls.</summary>
    private sealed class Shared(PostgresDatabase database) : IRateWindowStore
    {
        private readonly PostgresRateWindowStore _store = new(database);

        public ConcurrentQueue<Exception> Failures { get; } = new();

        public DateTimeOffset Reserve(ChatPlatform platform, IReadOnlyList<RateKey> keys, DateTimeOffset notBefore)
        {
            try
            {
                return _store.Reserve(platform, keys, notBefore);
            }
            catch (Exception exception)
            {
                Failures.Enqueue(exception);
                throw;
            }
        }
    }

    /// <summary>A database that cannot be reached.</summary>
    private sealed class Unreachable : IRateWindowStore
    {
        public DateTimeOffset Reserve(ChatPlatform platform, IReadOnlyList<RateKey> keys, DateTimeOffset notBefore) =>
            throw new GrowthBot.Core.Ports.StoreUnavailableException("PostgreSQL at 127.0.0.1:1/growthbot is unreachable: connection refused", new IOException("connection refused"));
    }
}
