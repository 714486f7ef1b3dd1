using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Connector;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Teams.Tests.Connector;

/// <summary>
/// Teams' documented limits: per conversation 7 per second, 8 per 2 seconds, 60 per 30 seconds,
/// 1800 per hour; members 14/16/120/3600; conversation creation per bot; 50 per second per app per tenant.
/// </summary>
public sealed class ConversationLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Reserve_SevenAtOnce_GoNow_TheEighthWaitsASecond()
    {
        var limiter = new ConversationLimiter(_time);

        var waits = Enumerable.Range(0, 8).Select(_ => limiter.Reserve("a:1chat")).ToList();

        Assert.All(waits.Take(7), wait => Assert.Equal(TimeSpan.Zero, wait));
        Assert.Equal(TimeSpan.FromSeconds(1), waits[7]);
    }

    [Fact]
    public void Reserve_AtMostEightInAnyTwoSeconds()
    {
        var limiter = new ConversationLimiter(_time);
        var start = _time.GetUtcNow();

        var slots = Enumerable.Range(0, 16).Select(_ => start + limiter.Reserve("a:1chat")).ToList();

        Assert.Equal(8, slots.Count(slot => slot < start + TimeSpan.FromSeconds(2)));
        for (var i = 8; i < slots.Count; i++) Assert.True(slots[i] - slots[i - 8] >= TimeSpan.FromSeconds(2), $"slot {i}");
    }

    [Fact]
    public void Reserve_FiftyAnAppMakesInOneTenant_TheFiftyFirstWaitsASecond_EvenInAnotherConversation()
    {
        var limiter = new ConversationLimiter(_time);
        RateKey[] In(string conversation, string tenant) =>
            [ConversationLimiter.SendKey(conversation), new("tenant|" + tenant, ConversationLimiter.TenantLimits)];

        var waits = Enumerable.Range(0, 51).Select(i => limiter.Reserve(In($"a:1chat{i}", "tenant-1"))).ToList();

        Assert.All(waits.Take(50), wait => Assert.Equal(TimeSpan.Zero, wait));
        Assert.Equal(TimeSpan.FromSeconds(1), waits[50]);
        Assert.Equal(TimeSpan.Zero, limiter.Reserve(In("a:1elsewhere", "tenant-2")));
    }

    [Fact]
    public void Reserve_MemberLookups_FourteenASecondSixteenInTwo()
    {
        var limiter = new ConversationLimiter(_time);
        var start = _time.GetUtcNow();
        RateKey[] lookup = [new("members|19:team@thread.tacv2", ConversationLimiter.MemberLimits)];

        var slots = Enumerable.Range(0, 17).Select(_ => start + limiter.Reserve(lookup)).ToList();

        Assert.Equal(14, slots.Count(slot => slot == start));
        Assert.Equal(16, slots.Count(slot => slot < start + TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Reserve_SixtyInThirtySeconds_ThenWaitsForTheWindow()
    {
        var limiter = new ConversationLimiter(_time);
        var start = _time.GetUtcNow();

        var slots = Enumerable.Range(0, 61).Select(_ => start + limiter.Reserve("a:1chat")).ToList();

        for (var i = 7; i < slots.Count; i++) Assert.True(slots[i] - slots[i - 7] >= TimeSpan.FromSeconds(1), $"slot {i}");
        Assert.True(slots[59] < start + TimeSpan.FromSeconds(30));
        Assert.Equal(slots[0] + TimeSpan.FromSeconds(30), slots[60]);
    }

    [Fact]
    public void Reserve_AtMost1800AnHour()
    {
        var limiter = new ConversationLimiter(_time);
        var start = _time.GetUtcNow();

        var slots = Enumerable.Range(0, 1801).Select(_ => start + limiter.Reserve("a:1chat")).ToList();

        Assert.True(slots[1799] < start + TimeSpan.FromHours(1));
        Assert.Equal(slots[0] + TimeSpan.FromHours(1), slots[1800]);
    }

    [Fact]
    public void Reserve_OtherConversations_DoNotWait()
    {
        var limiter = new ConversationLimiter(_time);
        for (var i = 0; i < 7; i++) limiter.Reserve("a:1busy");

        Assert.Equal(TimeSpan.Zero, limiter.Reserve("a:1quiet"));
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.Reserve("a:1busy"));
    }

    [Fact]
    public void Reserve_AfterTheWindowPasses_GoesAtOnceAgain()
    {
        var limiter = new ConversationLimiter(_time);
        for (var i = 0; i < 7; i++) limiter.Reserve("a:1chat");

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.Zero, limiter.Reserve("a:1chat"));
    }

    [Fact]
    public async Task WaitTurn_WaitsOnTheInjectedClock()
    {
        var limiter = new ConversationLimiter(_time);
        for (var i = 0; i < 7; i++) await limiter.WaitTurnAsync("a:1chat", CancellationToken.None);

        var eighth = limiter.WaitTurnAsync("a:1chat", CancellationToken.None);
        Assert.False(eighth.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        await eighth.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void ThreadOf_ChannelThread_IsItsChannel()
    {
        Assert.Equal("19:abc@thread.tacv2", TeamsConnectorClient.ThreadOf("19:abc@thread.tacv2;messageid=1764151500555"));
        Assert.Equal("a:1chat", TeamsConnectorClient.ThreadOf("a:1chat"));
    }
}
