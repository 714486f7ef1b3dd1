using GrowthBot.Core.Conversations;

namespace GrowthBot.Storage.Tests;

public sealed class LiteInboxTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryAccept_TheSameDeliveryTwice_IsRecognisedAsARetry_EvenAfterReopening()
    {
        using var folder = new TempStore();
        using (var store = folder.Open())
        {
            Assert.True(new LiteInbox(store).TryAccept(Message("E1", Monday)));
        }
        using var reopened = folder.Open();
        var inbox = new LiteInbox(reopened);

        Assert.False(inbox.TryAccept(Message("E1", Monday)));
        Assert.Equal(["E1"], inbox.Pending().Select(message => message.DeliveryId));
    }

    [Fact]
    public void Accepting_PrunesAnsweredDeliveriesOlderThanTheRetention_ButNeverUnansweredOnes()
    {
        using var folder = new TempStore();
        using var store = folder.Open();
        var inbox = new LiteInbox(store);
        var old = Monday - LiteInbox.Retention - TimeSpan.FromHours(1);
        inbox.TryAccept(Message("answered-long-ago", old));
        inbox.Complete(Message("answered-long-ago", old));
        inbox.TryAccept(Message("never-answered", old));
        inbox.TryAccept(Message("answered-recently", Monday.AddHours(-1)));
        inbox.Complete(Message("answered-recently", Monday.AddHours(-1)));

        for (var i = 0; i < LiteInbox.PruneEvery; i++) inbox.TryAccept(Message($"new-{i}", Monday));

        // Pruned: the same old delivery id is new to the inbox again; the others are still known.
        Assert.True(inbox.TryAccept(Message("answered-long-ago", old)));
        Assert.False(inbox.TryAccept(Message("answered-recently", Monday)));
        Assert.Contains(inbox.Pending(), message => message.DeliveryId == "never-answered");
    }

    [Fact]
    public void APressStillPending_IsReadBackAsThePress_WithWhatWasTyped()
    {
        using var folder = new TempStore();
        var from = new Requester(ChatPlatform.Teams, "aad-1", "tenant-1", false, "Ana");
        var press = new IncomingAction(ChatPlatform.Teams, "conv|act-1", "conv", "act-0", from, "survey.comment", "v1.signed", Monday,
            new Dictionary<string, string> { ["survey.comment"] = "Faster onboarding" });
        using (var store = folder.Open())
        {
            var inbox = new LiteInbox(store);
            Assert.True(inbox.TryAccept(new IncomingMessage(ChatPlatform.Teams, "conv|act-1", "conv", "act-0", from, "v1.signed", Monday, "https://smba.example/", press)));
            Assert.True(inbox.TryAccept(Message("typed", Monday)));
        }

        using var reopened = folder.Open();
        var pending = new LiteInbox(reopened).Pending();

        var again = Assert.Single(pending, message => message.DeliveryId == "conv|act-1").Press;
        Assert.NotNull(again);
        Assert.Equal(press with { Inputs = null }, again with { Inputs = null });
        Assert.Equal("Faster onboarding", again.Inputs!["survey.comment"]);
        Assert.Null(Assert.Single(pending, message => message.DeliveryId == "typed").Press);
    }

    [Fact]
    public void APendingMessage_KeepsTheWorkspaceAndEnterpriseItCameThrough()
    {
        using var folder = new TempStore();
        var from = new Requester(ChatPlatform.Slack, "W0ONE", "T0SALES", false, "Ana", Workspace: "E:E0ORG", EnterpriseId: "E0ORG");
        using (var store = folder.Open())
        {
            Assert.True(new LiteInbox(store).TryAccept(new IncomingMessage(ChatPlatform.Slack, "T0SALES:Ev1", "C1", null, from, "churn", Monday)));
        }

        using var reopened = folder.Open();

        Assert.Equal(from, Assert.Single(new LiteInbox(reopened).Pending()).From);
    }

    [Fact]
    public void APendingMessage_KeepsTheSendersLocale()
    {
        using var folder = new TempStore();
        var from = new Requester(ChatPlatform.Teams, "0a1b2c3d-1111-4aaa-8bbb-000000000a11", "tenant", false, "Ana", Locale: "de-DE");
        using (var store = folder.Open())
        {
            Assert.True(new LiteInbox(store).TryAccept(new IncomingMessage(ChatPlatform.Teams, "a:1|1764151200123", "a:1", null, from, "churn", Monday)));
        }

        using var reopened = folder.Open();

        Assert.Equal("de-DE", Assert.Single(new LiteInbox(reopened).Pending()).From.Locale);
    }

    private static IncomingMessage Message(string delivery, DateTimeOffset received) =>
        new(ChatPlatform.Slack, delivery, "C1", null, new Requester(ChatPlatform.Slack, "U1", "T1", false), "hi", received);
}
