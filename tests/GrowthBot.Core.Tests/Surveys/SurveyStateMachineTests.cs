using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Core.Tests.Surveys;

/// <summary>The life of an invitation, driven by a <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/>: expiry, the one reminder, fatigue and changes of mind.</summary>
public sealed class SurveyStateMachineTests : IDisposable
{
    private readonly SurveyWorld _world = new();

    [Fact]
    public async Task Campaign_SendsOneInvitationPerPerson_InADirectMessage()
    {
        var sent = await _world.SendAsync(SurveyKind.Nps, "U1", "U2");

        Assert.All(sent.Values, invitation => Assert.Equal(InvitationState.Invited, invitation.State));
        Assert.Equal(2, _world.Slack.Sent.Count);
        var (address, message) = _world.Slack.Sent.First();
        Assert.StartsWith("D-U", address.ConversationId, StringComparison.Ordinal);
        Assert.Contains("How likely are you to recommend Acme to a friend or colleague?", message.FallbackText, StringComparison.Ordinal);
        Assert.Equal(11, message.Blocks.OfType<ActionsBlock>().Single().Actions.Count);
        Assert.Equal(_world.Time.GetUtcNow() + TimeSpan.FromDays(7), sent["U1"].ExpiresAt);
    }

    [Fact]
    public async Task Score_BeforeExpiry_IsRecordedAndAsksForTheReason()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];

        var reply = await _world.PressAsync(invitation, SurveyMessages.ScoreAction, 9);

        Assert.True(reply!.ReplacesOriginal);
        Assert.Contains("What's the main reason for your score?", reply.FallbackText, StringComparison.Ordinal);
        Assert.Single(reply.Blocks.OfType<TextInputBlock>());
        Assert.Equal(InvitationState.Scored, _world.Current(invitation).State);
        Assert.Equal(9, _world.Responses.Responses[invitation.ResponseId].Score);
    }

    [Fact]
    public async Task Score_AfterExpiry_GetsThisSurveyHasClosedAndChangesNothing()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];
        _world.Time.Advance(TimeSpan.FromDays(7));

        var reply = await _world.PressAsync(invitation, SurveyMessages.ScoreAction, 9);

        Assert.Contains("This survey has closed", reply!.FallbackText, StringComparison.Ordinal);
        Assert.True(reply.ReplacesOriginal);
        Assert.Empty(_world.Responses.Responses);
    }

    [Fact]
    public async Task Scheduler_AtExpiry_ExpiresTheUnansweredAndClosesTheirButtons()
    {
        var sent = await _world.SendAsync(SurveyKind.Nps, "U1", "U2");
        await _world.PressAsync(sent["U2"], SurveyMessages.ScoreAction, 10);

        _world.Time.Advance(TimeSpan.FromDays(7));
        await _world.Scheduler.RunDueAsync(CancellationToken.None);

        Assert.Equal(InvitationState.Expired, _world.Current(sent["U1"]).State);
        Assert.Equal(InvitationState.Scored, _world.Current(sent["U2"]).State);
        var (posted, message) = Assert.Single(_world.Slack.Updated);
        Assert.Equal("D-U1", posted.Address.ConversationId);
        Assert.DoesNotContain(message.Blocks, block => block is ActionsBlock);
    }

    [Fact]
    public async Task Reminder_IsSentOnceAfterItsDelay_AndNeverAgain()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];
        _world.Time.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        Assert.Equal(_world.Time.GetUtcNow() + TimeSpan.FromMinutes(1), await _world.Scheduler.RunDueAsync(CancellationToken.None));
        Assert.Single(_world.Slack.Sent);

        _world.Time.Advance(TimeSpan.FromMinutes(1));
        await _world.Scheduler.RunDueAsync(CancellationToken.None);
        _world.Time.Advance(TimeSpan.FromDays(1));
        await _world.Scheduler.RunDueAsync(CancellationToken.None);

        Assert.Equal(2, _world.Slack.Sent.Count);
        Assert.Contains("reminder", _world.Slack.Sent.Last().Message.FallbackText, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(InvitationState.Reminded, _world.Current(invitation).State);
        Assert.NotNull(_world.Current(invitation).RemindedAt);
    }

    [Fact]
    public async Task Reminder_ReplacesTheFirstCardsButtons_AndExpiryThenClosesTheReminder()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];
        var first = _world.Current(invitation).MessageId;

        _world.Time.Advance(TimeSpan.FromDays(3));
        await _world.Scheduler.RunDueAsync(CancellationToken.None);

        var (stale, superseded) = Assert.Single(_world.Slack.Updated);
        Assert.Equal(first, stale.MessageId);
        Assert.Equal("D-U1", stale.Address.ConversationId);
        Assert.DoesNotContain(superseded.Blocks, block => block is ActionsBlock);
        var reminder = _world.Current(invitation).MessageId;
        Assert.NotEqual(first, reminder);

        _world.Time.Advance(TimeSpan.FromDays(4));
        await _world.Scheduler.RunDueAsync(CancellationToken.None);
        Assert.Equal(reminder, _world.Slack.Updated.Last().Posted.MessageId);
    }

    [Fact]
    public async Task Reminder_WhenTheStaleCardCannotBeUpdated_IsStillSentAndRecorded()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];
        _world.Slack.UpdateFailures.Enqueue(new ChatDeliveryException(ChatDeliveryFailure.ConversationUnavailable, "Teams refused update with HTTP 404 ActivityNotFoundInConversation"));

        _world.Time.Advance(TimeSpan.FromDays(3));
        await _world.Scheduler.RunDueAsync(CancellationToken.None);

        Assert.Equal(2, _world.Slack.Sent.Count);
        Assert.Equal(InvitationState.Reminded, _world.Current(invitation).State);
        Assert.Equal(_world.Slack.Sent.Count, int.Parse(_world.Current(invitation).MessageId![1..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Reminder_NotSentToSomeoneWhoAnswered()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];
        await _world.PressAsync(invitation, SurveyMessages.ScoreAction, 3);

        _world.Time.Advance(TimeSpan.FromDays(4));
        await _world.Scheduler.RunDueAsync(CancellationToken.None);

        Assert.Single(_world.Slack.Sent);
    }

    [Fact]
    public async Task Scheduler_InTheBackground_WakesOnTheFakeClock()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];
        await _world.Scheduler.StartAsync(CancellationToken.None);
        try
        {
            var start = _world.Time.GetUtcNow();
            await AdvanceUntilAsync(() => _world.Current(invitation).State == InvitationState.Reminded);
            Assert.InRange(_world.Time.GetUtcNow() - start, TimeSpan.FromDays(3), TimeSpan.FromDays(3) + TimeSpan.FromHours(6));
            await AdvanceUntilAsync(() => _world.Current(invitation).State == InvitationState.Expired);
            Assert.InRange(_world.Time.GetUtcNow() - start, TimeSpan.FromDays(7), TimeSpan.FromDays(7) + TimeSpan.FromHours(6));
        }
        finally
        {
            await _world.Scheduler.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Fatigue_SamePersonSameSurveyWithinTheWindow_IsSkipped()
    {
        await _world.SendAsync(SurveyKind.Nps, "U1");
        _world.Time.Advance(TimeSpan.FromDays(89));

        var again = _world.Campaigns.Start(SurveyKind.Nps, null, "staff", [new SurveyTarget(ChatPlatform.Slack, "U1"), new SurveyTarget(ChatPlatform.Slack, "U2")]);

        Assert.Equal(1, again.Invited);
        Assert.Equal(1, again.SkippedFatigue);
    }

    [Fact]
    public async Task Fatigue_AfterTheWindow_OrAnotherSurvey_Asks()
    {
        await _world.SendAsync(SurveyKind.Ces, "U1");

        var otherSurvey = _world.Campaigns.Start(SurveyKind.Nps, null, "staff", [new SurveyTarget(ChatPlatform.Slack, "U1")]);
        _world.Time.Advance(TimeSpan.FromDays(7));
        var afterWindow = _world.Campaigns.Start(SurveyKind.Ces, null, "staff", [new SurveyTarget(ChatPlatform.Slack, "U1")]);

        Assert.Equal(1, otherSurvey.Invited);
        Assert.Equal(1, afterWindow.Invited);
    }

    [Fact]
    public void Campaign_UnlinkedPeople_AreNotAskedAndReported()
    {
        var started = _world.Campaigns.Start(SurveyKind.Nps, null, "staff", [new SurveyTarget(ChatPlatform.Slack, "U1"), new SurveyTarget(ChatPlatform.Slack, "U9")]);

        Assert.Equal(1, started.Invited);
        Assert.Equal("U9", Assert.Single(started.Unknown).UserId);
    }

    [Fact]
    public async Task ChangeOfMind_BeforeExpiry_ReplacesTheResponseAndTheEngineFollows()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];
        await _world.PressAsync(invitation, SurveyMessages.ScoreAction, 2);
        Assert.Equal(-100m, _world.Nps().Result.Value);

        _world.Time.Advance(TimeSpan.FromDays(2));
        var change = await _world.PressAsync(invitation, SurveyMessages.ChangeAction);
        Assert.Contains("Your answer so far is 2", change!.FallbackText, StringComparison.Ordinal);
        await _world.PressAsync(invitation, SurveyMessages.ScoreAction, 10);

        var response = Assert.Single(_world.Responses.Responses.Values);
        Assert.Equal(10, response.Score);
        var nps = _world.Nps().Result;
        Assert.Equal(100m, nps.Value);
        Assert.Equal(1, nps.SampleSize);
    }

    [Fact]
    public async Task Comment_ThenThanks_ReplacesTheButtonsForGood()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];
        await _world.PressAsync(invitation, SurveyMessages.ScoreAction, 9);

        var thanks = await _world.PressAsync(invitation, SurveyMessages.CommentAction, comment: "  Fast support  ");

        Assert.True(thanks!.ReplacesOriginal);
        Assert.DoesNotContain(thanks.Blocks, block => block is ActionsBlock or TextInputBlock);
        Assert.Contains("Fast support", thanks.FallbackText, StringComparison.Ordinal);
        Assert.Equal(InvitationState.Commented, _world.Current(invitation).State);
        Assert.Equal("Fast support", _world.Responses.Responses[invitation.ResponseId].Comment);
    }

    [Fact]
    public async Task Skip_FinishesWithoutAComment()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Csat, "U1"))["U1"];
        await _world.PressAsync(invitation, SurveyMessages.ScoreAction, 4);

        var thanks = await _world.PressAsync(invitation, SurveyMessages.SkipAction);

        Assert.Contains("Thank you", thanks!.FallbackText, StringComparison.Ordinal);
        Assert.Equal(InvitationState.Closed, _world.Current(invitation).State);
        Assert.Null(_world.Responses.Responses[invitation.ResponseId].Comment);
    }

    [Fact]
    public async Task CesAfterTicket_IsSentAfterTheDelay_AndOnlyOnce()
    {
        var resolved = _world.Time.GetUtcNow().UtcDateTime;
        var tickets = new GrowthDataBatch();
        tickets.Tickets.Add(new Ticket("T-1", "C1", resolved.AddHours(-3), resolved, 2));
        tickets.Tickets.Add(new Ticket("T-2", "C2", resolved.AddHours(-3), null, 1));
        await _world.Tickets.StartAsync(CancellationToken.None);

        _world.Importer.Write(tickets);
        _world.Importer.Write(tickets);
        await _world.Scheduler.RunDueAsync(CancellationToken.None);
        Assert.Empty(_world.Slack.Sent);

        _world.Time.Advance(TimeSpan.FromHours(1));
        await _world.Scheduler.RunDueAsync(CancellationToken.None);

        var (address, message) = Assert.Single(_world.Slack.Sent);
        Assert.Equal("D-U1", address.ConversationId);
        Assert.Contains("It was easy to handle my issue with Acme.", message.FallbackText, StringComparison.Ordinal);
        Assert.Equal(InvitationState.Invited, Assert.Single(_world.Store.InvitationsOfRun(SurveyRun.TicketRunId)).State);
    }

    [Fact]
    public async Task CesAfterTicket_CatchUp_WaitsUntilEveryServiceHasStarted_SoItNeverCompetesWithTheEngineLoad()
    {
        var now = _world.Time.GetUtcNow().UtcDateTime;
        _world.Store.Tickets.Add(new Ticket("T-recent", "C1", now.AddHours(-5), now.AddMinutes(-30), 1));

        // The host loads the engine in another service's start: nothing reads the tickets before every start has returned.
        await _world.Tickets.StartAsync(CancellationToken.None);
        await _world.Tickets.CatchingUp;
        Assert.Equal(0, _world.Store.TicketReads);

        await _world.Tickets.StartedAsync(CancellationToken.None);
        await _world.Tickets.CatchingUp;
        Assert.Equal(1, _world.Store.TicketReads);
        Assert.Single(_world.Store.InvitationsOfRun(SurveyRun.TicketRunId));
    }

    [Fact]
    public async Task CesAfterTicket_ImportedWhileTheHostWasStopped_IsCaughtUpAtStart()
    {
        var now = _world.Time.GetUtcNow().UtcDateTime;
        _world.Store.Tickets.Add(new Ticket("T-recent", "C1", now.AddHours(-5), now.AddMinutes(-30), 1));
        _world.Store.Tickets.Add(new Ticket("T-old", "C2", now.AddDays(-40), now.AddDays(-30), 1));

        Assert.Equal(1, _world.Tickets.CatchUp());
        Assert.Equal(0, _world.Tickets.CatchUp());
        _world.Time.Advance(TimeSpan.FromMinutes(30));
        await _world.Scheduler.RunDueAsync(CancellationToken.None);

        Assert.Equal("D-U1", Assert.Single(_world.Slack.Sent).Address.ConversationId);
    }

    [Fact]
    public async Task CesAfterTicket_WithinTheFatigueWindow_IsSkipped()
    {
        await _world.SendAsync(SurveyKind.Ces, "U1");
        var tickets = new GrowthDataBatch();
        tickets.Tickets.Add(new Ticket("T-3", "C1", _world.Time.GetUtcNow().UtcDateTime.AddHours(-1), _world.Time.GetUtcNow().UtcDateTime, 1));
        _world.Tickets.Schedule(tickets.Tickets);

        _world.Time.Advance(TimeSpan.FromHours(2));
        await _world.Scheduler.RunDueAsync(CancellationToken.None);

        Assert.Single(_world.Slack.Sent);
        Assert.Equal(InvitationState.Skipped, Assert.Single(_world.Store.InvitationsOfRun(SurveyRun.TicketRunId)).State);
    }

    [Fact]
    public async Task Send_TransientFailure_IsRetriedLater_PermanentOneIsReported()
    {
        _world.Slack.Failures.Enqueue(new ChatDeliveryException(ChatDeliveryFailure.Transient, "rate limited"));
        _world.Slack.Failures.Enqueue(new ChatDeliveryException(ChatDeliveryFailure.UserUnavailable, "user_not_found"));
        var sent = await _world.SendAsync(SurveyKind.Nps, "U1", "U2");

        var states = sent.Values.Select(invitation => invitation.State).Order().ToList();
        Assert.Equal([InvitationState.Pending, InvitationState.Failed], states);
        _world.Time.Advance(TimeSpan.FromMinutes(1));
        await _world.Scheduler.RunDueAsync(CancellationToken.None);

        var status = Assert.Single(_world.Campaigns.Status());
        Assert.Equal(1, status.Sent);
        Assert.Equal(1, status.Failed);
        Assert.True(status.DoneSending);
    }

    [Fact]
    public void StateMachine_FirstScoreOutOfRange_IsRefused()
    {
        var invitation = new SurveyInvitation("i", "r", SurveyKind.Csat, "C1", ChatPlatform.Slack, "U1", null, InvitationState.Invited,
            _world.Time.GetUtcNow(), _world.Time.GetUtcNow(), _world.Time.GetUtcNow(), _world.Time.GetUtcNow().AddDays(1));

        Assert.Equal(SurveyOutcome.OutOfRange, SurveyStateMachine.Score(invitation, 6, _world.Time.GetUtcNow()).Outcome);
        Assert.Equal(SurveyOutcome.OutOfRange, SurveyStateMachine.Score(invitation, 0, _world.Time.GetUtcNow()).Outcome);
        Assert.Equal(SurveyOutcome.Accepted, SurveyStateMachine.Score(invitation, 5, _world.Time.GetUtcNow()).Outcome);
    }

    public void Dispose() => _world.Dispose();

    /// <summary>Moves the fake clock six hours at a time, giving the background scheduler a moment to catch up each time, until the condition holds.</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition)
    {
        for (var steps = 0; steps < 4 * 10; steps++)
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!condition() && waited.ElapsedMilliseconds < 100) await Task.Yield();
            if (condition()) return;
            _world.Time.Advance(TimeSpan.FromHours(6));
        }
        Assert.Fail("the condition never held");
    }
}
