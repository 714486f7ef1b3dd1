using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Surveys;

using GrowthBot.Storage.Contract.Support;

namespace GrowthBot.Storage.Contract.Contracts;

/// <summary>Survey runs, invitations, recipients, the signing key and comments survive closing and reopening the store.</summary>
public abstract class SurveyStoreContract(IStoreProvider provider) : StoreContract(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RunsInvitationsAndRecipients_RoundTrip()
    {
        var run = new SurveyRun("nps-1", SurveyKind.Nps, "onboarding", "Slack:U0", Now, SurveyRunSource.Campaign, 3, 1, ["U9"]);
        var invitation = new SurveyInvitation("nps-1-a", "nps-1", SurveyKind.Nps, "C1", ChatPlatform.Slack, "U1", "onboarding", InvitationState.Commented,
            Now, Now, Now.AddMinutes(1), Now.AddDays(7), Now.AddDays(3), 9, "Fast", Now.AddDays(3).AddMinutes(1), "D1", "1732615999.000001", null, 1, "T0:action:U1:1\nT0:action:U1:2");
        var teams = new SurveyInvitation("nps-1-b", "nps-1", SurveyKind.Nps, "C2", ChatPlatform.Teams, "aad-2", null, InvitationState.Pending, Now, Now.AddHours(1));
        using (var store = Open())
        {
            var surveys = store.Surveys;
            surveys.SaveRecipients([new SurveyRecipient("C1", ChatPlatform.Slack, "U1"), new SurveyRecipient("C2", ChatPlatform.Teams, "aad-2")]);
            surveys.SaveRun(run);
            surveys.SaveInvitations([invitation, teams]);
        }

        using var reopened = Open();
        var again = reopened.Surveys;
        Assert.Equal(run.Id, Assert.Single(again.Runs()).Id);
        Assert.Equal(run with { Unknown = [] }, again.FindRun("nps-1")! with { Unknown = [] });
        Assert.Equal(["U9"], again.FindRun("nps-1")!.Unknown);
        Assert.Equal(invitation, again.FindInvitation("nps-1-a"));
        Assert.Equal(teams, again.FindInvitation("nps-1-b"));
        Assert.Equal(2, again.InvitationsOfRun("nps-1").Count);
        Assert.Equal("nps-1-b", Assert.Single(again.Active()).Id);
        Assert.Equal("nps-1-a", Assert.Single(again.InvitationsOf(ChatPlatform.Slack, "U1")).Id);
        Assert.Empty(again.InvitationsOf(ChatPlatform.Teams, "U1"));
        Assert.Equal("C2", again.FindRecipient(ChatPlatform.Teams, "aad-2")!.CustomerId);
        Assert.Null(again.FindRecipient(ChatPlatform.Slack, "aad-2"));
        Assert.Equal(ChatPlatform.Slack, Assert.Single(again.RecipientsOf("C1")).Platform);
        Assert.Null(again.FindRun("nope"));
    }

    [Fact]
    public void AddInvitations_LeavesExistingOnesAlone()
    {
        using var store = Open();
        var surveys = store.Surveys;
        var pending = new SurveyInvitation("ces-a", SurveyRun.TicketRunId, SurveyKind.Ces, "C1", ChatPlatform.Slack, "U1", null, InvitationState.Pending, Now, Now);
        Assert.Equal(1, surveys.AddInvitations([pending]));
        surveys.SaveInvitations([pending with { State = InvitationState.Invited }]);

        Assert.Equal(0, surveys.AddInvitations([pending]));
        Assert.Equal(InvitationState.Invited, surveys.FindInvitation("ces-a")!.State);
    }

    [Fact]
    public void SigningKey_IsCreatedOnceAndKept()
    {
        string first;
        using (var store = Open()) first = store.Surveys.SigningKey(() => "key-one-0123456789");
        using var reopened = Open();

        Assert.Equal("key-one-0123456789", first);
        Assert.Equal(first, reopened.Surveys.SigningKey(() => "key-two-0123456789"));
    }

    [Fact]
    public void Comments_InThePeriod_NewestFirst_WithSegment()
    {
        using var store = Open();
        var batch = new GrowthDataBatch();
        batch.Customers.Add(new Customer("C1", "One", "Enterprise", "ads", Now.UtcDateTime.AddYears(-1), null));
        batch.Responses.Add(new SurveyResponse("r1", SurveyKind.Nps, "C1", 9, "Great support", Now.UtcDateTime.AddDays(-2)));
        batch.Responses.Add(new SurveyResponse("r2", SurveyKind.Ces, "C1", 3, "Took three calls", Now.UtcDateTime.AddDays(-1)));
        batch.Responses.Add(new SurveyResponse("r3", SurveyKind.Nps, "C1", 10, null, Now.UtcDateTime.AddDays(-1)));
        batch.Responses.Add(new SurveyResponse("r4", SurveyKind.Csat, "C404", 2, "Old news", Now.UtcDateTime.AddDays(-30)));
        batch.Responses.Add(new SurveyResponse("r5", SurveyKind.Csat, "C404", 5, "Too new", Now.UtcDateTime));
        store.Growth.Write(batch);

        var comments = store.Comments.Recent(Now.AddDays(-7), Now);

        Assert.Equal(["Took three calls", "Great support"], comments.Select(comment => comment.Comment));
        Assert.Equal(new SurveyComment(SurveyKind.Ces, 3, "Took three calls", "C1", "Enterprise", Now.AddDays(-1)), comments[0]);
        Assert.Null(store.Comments.Recent(Now.AddDays(-31), Now, limit: 5)[^1].Segment);
        Assert.Single(store.Comments.Recent(Now.AddDays(-7), Now, limit: 1));
    }

    [Fact]
    public void TicketsResolvedSince_ReadsTheStoredTickets()
    {
        using var store = Open();
        var batch = new GrowthDataBatch();
        batch.Tickets.Add(new Ticket("T1", "C1", Now.UtcDateTime.AddDays(-3), Now.UtcDateTime.AddHours(-2), 2));
        batch.Tickets.Add(new Ticket("T2", "C1", Now.UtcDateTime.AddDays(-9), Now.UtcDateTime.AddDays(-8), 1));
        batch.Tickets.Add(new Ticket("T3", "C2", Now.UtcDateTime.AddDays(-1), null, 1));
        store.Growth.Write(batch);

        Assert.Equal("T1", Assert.Single(store.Surveys.TicketsResolvedSince(Now.AddDays(-1))).Id);
    }
}
