using System.Collections.Concurrent;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;

namespace GrowthBot.Core.Surveys;

/// <summary>
/// Answers survey buttons (<c>survey.score</c>, <c>survey.comment</c>, <c>survey.skip</c>,
/// <c>survey.change</c>) on any platform. Every press is checked before anything is touched: the
/// value must carry this host's signature for that button, the run and invitation must exist and
/// belong together, and the presser must be the person invited; otherwise a friendly refusal
/// and no data changes. A valid press after expiry gets "this survey has closed". Accepted
/// answers are written durably (<see cref="SurveyAnswerWriter"/>) before the reply is returned,
/// so the adapter acknowledges only what is committed. The press's delivery id is committed
/// with the answer, in the same transaction, so a replayed delivery is recognised and neither
/// applied nor answered twice.
/// </summary>
public sealed class SurveyActionHandler(
    ISurveyStore store,
    SurveyButtonCodec codec,
    SurveyMessages messages,
    SurveyAnswerWriter writer,
    SurveyLocks locks,
    TimeProvider time) : IActionHandler
{
    // Runs are never deleted, so a run once found stays valid: one store read less per press.
    private readonly ConcurrentDictionary<string, bool> _knownRuns = new(StringComparer.Ordinal);

    public bool CanHandle(string actionId) => SurveyMessages.IsSurveyAction(actionId);

    public async Task<ChatMessage?> HandleActionAsync(IncomingAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (!codec.TryRead(action.ActionId, action.Value, out var press)) return SurveyMessages.Forged();
        if (!RunExists(press.RunId)) return SurveyMessages.UnknownSurvey();

        using (await locks.EnterAsync(press.InvitationId, cancellationToken).ConfigureAwait(false))
        {
            // Read under the lock: a double tap waits for the first tap's write and sees its result.
            var invitation = store.FindInvitation(press.InvitationId);
            if (invitation is null || !string.Equals(invitation.RunId, press.RunId, StringComparison.Ordinal)) return SurveyMessages.UnknownSurvey();
            if (invitation.Platform != action.Platform || !string.Equals(invitation.UserId, action.From.UserId, StringComparison.Ordinal))
            {
                return SurveyMessages.NotYours();
            }
            // A replayed delivery was applied and answered already: acknowledged, not applied or answered again.
            if (invitation.HasApplied(action.DeliveryId)) return null;
            var now = time.GetUtcNow();
            return action.ActionId switch
            {
                SurveyMessages.ScoreAction => await ScoreAsync(invitation, press.Score, now, action.DeliveryId).ConfigureAwait(false),
                SurveyMessages.CommentAction => await CommentAsync(invitation, Comment(action), now, action.DeliveryId).ConfigureAwait(false),
                SurveyMessages.SkipAction => await FinishAsync(SurveyStateMachine.Skip(invitation, now), writeResponse: false, action.DeliveryId).ConfigureAwait(false),
                SurveyMessages.ChangeAction => SurveyStateMachine.IsOpen(invitation, now) ? messages.ChangeScore(invitation) : SurveyMessages.Closed(),
                _ => SurveyMessages.Forged(),
            };
        }
    }

    private bool RunExists(string runId)
    {
        if (_knownRuns.ContainsKey(runId)) return true;
        if (store.FindRun(runId) is null) return false;
        _knownRuns[runId] = true;
        return true;
    }

    private async Task<ChatMessage> ScoreAsync(SurveyInvitation invitation, int score, DateTimeOffset now, string deliveryId)
    {
        var decision = SurveyStateMachine.Score(invitation, score, now);
        switch (decision.Outcome)
        {
            case SurveyOutcome.OutOfRange:
                return SurveyMessages.OutOfRange(invitation.Kind);
            case SurveyOutcome.Accepted:
                var scored = decision.Invitation.Applying(deliveryId);
                await writer.WriteAsync(scored, ResponseOf(scored, now)).ConfigureAwait(false);
                return messages.FollowUp(scored);
            default:
                return SurveyMessages.Closed();
        }
    }

    private Task<ChatMessage> CommentAsync(SurveyInvitation invitation, string? comment, DateTimeOffset now, string deliveryId)
    {
        var decision = SurveyStateMachine.Comment(invitation, comment, now);
        return FinishAsync(decision, writeResponse: decision.Invitation.State == InvitationState.Commented, deliveryId);
    }

    private async Task<ChatMessage> FinishAsync(SurveyDecision decision, bool writeResponse, string deliveryId)
    {
        switch (decision.Outcome)
        {
            case SurveyOutcome.Accepted:
                var finished = decision.Invitation.Applying(deliveryId);
                var response = writeResponse ? ResponseOf(finished, finished.AnsweredAt ?? time.GetUtcNow()) : null;
                await writer.WriteAsync(finished, response).ConfigureAwait(false);
                return messages.Thanks(finished);
            case SurveyOutcome.NeedsScore:
                return messages.ChangeScore(decision.Invitation);
            default:
                return SurveyMessages.Closed();
        }
    }

    private static string? Comment(IncomingAction action)
    {
        if (action.Inputs is null || !action.Inputs.TryGetValue(SurveyMessages.CommentInput, out var text) || string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        return text.Length <= SurveyMessages.MaxCommentLength ? text : text[..SurveyMessages.MaxCommentLength];
    }

    private static SurveyResponse ResponseOf(SurveyInvitation invitation, DateTimeOffset at) =>
        new(invitation.ResponseId, invitation.Kind, invitation.CustomerId, invitation.Score!.Value, invitation.Comment, at.UtcDateTime);
}
