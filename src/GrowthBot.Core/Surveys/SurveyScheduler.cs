using GrowthBot.Core.Conversations;
using GrowthBot.Core.Ports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Core.Surveys;

/// <summary>
/// Does what is due, when it is due: sends pending invitations (campaigns at once, paced by
/// <see cref="SurveyOptions.SendInterval"/>; CES after a ticket at its send time, if fatigue
/// still allows), sends the one reminder, and expires unanswered invitations (replacing their
/// buttons with "this survey has closed" where the platform allows). It sleeps on the injected
/// <see cref="TimeProvider"/> until the next due moment or until <see cref="Wake"/> is called,
/// and everything it works from is in the store, so a restart loses nothing. On stop it starts
/// no new step, but a step already sending finishes (and is recorded) within the host's shutdown
/// timeout, so an invitation cut off half-way is not sent a second time after the restart.
/// </summary>
public sealed partial class SurveyScheduler(
    ISurveyStore store,
    SurveyOptions options,
    SurveyMessages messages,
    IEnumerable<IChatSender> senders,
    SurveyLocks locks,
    TimeProvider time,
    ILogger<SurveyScheduler> logger,
    Operations.InFlightWork? inFlight = null) : BackgroundService
{
    /// <summary>The kind of work <see cref="Operations.InFlightWork"/> counts while an invitation or reminder is being sent.</summary>
    public const string WorkKind = "survey message";

    private static readonly TimeSpan MaxSleep = TimeSpan.FromHours(1);
    private const int MaxAttempts = 5;
    private readonly Dictionary<ChatPlatform, IChatSender> _senders = senders.ToDictionary(sender => sender.Platform);
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Something new may be due (a campaign started, a ticket resolved): look now.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken; one wake-up covers everything that is due.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset? next;
            try
            {
                next = await RunDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The scheduler must outlive one bad round (a store error); it logs and tries again later.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogRoundFailed(exception);
                next = time.GetUtcNow() + TimeSpan.FromMinutes(1);
            }
            var wakeAt = next ?? time.GetUtcNow() + MaxSleep;
            var sleep = wakeAt - time.GetUtcNow();
            if (sleep <= TimeSpan.Zero) continue;
            if (sleep > MaxSleep) sleep = MaxSleep;
            using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var timer = Task.Delay(sleep, time, either.Token);
            // The clock may have moved on while the timer was being set (a jump, or a test's fake clock).
            if (time.GetUtcNow() < wakeAt) await Task.WhenAny(timer, _wake.WaitAsync(either.Token)).ConfigureAwait(false);
            await either.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Does everything due at the current time; returns when the next thing is due (null: nothing waiting).</summary>
    public async Task<DateTimeOffset?> RunDueAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? next = null;
        var sentOne = false;
        foreach (var candidate in store.Active().OrderBy(invitation => SurveyStateMachine.NextDue(invitation, options.For(invitation.Kind)) ?? DateTimeOffset.MaxValue))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var kind = options.For(candidate.Kind);
            var due = SurveyStateMachine.NextDue(candidate, kind);
            if (due is null) continue;
            if (due > time.GetUtcNow())
            {
                if (next is null || due < next) next = due;
                continue;
            }
            if (candidate.State == InvitationState.Pending && sentOne && options.SendInterval > TimeSpan.Zero)
            {
                await Task.Delay(options.SendInterval, time, cancellationToken).ConfigureAwait(false);
            }
            SurveyInvitation? after;
            using (inFlight?.Begin(WorkKind))
            {
                after = await StepAsync(candidate.Id, inFlight?.Abandoned ?? cancellationToken).ConfigureAwait(false);
            }
            if (candidate.State == InvitationState.Pending) sentOne = true;
            if (after is not null && SurveyStateMachine.NextDue(after, kind) is { } later && (next is null || later < next)) next = later;
        }
        return next;
    }

    /// <summary>Takes the step due for one invitation (under its lock, re-read so a press in between is not overwritten).</summary>
    private async Task<SurveyInvitation?> StepAsync(string invitationId, CancellationToken cancellationToken)
    {
        PostedMessage? closeMessage = null;
        SurveyInvitation? remind = null;
        SurveyInvitation? result;
        using (await locks.EnterAsync(invitationId, cancellationToken).ConfigureAwait(false))
        {
            var invitation = store.FindInvitation(invitationId);
            if (invitation is null) return null;
            var now = time.GetUtcNow();
            var kind = options.For(invitation.Kind);
            if (invitation.State == InvitationState.Pending)
            {
                // Sent under the lock: a press on the new message waits until it is recorded as sent.
                result = invitation.SendAt <= now ? await SendAsync(invitation, now, kind, cancellationToken).ConfigureAwait(false) : invitation;
            }
            else if (SurveyStateMachine.Expire(invitation, now) is { } expired)
            {
                result = expired;
                store.SaveInvitations([expired]);
                if (expired.ConversationId is { } conversation && expired.MessageId is { } message)
                {
                    closeMessage = new PostedMessage(new ChatAddress(expired.Platform, conversation, expired.Workspace), message);
                }
            }
            else if (SurveyStateMachine.Remind(invitation, now, kind) is { } reminded)
            {
                // Recorded first: one reminder at most, even if sending it fails or the host stops.
                result = reminded;
                store.SaveInvitations([reminded]);
                remind = reminded;
            }
            else
            {
                result = invitation;
            }
        }
        if (closeMessage is not null) await CloseAsync(closeMessage, invitationId, cancellationToken).ConfigureAwait(false);
        if (remind is not null) result = await RemindAsync(remind, cancellationToken).ConfigureAwait(false) ?? result;
        return result;
    }

    private async Task<SurveyInvitation> SendAsync(SurveyInvitation invitation, DateTimeOffset now, SurveyKindOptions kind, CancellationToken cancellationToken)
    {
        SurveyInvitation after;
        if (invitation.RunId == SurveyRun.TicketRunId &&
            !SurveyStateMachine.FatigueAllows(store.InvitationsOf(invitation.Platform, invitation.UserId), invitation.Kind, kind.FatigueWindow, now, invitation.Id))
        {
            after = invitation with { State = InvitationState.Skipped, Problem = "asked this survey within its fatigue window" };
        }
        else if (!_senders.TryGetValue(invitation.Platform, out var sender))
        {
            after = invitation with { State = InvitationState.Failed, Problem = $"{invitation.Platform} is not available in this host" };
        }
        else
        {
            try
            {
                var address = await sender.OpenDirectAsync(invitation.UserId, invitation.Workspace, cancellationToken).ConfigureAwait(false);
                var posted = await sender.SendAsync(address, messages.Invitation(invitation), cancellationToken).ConfigureAwait(false);
                // The installation that reached the person answers the reminder and the close too.
                after = SurveyStateMachine.Sent(invitation, time.GetUtcNow(), kind, address.ConversationId, posted.MessageId) with { Workspace = address.Workspace ?? invitation.Workspace };
                LogSent(invitation.Id, invitation.Platform);
            }
            catch (ChatDeliveryException exception) when (exception.IsTransient && invitation.Attempts + 1 < MaxAttempts)
            {
                var retry = TimeSpan.FromMinutes(Math.Pow(2, invitation.Attempts));
                after = invitation with { Attempts = invitation.Attempts + 1, SendAt = now + retry, Problem = exception.Message };
                LogRetry(invitation.Id, exception.Message, retry.TotalMinutes);
            }
            catch (ChatDeliveryException exception)
            {
                after = invitation with { State = InvitationState.Failed, Attempts = invitation.Attempts + 1, Problem = $"{exception.Failure}: {exception.Message}" };
                LogFailed(invitation.Id, exception.Failure, exception.Message);
            }
        }
        store.SaveInvitations([after]);
        return after;
    }

    private async Task<SurveyInvitation?> RemindAsync(SurveyInvitation invitation, CancellationToken cancellationToken)
    {
        if (!_senders.TryGetValue(invitation.Platform, out var sender) || invitation.ConversationId is not { } conversation) return null;
        try
        {
            var posted = await sender.SendAsync(new ChatAddress(invitation.Platform, conversation, invitation.Workspace), messages.Reminder(invitation), cancellationToken).ConfigureAwait(false);
            SurveyInvitation? updated = null;
            using (await locks.EnterAsync(invitation.Id, cancellationToken).ConfigureAwait(false))
            {
                // The reminder is the message people see last: expiry closes that one.
                if (store.FindInvitation(invitation.Id) is { } current)
                {
                    updated = current with { MessageId = posted.MessageId };
                    store.SaveInvitations([updated]);
                }
            }
            // The first invitation's buttons would stay pressable beside the reminder's: that card is stale now.
            if (invitation.MessageId is { } first && first != posted.MessageId)
            {
                await SupersedeAsync(sender, new PostedMessage(new ChatAddress(invitation.Platform, conversation, invitation.Workspace), first), invitation.Id, cancellationToken).ConfigureAwait(false);
            }
            return updated;
        }
        catch (ChatDeliveryException exception)
        {
            LogReminderFailed(invitation.Id, exception.Message);
        }
        return null;
    }

    /// <summary>Replaces a stale survey card (one a reminder repeats) with a line pointing to the newer one; a failure is only logged.</summary>
    private async Task SupersedeAsync(IChatSender sender, PostedMessage stale, string invitationId, CancellationToken cancellationToken)
    {
        try
        {
            await sender.UpdateAsync(stale, SurveyMessages.Superseded(), cancellationToken).ConfigureAwait(false);
        }
        catch (ChatDeliveryException exception)
        {
            // Harmless if it stays: a press on it is answered like a press on the reminder (one answer per person).
            LogCloseFailed(invitationId, exception.Message);
        }
    }

    private async Task CloseAsync(PostedMessage posted, string invitationId, CancellationToken cancellationToken)
    {
        if (!_senders.TryGetValue(posted.Address.Platform, out var sender)) return;
        try
        {
            await sender.UpdateAsync(posted, SurveyMessages.Expired(), cancellationToken).ConfigureAwait(false);
        }
        catch (ChatDeliveryException exception)
        {
            // The state is what counts: a press on the old buttons gets "this survey has closed".
            LogCloseFailed(invitationId, exception.Message);
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey invitation {Invitation} sent on {Platform}")]
    private partial void LogSent(string invitation, ChatPlatform platform);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Survey invitation {Invitation} could not be sent yet ({Reason}); trying again in {Minutes} min")]
    private partial void LogRetry(string invitation, string reason, double minutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Survey invitation {Invitation} could not be delivered ({Failure}: {Reason})")]
    private partial void LogFailed(string invitation, ChatDeliveryFailure failure, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reminder for survey invitation {Invitation} could not be sent: {Reason}")]
    private partial void LogReminderFailed(string invitation, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey invitation {Invitation} expired; its message could not be updated: {Reason}")]
    private partial void LogCloseFailed(string invitation, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A survey scheduler round failed; trying again in a minute")]
    private partial void LogRoundFailed(Exception exception);
}
