using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Surveys;
using GrowthBot.Storage.Contract.Support;

namespace GrowthBot.Storage.Contract.Contracts;

/// <summary>Subscriptions, targets, the delivery log and recent comments survive a reopen, and claims are exclusive.</summary>
public abstract class DigestStoreContract(IStoreProvider provider) : StoreContract(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Subscriptions_RoundTrip_AndSurviveAReopen()
    {
        var team = new DigestSubscription("abc123", ChatPlatform.Slack, "C0GROWTH", Team.Marketing, [], DigestSchedule.Default, "Europe/Berlin", "U1", Now, Workspace: "T:T0ONE");
        var metrics = new DigestSubscription("def456", ChatPlatform.Teams, "19:x@thread.tacv2", null, [MetricId.Nps, MetricId.Csat],
            new DigestSchedule(ScheduleDays.Weekdays, new TimeOnly(8, 30)), "America/New_York", "29:u", Now.AddMinutes(1), "is_archived", "Ana", Locale: "de-DE");
        using (var store = Open())
        {
            store.Digests.Save(team);
            store.Digests.Save(metrics);
        }

        using var reopened = Open();
        var again = reopened.Digests;

        Assert.Equal(Fields(team), Fields(again.Find("abc123")!));
        Assert.Equal(Fields(metrics), Fields(again.Find("def456")!));
        Assert.Equal(["abc123", "def456"], again.All().Select(subscription => subscription.Id));
        Assert.Equal("def456", Assert.Single(again.ForConversation(ChatPlatform.Teams, "19:x@thread.tacv2")).Id);
        Assert.Empty(again.ForConversation(ChatPlatform.Slack, "19:x@thread.tacv2"));
        Assert.True(again.Remove("abc123"));
        Assert.False(again.Remove("abc123"));
        Assert.Null(again.Find("abc123"));
    }

    [Fact]
    public void Save_SameIdAgain_ReplacesTheSubscription()
    {
        using var store = Open();
        var subscription = new DigestSubscription("abc123", ChatPlatform.Slack, "C0GROWTH", Team.Marketing, [], DigestSchedule.Default, "Europe/Berlin", "U1", Now);
        store.Digests.Save(subscription);

        store.Digests.Save(subscription with { PausedReason = "channel_not_found" });

        Assert.Equal("channel_not_found", Assert.Single(store.Digests.All()).PausedReason);
    }

    [Fact]
    public void Targets_AreSetAndCleared()
    {
        using var store = Open();
        var digests = store.Digests;

        digests.SetTarget(MetricId.Nps, 45);
        digests.SetTarget(MetricId.CustomerChurn, 2.25m);
        digests.SetTarget(MetricId.Nps, null);

        Assert.Equal(new Dictionary<MetricId, decimal> { [MetricId.CustomerChurn] = 2.25m }, digests.Targets());
    }

    [Fact]
    public void Claim_IsGrantedOnce_PerSubscriptionAndPeriod()
    {
        using var store = Open();
        var digests = store.Digests;

        var first = digests.TryClaim("s1", "2026-W47", "run-a", Now);
        var second = digests.TryClaim("s1", "2026-W47", "run-a", Now);
        var otherPeriod = digests.TryClaim("s1", "2026-W48", "run-a", Now);

        Assert.True(first.Granted);
        Assert.Null(first.Previous);
        Assert.False(second.Granted);
        Assert.True(otherPeriod.Granted);
    }

    [Fact]
    public void Claim_AfterSent_IsRefusedEvenToANewRun_AndKeepsTheMessageId()
    {
        using (var store = Open())
        {
            store.Digests.TryClaim("s1", "2026-W47", "run-a", Now);
            store.Digests.Complete("s1", "2026-W47", DeliveryState.Sent, Now.AddSeconds(2), "1732615999.000001");
        }

        using var reopened = Open();
        var again = reopened.Digests;

        Assert.False(again.TryClaim("s1", "2026-W47", "run-b", Now.AddHours(1)).Granted);
        var record = again.Delivery("s1", "2026-W47")!;
        Assert.Equal((DeliveryState.Sent, "1732615999.000001", 1), (record.State, record.MessageId, record.Attempts));
        Assert.Null(again.Delivery("s1", "2026-W48"));
    }

    [Fact]
    public void Claim_LeftSendingByAnotherRun_OrFailed_IsGrantedAgain_CountingAttempts()
    {
        using var store = Open();
        var digests = store.Digests;
        digests.TryClaim("s1", "2026-W47", "run-a", Now);

        var takeover = digests.TryClaim("s1", "2026-W47", "run-b", Now.AddMinutes(5));
        digests.Complete("s1", "2026-W47", DeliveryState.Failed, Now.AddMinutes(6), problem: "ratelimited");
        var retry = digests.TryClaim("s1", "2026-W47", "run-b", Now.AddMinutes(10));
        digests.Complete("s1", "2026-W47", DeliveryState.Abandoned, Now.AddMinutes(11), problem: "is_archived");

        Assert.True(takeover.Granted);
        Assert.Equal(DeliveryState.Sending, takeover.Previous!.State);
        Assert.Equal("run-a", takeover.Previous.Owner);
        Assert.True(retry.Granted);
        Assert.Equal(3, retry.Record.Attempts);
        Assert.False(digests.TryClaim("s1", "2026-W47", "run-c", Now.AddMinutes(12)).Granted);
        Assert.Equal("is_archived", digests.Delivery("s1", "2026-W47")!.Error);
    }

    [Fact]
    public async Task Claim_UnderConcurrency_IsGrantedOnceToTheRun()
    {
        using var store = Open();
        var digests = store.Digests;

        var claims = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => digests.TryClaim("s1", "2026-W47", "run-a", Now))));

        Assert.Single(claims, claim => claim.Granted);
    }

    [Fact]
    public void RecentComments_AreThePeriodsNonEmptyComments_ToTheGivenSurveys_NewestFirst()
    {
        using var store = Open();
        var from = new DateTime(2026, 11, 16, 0, 0, 0, DateTimeKind.Utc);
        var batch = new GrowthDataBatch();
        batch.Responses.AddRange(
        [
            new SurveyResponse("r1", SurveyKind.Nps, "c1", 3, "Too slow to onboard", from.AddDays(1)),
            new SurveyResponse("r2", SurveyKind.Nps, "c2", 10, "Love the reports", from.AddDays(3)),
            new SurveyResponse("r3", SurveyKind.Nps, "c3", 9, "  ", from.AddDays(4)),
            new SurveyResponse("r4", SurveyKind.Ces, "c4", 2, "Billing page is confusing", from.AddDays(5)),
            new SurveyResponse("r5", SurveyKind.Csat, "c5", 5, "Quick support", from.AddDays(2)),
            new SurveyResponse("r6", SurveyKind.Nps, "c6", 6, "Last week's", from.AddDays(-1)),
            new SurveyResponse("r7", SurveyKind.Nps, "c7", 8, null, from.AddDays(6)),
            new SurveyResponse("r8", SurveyKind.Nps, "c8", 7, "Next week's", from.AddDays(7)),
        ]);
        store.Growth.Write(batch);
        var comments = store.Comments;

        var recent = comments.Recent(Utc(from), Utc(from.AddDays(7)), 3, [SurveyKind.Nps, SurveyKind.Ces]);

        Assert.Equal(["Billing page is confusing", "Love the reports", "Too slow to onboard"], recent.Select(comment => comment.Comment));
        Assert.Equal((SurveyKind.Ces, 2), (recent[0].Kind, recent[0].Score));
        Assert.Empty(comments.Recent(Utc(from), Utc(from.AddDays(7)), 3, []));
    }

    private static DateTimeOffset Utc(DateTime moment) => new(moment, TimeSpan.Zero);

    private static string Fields(DigestSubscription subscription) =>
        $"{subscription.Id}|{subscription.Platform}|{subscription.ConversationId}|{subscription.Team}|{string.Join(",", subscription.Metrics)}|{subscription.Schedule}|" +
        $"{subscription.TimeZone}|{subscription.SubscribedBy}|{subscription.SubscribedAt.UtcTicks}|{subscription.PausedReason}|{subscription.SubscribedByName}|{subscription.Workspace}|{subscription.Locale}";
}
