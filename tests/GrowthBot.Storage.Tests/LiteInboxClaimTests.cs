using GrowthBot.Core.Conversations;

namespace GrowthBot.Storage.Tests;

/// <summary>The LiteDB inbox has one process at a time: what it hands out at start is what earlier runs left.</summary>
public sealed class LiteInboxClaimTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ClaimUnanswered_HandsOutWhatEarlierRunsLeft_OnceAndOldestFirst_NeverThisRunsOwnMessages()
    {
        using var folder = new TempStore();
        using (var store = folder.Open())
        {
            var earlier = new LiteInbox(store);
            earlier.TryAccept(Message("E2", Monday.AddMinutes(1)));
            earlier.TryAccept(Message("E1", Monday));
        }
        using var reopened = folder.Open();
        var inbox = new LiteInbox(reopened);
        // Accepted by this run before its worker asked: already queued by whoever accepted it.
        inbox.TryAccept(Message("E3", Monday.AddMinutes(2)));

        Assert.Equal(["E1", "E2"], inbox.ClaimUnanswered(Monday.AddMinutes(3), TimeSpan.FromSeconds(30), int.MaxValue).Select(message => message.DeliveryId));
        Assert.Empty(inbox.ClaimUnanswered(Monday.AddMinutes(3), TimeSpan.FromSeconds(30), int.MaxValue));
        Assert.False(((IInbox)inbox).IsShared);
        Assert.Equal(["E1", "E2", "E3"], inbox.Pending().Select(message => message.DeliveryId));
    }

    private static IncomingMessage Message(string delivery, DateTimeOffset received) =>
        new(ChatPlatform.Slack, delivery, "C1", null, new Requester(ChatPlatform.Slack, "U1", "T1", false), "hi", received);
}
