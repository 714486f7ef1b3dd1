using GrowthBot.Core.Conversations;
using GrowthBot.Storage.Contract.Support;

namespace GrowthBot.Storage.Contract.Contracts;

/// <summary>
/// Slots under several sliding windows (Teams' documented limits): every window a call counts against holds,
/// in arrival order; keys and platforms that share no window do not wait; old slots stop counting.
/// </summary>
public abstract class RateWindowStoreContract(IStoreProvider provider) : StoreContract(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    private static readonly RateLimit[] Send =
    [
        new(7, TimeSpan.FromSeconds(1)),
        new(8, TimeSpan.FromSeconds(2)),
        new(60, TimeSpan.FromSeconds(30)),
        new(1800, TimeSpan.FromHours(1)),
    ];

    private static readonly RateLimit[] Tenant = [new(50, TimeSpan.FromSeconds(1))];

    [Fact]
    public void Reserve_SevenAtOnce_GoNow_TheEighthASecondLater()
    {
        using var store = Open();

        var slots = Enumerable.Range(0, 8).Select(_ => store.RateWindows.Reserve(ChatPlatform.Teams, [new("send|a:1chat", Send)], Now)).ToList();

        Assert.All(slots.Take(7), slot => Assert.Equal(Now, slot));
        Assert.Equal(Now.AddSeconds(1), slots[7]);
    }

    [Fact]
    public void Reserve_SixtyOne_KeepsEveryWindow_AndTheSixtyFirstWaitsForTheThirtySeconds()
    {
        using var store = Open();

        var slots = Enumerable.Range(0, 61).Select(_ => store.RateWindows.Reserve(ChatPlatform.Teams, [new("send|a:1chat", Send)], Now)).ToList();

        AssertWithin(Send, slots);
        Assert.Equal(8, slots.Count(slot => slot < Now.AddSeconds(2)));
        Assert.True(slots[59] < Now.AddSeconds(30));
        Assert.Equal(Now.AddSeconds(30), slots[60]);
        Assert.Equal(slots, slots.Order());
    }

    [Fact]
    public void Reserve_TheTenantsFiftyASecond_CountsAcrossConversations_AndNotInAnotherTenant()
    {
        using var store = Open();
        RateKey[] In(string conversation, string tenant) => [new("send|" + conversation, Send), new("tenant|" + tenant, Tenant)];

        var slots = Enumerable.Range(0, 51).Select(i => store.RateWindows.Reserve(ChatPlatform.Teams, In($"a:1chat{i}", "t1"), Now)).ToList();

        Assert.All(slots.Take(50), slot => Assert.Equal(Now, slot));
        Assert.Equal(Now.AddSeconds(1), slots[50]);
        Assert.Equal(Now, store.RateWindows.Reserve(ChatPlatform.Teams, In("a:1elsewhere", "t2"), Now));
    }

    [Fact]
    public void Reserve_OtherKeysAndPlatforms_AreNotDelayed()
    {
        using var store = Open();
        for (var i = 0; i < 7; i++) store.RateWindows.Reserve(ChatPlatform.Teams, [new("send|busy", Send)], Now);

        Assert.Equal(Now, store.RateWindows.Reserve(ChatPlatform.Teams, [new("send|quiet", Send)], Now));
        Assert.Equal(Now, store.RateWindows.Reserve(ChatPlatform.Slack, [new("send|busy", Send)], Now));
        Assert.Equal(Now.AddSeconds(1), store.RateWindows.Reserve(ChatPlatform.Teams, [new("send|busy", Send)], Now));
    }

    [Fact]
    public void Reserve_AfterTheWindowsPass_GoesAtOnceAgain_AndSurvivesARestart()
    {
        using (var store = Open())
        {
            for (var i = 0; i < 7; i++) store.RateWindows.Reserve(ChatPlatform.Teams, [new("send|a:1chat", Send)], Now);
            Assert.Equal(Now.AddSeconds(2), store.RateWindows.Reserve(ChatPlatform.Teams, [new("send|a:1chat", Send)], Now.AddSeconds(2)));
        }
        using var reopened = Open();

        Assert.Equal(Now.AddHours(2), reopened.RateWindows.Reserve(ChatPlatform.Teams, [new("send|a:1chat", Send)], Now.AddHours(2)));
    }

    [Fact]
    public void Reserve_ManyAtOnce_NoWindowIsExceeded_AndEachKeyKeepsArrivalOrder()
    {
        using var store = Open();

        var slots = Enumerable.Range(0, 40).AsParallel()
            .Select(i => store.RateWindows.Reserve(ChatPlatform.Teams, [new("send|a:1chat", Send), new("tenant|t1", Tenant)], Now)).ToList();

        var sorted = slots.Order().ToList();
        AssertWithin(Send, sorted);
        Assert.Equal(7, sorted.Count(slot => slot == Now));
        // Packed as tight as the windows allow, as one caller asking 40 times would get: 7 at each even second, 1 at each odd.
        Assert.Equal(Now.AddSeconds(9), sorted[^1]);
    }

    /// <summary>Sorted slots keep every limit: any N+1 slots span at least the window.</summary>
    private static void AssertWithin(IReadOnlyList<RateLimit> limits, List<DateTimeOffset> sorted)
    {
        foreach (var (count, window) in limits)
        {
            for (var i = count; i < sorted.Count; i++) Assert.True(sorted[i] - sorted[i - count] >= window, $"slots {i - count}..{i} closer than {window}");
        }
    }
}
