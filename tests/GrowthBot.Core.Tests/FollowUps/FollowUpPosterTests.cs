using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.FollowUps;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrowthBot.Core.Tests.FollowUps;

/// <summary>The post: what it says, posted in the background within a minute, retried, and sent once across a restart.</summary>
public sealed class FollowUpPosterTests
{
    [Fact]
    public async Task PostPending_Detractor_GivesCustomerSegmentMrrTenureScoreCommentAndEarlierAnswers()
    {
        using var world = new FollowUpWorld();
        world.Time.SetUtcNow(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        world.Answer("r1", SurveyKind.Nps, "globex", 3, "Exports time out");

        Assert.Equal(1, await world.Poster.PostPendingAsync(CancellationToken.None));

        var (address, message) = Assert.Single(world.Slack.Sent);
        Assert.Equal([($"followup:{world.Store.All.Single().Id}", false)], world.Slack.SendIds);
        Assert.Equal(FollowUpWorld.Channel, address.ConversationId);
        var fields = message.Blocks.OfType<FieldsBlock>().Single().Fields.ToDictionary(field => field.Label, field => field.Value);
        Assert.Equal("globex", fields["Customer"]);
        Assert.Equal("Enterprise", fields["Segment"]);
        Assert.Equal("USD 1,250.50", fields["MRR"]);
        Assert.Equal("2 years 2 months (since 2024-09-15)", fields["Customer for"]);
        Assert.Equal("NPS 3/10", fields["Score"]);
        Assert.Contains("Comment: \"Exports time out\"", message.FallbackText, StringComparison.Ordinal);
        Assert.Contains("Earlier answers: CSAT 4/5 on 2026-08-03; NPS 9/10 on 2026-05-02", message.FallbackText, StringComparison.Ordinal);
        Assert.Contains("nobody has it yet", message.FallbackText, StringComparison.Ordinal);
        Assert.Equal([FollowUpMessages.ClaimAction, FollowUpMessages.ResolveAction], message.Blocks.OfType<ActionsBlock>().Single().Actions.Select(action => action.ActionId));
        var posted = Assert.Single(world.Store.All);
        Assert.Equal(FollowUpPostState.Posted, posted.PostState);
        Assert.Equal("m1", posted.MessageId);
        Assert.Equal(0, await world.Poster.PostPendingAsync(CancellationToken.None));
        Assert.Single(world.Slack.Sent);
    }

    [Fact]
    public async Task PostPending_CommentAddedAfterTheScore_UpdatesThePostInPlace()
    {
        using var world = new FollowUpWorld();
        world.Answer("r1", SurveyKind.Nps, "globex", 3);
        await world.Poster.PostPendingAsync(CancellationToken.None);

        // The survey asks for the reason next; the same response comes back with it.
        world.Answer("r1", SurveyKind.Nps, "globex", 3, "Billing is confusing");
        await world.Poster.PostPendingAsync(CancellationToken.None);

        Assert.Single(world.Slack.Sent);
        var (posted, message) = Assert.Single(world.Slack.Updated);
        Assert.Equal("m1", posted.MessageId);
        Assert.Contains("Comment: \"Billing is confusing\"", message.FallbackText, StringComparison.Ordinal);
        Assert.Equal(0, world.Store.All.Single().LaterAnswers);
        Assert.Equal(FollowUpPostState.Posted, world.Store.All.Single().PostState);
    }

    [Fact]
    public async Task PostPending_CommentArrivingWhileTheFirstPostIsInFlight_RedrawsThePostOnceItIsPosted()
    {
        using var world = new FollowUpWorld();
        world.Answer("r1", SurveyKind.Nps, "globex", 3);
        world.Slack.WhileSending = () => world.Answer("r1", SurveyKind.Nps, "globex", 3, "Billing is confusing");

        await world.Poster.PostPendingAsync(CancellationToken.None);

        var (_, first) = Assert.Single(world.Slack.Sent);
        Assert.DoesNotContain("Billing is confusing", first.FallbackText, StringComparison.Ordinal);
        var (posted, redrawn) = Assert.Single(world.Slack.Updated);
        Assert.Equal("m1", posted.MessageId);
        Assert.Contains("Comment: \"Billing is confusing\"", redrawn.FallbackText, StringComparison.Ordinal);
        Assert.Equal(FollowUpPostState.Posted, world.Store.All.Single().PostState);
    }

    [Fact]
    public async Task PostPending_NewCustomerWithoutSubscription_SaysSo()
    {
        using var world = new FollowUpWorld();
        world.Answer("r1", SurveyKind.Csat, "initech", 1);

        await world.Poster.PostPendingAsync(CancellationToken.None);

        var fields = Assert.Single(world.Slack.Sent).Message.Blocks.OfType<FieldsBlock>().Single().Fields.ToDictionary(field => field.Label, field => field.Value);
        Assert.Equal("none", fields["MRR"]);
        Assert.Equal("22 days (since 2026-11-01)", fields["Customer for"]);
        Assert.Contains("No earlier answers", Assert.Single(world.Slack.Sent).Message.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Running_AnAnswer_IsPostedWithinAMinute_WithoutTheClockMoving()
    {
        using var world = new FollowUpWorld();
        await world.Poster.StartAsync(CancellationToken.None);
        try
        {
            world.Answer("r1", SurveyKind.Nps, "globex", 3);

            await Until(() => !world.Slack.Sent.IsEmpty);
            Assert.Single(world.Slack.Sent);
        }
        finally
        {
            await world.Poster.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Running_ATransientFailure_IsTriedAgainAtTheNextRound()
    {
        using var world = new FollowUpWorld();
        world.Slack.Failures.Enqueue(new ChatDeliveryException(ChatDeliveryFailure.Transient, "ratelimited"));
        // Answered before the start: the first round takes it (and the wake with it), fails, then waits for the clock.
        world.Answer("r1", SurveyKind.Nps, "globex", 3);
        await world.Poster.StartAsync(CancellationToken.None);
        try
        {
            await Until(() => world.Store.All.Single().PostAttempts == 1 && world.Store.All.Single().PostState == FollowUpPostState.Pending);
            Assert.Empty(world.Slack.Sent);

            // The poster sets its timer just after recording the failure, so a single move of the
            // clock could come before the timer exists and never fire it (it did once, under load):
            // move it a round at a time until the retry is sent.
            await Until(() =>
            {
                if (world.Slack.Sent.IsEmpty) world.Time.Advance(world.Options.PollInterval);
                return !world.Slack.Sent.IsEmpty;
            });
            Assert.Equal(FollowUpPostState.Posted, world.Store.All.Single().PostState);
            Assert.Equal(2, world.Store.All.Single().PostAttempts);
        }
        finally
        {
            await world.Poster.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task PostPending_ChannelGone_IsAbandonedNotRetried()
    {
        using var world = new FollowUpWorld();
        world.Slack.Failures.Enqueue(new ChatDeliveryException(ChatDeliveryFailure.ConversationUnavailable, "channel_not_found"));
        world.Answer("r1", SurveyKind.Nps, "globex", 3);

        await world.Poster.PostPendingAsync(CancellationToken.None);
        await world.Poster.PostPendingAsync(CancellationToken.None);

        Assert.Empty(world.Slack.Sent);
        Assert.Equal(FollowUpPostState.Abandoned, world.Store.All.Single().PostState);
        Assert.Single(world.Store.Open());
    }

    [Fact]
    public async Task PostPending_AfterARestartMidPost_TheNextRunPostsItOnceTheClaimsLeaseHasRunOut()
    {
        using var world = new FollowUpWorld();
        world.Answer("r1", SurveyKind.Nps, "globex", 3);
        // The last run claimed the post and died before finishing it.
        Assert.NotNull(world.Store.TryStartPosting(world.Store.All.Single().Id, "dead-run", world.Time.GetUtcNow(), world.Options.PostLease));

        using var restarted = new FollowUpPoster(world.Store, world.Messages, world.Options, [world.Slack], world.Time, NullLogger<FollowUpPoster>.Instance);
        world.Time.Advance(world.Options.PostLease - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await restarted.PostPendingAsync(CancellationToken.None));
        world.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await restarted.PostPendingAsync(CancellationToken.None));
        Assert.Equal(0, await restarted.PostPendingAsync(CancellationToken.None));
        Assert.Equal(0, await world.Poster.PostPendingAsync(CancellationToken.None));

        Assert.Single(world.Slack.Sent);
        // The dead run may have posted it: the platform is asked to look for it under the case's id first.
        Assert.Equal([($"followup:{world.Store.All.Single().Id}", true)], world.Slack.SendIds);
    }

    [Fact]
    public async Task PostPending_APostAnotherHostHasInFlight_IsLeftToIt()
    {
        using var world = new FollowUpWorld();
        world.Answer("r1", SurveyKind.Nps, "globex", 3);
        var id = world.Store.All.Single().Id;
        Assert.NotNull(world.Store.TryStartPosting(id, "other-host", world.Time.GetUtcNow(), world.Options.PostLease));
        world.Time.Advance(world.Options.PollInterval);

        Assert.Equal(0, await world.Poster.PostPendingAsync(CancellationToken.None));
        world.Store.FinishPosting(id, "other-host", FollowUpPostState.Posted, "m-other", null);
        Assert.Equal(0, await world.Poster.PostPendingAsync(CancellationToken.None));

        Assert.Empty(world.Slack.Sent);
        Assert.Equal("m-other", world.Store.All.Single().MessageId);
    }

    [Fact]
    public async Task PostPending_ItsClaimTakenOverAfterTheLease_DoesNotOverwriteTheNewOwnersRecord()
    {
        using var world = new FollowUpWorld();
        world.Answer("r1", SurveyKind.Nps, "globex", 3);
        var id = world.Store.All.Single().Id;
        // This run's post hangs past the lease; another host takes the case over meanwhile.
        world.Slack.WhileSending = () =>
        {
            world.Time.Advance(world.Options.PostLease);
            Assert.NotNull(world.Store.TryStartPosting(id, "other-host", world.Time.GetUtcNow(), world.Options.PostLease));
        };

        await world.Poster.PostPendingAsync(CancellationToken.None);

        var stored = world.Store.All.Single();
        Assert.Equal((FollowUpPostState.Sending, "other-host", null), (stored.PostState, stored.PostOwner, stored.MessageId));
    }

    [Fact]
    public async Task PostPending_ClaimPressedWhileARedrawIsInFlight_RedrawsAgainWithTheClaimer()
    {
        using var world = new FollowUpWorld();
        world.Answer("r1", SurveyKind.Nps, "globex", 3);
        await world.Poster.PostPendingAsync(CancellationToken.None);
        var id = world.Store.All.Single().Id;
        world.Answer("r1", SurveyKind.Nps, "globex", 3, "Billing is confusing");
        // The redraw carrying the comment is in flight when someone takes the case: that redraw was drawn before the claim.
        Assert.NotNull(world.Store.TryStartPosting(id, "redrawing-run", world.Time.GetUtcNow(), world.Options.PostLease));
        await world.PressAsync(FollowUpMessages.ClaimAction, id, FollowUpWorld.Staff());
        Assert.True(world.Store.All.Single().RedrawOwed);
        Assert.Equal(FollowUpPostState.Pending, world.Store.FinishPosting(id, "redrawing-run", FollowUpPostState.Posted, "m1", null)!.PostState);

        await world.Poster.PostPendingAsync(CancellationToken.None);

        var (_, redrawn) = Assert.Single(world.Slack.Updated);
        Assert.Contains("Ana", redrawn.FallbackText, StringComparison.Ordinal);
        Assert.Equal((FollowUpPostState.Posted, false), (world.Store.All.Single().PostState, world.Store.All.Single().RedrawOwed));
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
