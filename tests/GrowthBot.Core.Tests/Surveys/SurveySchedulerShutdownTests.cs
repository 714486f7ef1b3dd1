using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Operations;
using GrowthBot.Core.Surveys;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrowthBot.Core.Tests.Surveys;

/// <summary>
/// Stopping the host while an invitation is being posted: the post finishes and is recorded, so the
/// next start does not invite the same person again; what was not started yet is left for it.
/// </summary>
public sealed class SurveySchedulerShutdownTests
{
    [Fact]
    public async Task Stop_WhileAnInvitationIsSending_RecordsIt_AndTheNextStartSendsOnlyWhatWasLeft()
    {
        using var world = new SurveyWorld();
        var run = world.Campaigns.Start(SurveyKind.Nps, null, "Slack:U0STAFF", [new SurveyTarget(ChatPlatform.Slack, "U1"), new SurveyTarget(ChatPlatform.Slack, "U2")]).Run!;
        var slow = new SlowSender();
        using var work = new InFlightWork(NullLogger<InFlightWork>.Instance);
        using var scheduler = new SurveyScheduler(world.Store, world.Options, world.Messages, [slow], world.Locks, world.Time, NullLogger<SurveyScheduler>.Instance, work);
        using var hostStopping = new CancellationTokenSource();

        await scheduler.StartAsync(CancellationToken.None);
        await slow.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await work.StoppingAsync(hostStopping.Token);
        var stopped = scheduler.StopAsync(hostStopping.Token);
        slow.Release.SetResult();                 // Slack answers after the stop began
        await stopped.WaitAsync(TimeSpan.FromSeconds(20));

        var invitations = world.Store.InvitationsOfRun(run.Id).ToDictionary(invitation => invitation.UserId);
        var first = invitations[slow.SentTo.Single()["D-".Length..]];
        Assert.Equal(InvitationState.Invited, first.State);
        Assert.NotNull(first.MessageId);
        Assert.Single(invitations.Values, invitation => invitation.State == InvitationState.Pending);

        // The next start: only the invitation that was never started is sent.
        using var restarted = new SurveyScheduler(world.Store, world.Options, world.Messages, [world.Slack], world.Locks, world.Time, NullLogger<SurveyScheduler>.Instance);
        await restarted.RunDueAsync(CancellationToken.None);
        var again = Assert.Single(world.Slack.Sent);
        Assert.NotEqual(slow.SentTo.Single(), again.Address.ConversationId);
    }

    [Fact]
    public async Task Stop_PastTheShutdownTimeout_LeavesTheInvitationPending_ForTheNextStart()
    {
        using var world = new SurveyWorld();
        var run = world.Campaigns.Start(SurveyKind.Nps, null, "Slack:U0STAFF", [new SurveyTarget(ChatPlatform.Slack, "U1")]).Run!;
        var slow = new SlowSender();
        using var work = new InFlightWork(NullLogger<InFlightWork>.Instance);
        using var scheduler = new SurveyScheduler(world.Store, world.Options, world.Messages, [slow], world.Locks, world.Time, NullLogger<SurveyScheduler>.Instance, work);
        using var hostStopping = new CancellationTokenSource();

        await scheduler.StartAsync(CancellationToken.None);
        await slow.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await work.StoppingAsync(hostStopping.Token);
        var stopped = scheduler.StopAsync(hostStopping.Token);
        await hostStopping.CancelAsync();         // the shutdown timeout passes; Slack never answered
        await stopped.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(InvitationState.Pending, Assert.Single(world.Store.InvitationsOfRun(run.Id)).State);
        using var restarted = new SurveyScheduler(world.Store, world.Options, world.Messages, [world.Slack], world.Locks, world.Time, NullLogger<SurveyScheduler>.Instance);
        await restarted.RunDueAsync(CancellationToken.None);
        Assert.Single(world.Slack.Sent);
    }

    /// <summary>A platform slow to take a post: the first send waits until released (or until its caller gives up).</summary>
    private sealed class SlowSender : IChatSender
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<string> SentTo { get; } = [];

        public ChatPlatform Platform => ChatPlatform.Slack;

        public Task<ChatAddress> OpenDirectAsync(string userId, string? workspace, CancellationToken cancellationToken) => Task.FromResult(new ChatAddress(ChatPlatform.Slack, "D-" + userId));

        public async Task<PostedMessage> SendAsync(ChatAddress address, ChatMessage message, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            lock (SentTo) SentTo.Add(address.ConversationId);
            return new PostedMessage(address, "1732616100.000100");
        }

        public Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
