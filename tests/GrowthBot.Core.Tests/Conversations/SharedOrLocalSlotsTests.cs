using GrowthBot.Core.Conversations;

namespace GrowthBot.Core.Tests.Conversations;

/// <summary>Shared slots while the store answers, the host's own while it does not, each change said once.</summary>
public sealed class SharedOrLocalSlotsTests
{
    private static readonly DateTimeOffset Shared = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Local = Shared.AddSeconds(1);

    [Fact]
    public void Reserve_StoreFailsTwiceThenAnswersTwice_UsesLocalSlotsMeanwhile_AndSaysEachChangeOnce()
    {
        var said = new List<string>();
        var slots = new SharedOrLocalSlots(exception => said.Add("local: " + exception.Message), () => said.Add("shared"));
        var storeUp = true;
        DateTimeOffset Store() => storeUp ? Shared : throw new TimeoutException("no answer");

        var reserved = new List<DateTimeOffset> { slots.Reserve(Store, () => Local) };
        storeUp = false;
        reserved.Add(slots.Reserve(Store, () => Local));
        reserved.Add(slots.Reserve(Store, () => Local));
        storeUp = true;
        reserved.Add(slots.Reserve(Store, () => Local));
        reserved.Add(slots.Reserve(Store, () => Local));

        Assert.Equal([Shared, Local, Local, Shared, Shared], reserved);
        Assert.Equal(["local: no answer", "shared"], said);
    }
}
