using GrowthBot.Core.Conversations;
using GrowthBot.Storage.Contract.Support;

namespace GrowthBot.Storage.Contract.Contracts;

/// <summary>The inbox: a delivery is accepted once (also after a restart), pending messages come back whole, answered ones are pruned.</summary>
public abstract class InboxContract(IStoreProvider provider) : StoreContract(provider)
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Both stores prune answered deliveries older than a week, every 1024 accepted messages.</summary>
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    private const int PruneEvery = 1024;

    [Fact]
    public void TryAccept_TheSameDeliveryTwice_IsRecognisedAsARetry_EvenAfterReopening()
    {
        using (var store = Open())
        {
            Assert.True(store.Inbox.TryAccept(Message("E1", Monday)));
        }
        using var reopened = Open();

        Assert.False(reopened.Inbox.TryAccept(Message("E1", Monday)));
        Assert.Equal(["E1"], reopened.Inbox.Pending().Select(message => message.DeliveryId));
    }

    [Fact]
    public void TryAccept_SameDeliveryIdOnAnotherPlatform_IsADifferentMessage()
    {
        using var store = Open();

        Assert.True(store.Inbox.TryAccept(Message("E1", Monday)));
        Assert.True(store.Inbox.TryAccept(Message("E1", Monday) with { Platform = ChatPlatform.Teams }));
        Assert.Equal(2, store.Inbox.Pending().Count);
    }

    [Fact]
    public async Task TryAccept_ConcurrentRetriesOfOneDelivery_AcceptOnlyOne()
    {
        using var store = Open();

        var accepted = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.Inbox.TryAccept(Message("E-burst", Monday)))));

        Assert.Single(accepted, won => won);
    }

    [Fact]
    public void Complete_TakesTheMessageOutOfPending_OldestFirstForTheRest()
    {
        using var store = Open();
        store.Inbox.TryAccept(Message("late", Monday.AddMinutes(2)));
        store.Inbox.TryAccept(Message("early", Monday));
        store.Inbox.TryAccept(Message("middle", Monday.AddMinutes(1)));

        store.Inbox.Complete(Message("middle", Monday.AddMinutes(1)));
        store.Inbox.Complete(Message("never-accepted", Monday));

        Assert.Equal(["early", "late"], store.Inbox.Pending().Select(message => message.DeliveryId));
    }

    [Fact]
    public void Accepting_PrunesAnsweredDeliveriesOlderThanTheRetention_ButNeverUnansweredOnes()
    {
        using var store = Open();
        var inbox = store.Inbox;
        var old = Monday - Retention - TimeSpan.FromHours(1);
        inbox.TryAccept(Message("answered-long-ago", old));
        inbox.Complete(Message("answered-long-ago", old));
        inbox.TryAccept(Message("never-answered", old));
        inbox.TryAccept(Message("answered-recently", Monday.AddHours(-1)));
        inbox.Complete(Message("answered-recently", Monday.AddHours(-1)));

        for (var i = 0; i < PruneEvery; i++) inbox.TryAccept(Message($"new-{i}", Monday));

        // Pruned: the same old delivery id is new to the inbox again; the others are still known.
        Assert.True(inbox.TryAccept(Message("answered-long-ago", old)));
        Assert.False(inbox.TryAccept(Message("answered-recently", Monday)));
        Assert.Contains(inbox.Pending(), message => message.DeliveryId == "never-answered");
    }

    [Fact]
    public void APressStillPending_IsReadBackAsThePress_WithWhatWasTyped()
    {
        var from = new Requester(ChatPlatform.Teams, "aad-1", "tenant-1", false, "Ana");
        var press = new IncomingAction(ChatPlatform.Teams, "conv|act-1", "conv", "act-0", from, "survey.comment", "v1.signed", Monday,
            new Dictionary<string, string> { ["survey.comment"] = "Faster onboarding" });
        using (var store = Open())
        {
            Assert.True(store.Inbox.TryAccept(new IncomingMessage(ChatPlatform.Teams, "conv|act-1", "conv", "act-0", from, "v1.signed", Monday, "https://smba.example/", press)));
            Assert.True(store.Inbox.TryAccept(Message("typed", Monday)));
        }

        using var reopened = Open();
        var pending = reopened.Inbox.Pending();

        var again = Assert.Single(pending, message => message.DeliveryId == "conv|act-1").Press;
        Assert.NotNull(again);
        Assert.Equal(press with { Inputs = null }, again with { Inputs = null });
        Assert.Equal("Faster onboarding", again.Inputs!["survey.comment"]);
        Assert.Null(Assert.Single(pending, message => message.DeliveryId == "typed").Press);
    }

    [Fact]
    public void APendingMessage_KeepsTheWorkspaceAndEnterpriseItCameThrough()
    {
        var from = new Requester(ChatPlatform.Slack, "W0ONE", "T0SALES", false, "Ana", Workspace: "E:E0ORG", EnterpriseId: "E0ORG");
        using (var store = Open())
        {
            Assert.True(store.Inbox.TryAccept(new IncomingMessage(ChatPlatform.Slack, "T0SALES:Ev1", "C1", null, from, "churn", Monday)));
        }

        using var reopened = Open();

        Assert.Equal(from, Assert.Single(reopened.Inbox.Pending()).From);
    }

    [Fact]
    public void APendingMessage_KeepsTheSendersLocale()
    {
        var from = new Requester(ChatPlatform.Teams, "0a1b2c3d-1111-4aaa-8bbb-000000000a11", "tenant", false, "Ana", Locale: "de-DE");
        using (var store = Open())
        {
            Assert.True(store.Inbox.TryAccept(new IncomingMessage(ChatPlatform.Teams, "a:1|1764151200123", "a:1", null, from, "churn", Monday)));
        }

        using var reopened = Open();

        Assert.Equal("de-DE", Assert.Single(reopened.Inbox.Pending()).From.Locale);
    }

    private static IncomingMessage Message(string delivery, DateTimeOffset received) =>
        new(ChatPlatform.Slack, delivery, "C1", null, new Requester(ChatPlatform.Slack, "U1", "T1", false), "hi", received);
}
