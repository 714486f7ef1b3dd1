using GrowthBot.Core.Conversations;
using GrowthBot.Storage.Contract.Support;

namespace GrowthBot.Storage.Contract.Contracts;

/// <summary>Send slots: one channel's posts an interval apart, other channels and platforms untouched, and no slot given twice.</summary>
public abstract class ChannelPaceStoreContract(IStoreProvider provider) : StoreContract(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Reserve_OneChannel_GivesSlotsAnIntervalApart_FromNowOn()
    {
        using var store = Open();
        var paces = store.Paces;

        var slots = Enumerable.Range(0, 3).Select(_ => paces.Reserve(ChatPlatform.Slack, "C1", Now, Second)).ToList();

        Assert.Equal([Now, Now + Second, Now + 2 * Second], slots);
    }

    [Fact]
    public void Reserve_OtherChannelsAndPlatforms_AreNotDelayed()
    {
        using var store = Open();
        var paces = store.Paces;
        paces.Reserve(ChatPlatform.Slack, "C1", Now, Second);
        paces.Reserve(ChatPlatform.Slack, "C1", Now, Second);

        Assert.Equal(Now, paces.Reserve(ChatPlatform.Slack, "C2", Now, Second));
        Assert.Equal(Now, paces.Reserve(ChatPlatform.Teams, "C1", Now, Second));
    }

    [Fact]
    public void Reserve_AfterTheChannelWasQuiet_IsNow()
    {
        using var store = Open();
        var paces = store.Paces;
        paces.Reserve(ChatPlatform.Slack, "C1", Now, Second);

        Assert.Equal(Now.AddSeconds(0.5) + Second / 2, paces.Reserve(ChatPlatform.Slack, "C1", Now.AddSeconds(0.5), Second));
        Assert.Equal(Now.AddMinutes(1), paces.Reserve(ChatPlatform.Slack, "C1", Now.AddMinutes(1), Second));
    }

    [Fact]
    public void Reserve_ManyAtOnce_GivesEverySlotOnce()
    {
        using var store = Open();
        var paces = store.Paces;

        var slots = Enumerable.Range(0, 16).AsParallel().Select(_ => paces.Reserve(ChatPlatform.Slack, "C1", Now, Second)).ToList();

        Assert.Equal(Enumerable.Range(0, 16).Select(i => Now + i * Second), slots.Order());
    }
}
