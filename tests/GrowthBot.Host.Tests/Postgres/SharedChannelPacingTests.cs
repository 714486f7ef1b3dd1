using System.Collections.Concurrent;
using GrowthBot.Core.Conversations;
using GrowthBot.Slack.WebApi;
using GrowthBot.Storage.Postgres;
using GrowthBot.Tests.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrowthBot.Host.Tests.Postgres;

/// <summary>
/// Slack's one-message-a-second-per-channel pacing across two hosts on one database: each host's pacer
/// reserves its slots in the shared table, so their posts to one channel go out a second apart, while
/// another channel's post does not wait.
/// </summary>
[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class SharedChannelPacingTests(PostgresServer server) : TwoHostsOnOneDatabase(server)
{
    [Fact]
    public async Task TwoHostsPostingToOneChannel_GoOutASecondApart_AndAnotherChannelIsNotDelayed()
    {
        var slotsA = new Recording(new PostgresChannelPaceStore(HostA));
        var slotsB = new Recording(new PostgresChannelPaceStore(HostB));
        var pacerA = Pacer(slotsA);
        var pacerB = Pacer(slotsB);
        var turns = new ConcurrentQueue<(string Channel, DateTimeOffset At)>();

        var waits = new List<Task>();
        for (var i = 0; i < 3; i++)
        {
            waits.Add(TurnAsync(pacerA, "C1", turns));
            waits.Add(TurnAsync(pacerB, "C1", turns));
        }
        waits.Add(TurnAsync(pacerB, "C2", turns));
        // Every post has its slot before the clock moves: all asked at the same moment.
        await Until(() => slotsA.Slots.Count + slotsB.Slots.Count == 7);
        for (var second = 0; second < 6 && !waits.TrueForAll(wait => wait.IsCompleted); second++)
        {
            await Until(() => turns.Count >= second + 2);
            Time.Advance(TimeSpan.FromSeconds(1));
        }
        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(30));

        var channel = slotsA.Slots.Concat(slotsB.Slots).Where(slot => slot.Channel == "C1").Select(slot => slot.At).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => Start.AddSeconds(i)), channel);
        Assert.Equal(3, slotsA.Slots.Count(slot => slot.Channel == "C1"));
        Assert.Equal(Start, Assert.Single(slotsB.Slots, slot => slot.Channel == "C2").At);
        // And each post waited for its slot: none went out before it.
        Assert.Equal(channel, turns.Where(turn => turn.Channel == "C1").Select(turn => turn.At).Order());
        Assert.Equal(Start, Assert.Single(turns, turn => turn.Channel == "C2").At);
    }

    [Fact]
    public async Task APostOnOneHost_DelaysTheOtherHostsNextPostToThatChannel()
    {
        var pacerA = Pacer(new PostgresChannelPaceStore(HostA));
        var pacerB = Pacer(new PostgresChannelPaceStore(HostB));

        await pacerA.WaitTurnAsync("C1", CancellationToken.None);
        var next = pacerB.WaitTurnAsync("C1", CancellationToken.None);
        await Task.Delay(50);

        Assert.False(next.IsCompleted);
        Time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(50);
        Assert.False(next.IsCompleted);
        Time.Advance(TimeSpan.FromMilliseconds(1));
        await next.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task StoreUnreachable_TheHostPacesItsOwnPosts_AndPostsStillGoOut()
    {
        var pacer = Pacer(new Unreachable());

        await pacer.WaitTurnAsync("C1", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var second = pacer.WaitTurnAsync("C1", CancellationToken.None);
        await pacer.WaitTurnAsync("C2", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(second.IsCompleted);
        Time.Advance(TimeSpan.FromSeconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private ChannelPacer Pacer(IChannelPaceStore store) => new(store, Time, TimeSpan.FromSeconds(1), NullLogger.Instance);

    private async Task TurnAsync(ChannelPacer pacer, string channel, ConcurrentQueue<(string, DateTimeOffset)> turns)
    {
        await Task.Run(() => pacer.WaitTurnAsync(channel, CancellationToken.None));
        turns.Enqueue((channel, Time.GetUtcNow()));
    }

    private static async Task Until(Func<bool> done)
    {
        for (var i = 0; i < 600 && !done(); i++) await Task.Delay(50);
        Assert.True(done());
    }

    /// <summary>A database that cannot be reached.</summary>
    private sealed class Unreachable : IChannelPaceStore
    {
        public DateTimeOffset Reserve(ChatPlatform platform, string channel, DateTimeOffset notBefore, TimeSpan interval) =>
            throw new GrowthBot.Core.Ports.StoreUnavailableException("PostgreSQL at 127.0.0.1:1/growthbot is unreachable: connection refused", new IOException("connection refused"));
    }

    /// <summary>The host's store, recording each slot it gave.</summary>
    private sealed class Recording(IChannelPaceStore store) : IChannelPaceStore
    {
        public ConcurrentQueue<(string Channel, DateTimeOffset At)> Slots { get; } = new();

        public DateTimeOffset Reserve(ChatPlatform platform, string channel, DateTimeOffset notBefore, TimeSpan interval)
        {
            var slot = store.Reserve(platform, channel, notBefore, interval);
            Slots.Enqueue((channel, slot));
            return slot;
        }
    }
}
