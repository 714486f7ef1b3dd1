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
/// so the adapter acknowledges only what is committed.
/// </summary>
public sealed class SurveyActionHandler(
    ISurveyStore store,
    SurveyButtonCodec codec,
    SurveyMessages messages,
    SurveyAnswerWriter writer,
    SurveyLocks locks,
    TimeProvider time) : IActionHandler
{

    public bool CanHandle(string actionId) => SurveyMessages.IsSurveyAction(actionId);

    public async Task<ChatMessage?> HandleActionAsync(IncomingAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (!codec.TryRead(action.ActionId, action.Value, out var press)) return SurveyMessages.Forged();
        if (store.FindRun(press.RunId) is null) return SurveyMessages.UnknownSurvey();

        using (await locks.EnterAsync(press.InvitationId, cancellationToken).ConfigureAwait(false))
        {
            // Read under the lock: a double tap waits for the first tap's write and sees its result.
            var invitation = store.FindInvitation(press.InvitationId);
            if (invitation is null || !string.Equals(invitation.RunId, press.RunId, StringComparison.Ordinal)) return SurveyMessages.UnknownSurvey();
            if (invitation.Platform != action.Platform || !string.Equals(invitation.UserId, action.From.UserId, StringComparison.Ordinal))
            {
                return SurveyMessages.NotYours();
            }
            var now = time.GetUtcNow();
            return action.ActionId switch
            {
                SurveyMessages.ScoreAction => await ScoreAsync(invitation, press.Score, now).ConfigureAwait(false),
                SurveyMessages.CommentAction => await CommentAsync(invitation, Comment(action), now).ConfigureAwait(false),
                SurveyMessages.SkipAction => await FinishAsync(SurveyStateMachine.Skip(invitation, now), writeResponse: false).ConfigureAwait(false),
                SurveyMessages.ChangeAction => SurveyStateMachine.IsOpen(invitation, now) ? messages.ChangeScore(invitation) : SurveyMessages.Closed(),
                _ => SurveyMessages.Forged(),
            };
        }
    }

    private async Task<ChatMessage> ScoreAsync(SurveyInvitation invitation, int score, DateTimeOffset now)
    {
        var decision = SurveyStateMachine.Score(invitation, score, now);
        switch (decision.Outcome)
        {
            case SurveyOutcome.OutOfRange:
                return SurveyMessages.OutOfRange(invitation.Kind);
            case SurveyOutcome.Accepted:
                await writer.WriteAsync(decision.Invitation, ResponseOf(decision.Invitation, now)).ConfigureAwait(false);
                return messages.FollowUp(decision.Invitation);
            default:
                return SurveyMessages.Closed();
        }
    }

    private Task<ChatMessage> CommentAsync(SurveyInvitation invitation, string? comment, DateTimeOffset now)
    {
        var decision = SurveyStateMachine.Comment(invitation, comment, now);
        return FinishAsync(decision, writeResponse: decision.Invitation.State == InvitationState.Commented);
    }

    private async Task<ChatMessage> FinishAsync(SurveyDecision decision, bool writeResponse)
    {
        switch (decision.Outcome)
        {
            case SurveyOutcome.Accepted:
                var response = writeResponse ? ResponseOf(decision.Invitation, decision.Invitation.AnsweredAt ?? time.GetUtcNow()) : null;
                await writer.WriteAsync(decision.Invitation, response).ConfigureAwait(false);
                return messages.Thanks(decision.Invitation);
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
