using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;

namespace GrowthBot.Core.FollowUps;

/// <summary>
/// Answers the buttons of a case post: <c>followup.claim</c> ("I'll follow up") gives the case to the
/// presser and updates the post to show who has it (pressing again changes nothing; a second person
/// is told who has it); <c>followup.resolve</c> ("Resolved") turns the post into a one-line outcome
/// box; <c>followup.outcome</c> records the outcome and closes the case. Only staff may press them:
/// anyone else gets the same refusal as for metrics, and sees no customer.
/// </summary>
public sealed class FollowUpActionHandler(IFollowUpStore store, FollowUpMessages messages, IAccessPolicy access, string companyName, TimeProvider time) : IActionHandler
{
    public bool CanHandle(string actionId) => FollowUpMessages.IsFollowUpAction(actionId);

    public Task<ChatMessage?> HandleActionAsync(IncomingAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (!access.IsStaff(action.From)) return Task.FromResult<ChatMessage?>(AccessReplies.MetricsRefused(companyName));
        var now = time.GetUtcNow();
        var id = action.Value.Trim();
        var reply = action.ActionId switch
        {
            FollowUpMessages.ClaimAction => Claim(id, action, now),
            FollowUpMessages.ResolveAction => AskOutcome(id, now),
            FollowUpMessages.OutcomeAction => Resolve(id, action, now),
            _ => FollowUpMessages.UnknownCase(),
        };
        return Task.FromResult<ChatMessage?>(reply);
    }

    private ChatMessage Claim(string id, IncomingAction action, DateTimeOffset now)
    {
        var result = store.TryClaim(id, action.From.UserId, action.From.DisplayName, now);
        return result.Outcome switch
        {
            ClaimOutcome.Claimed or ClaimOutcome.AlreadyYours => messages.Post(result.Case!, now) with { ReplacesOriginal = true },
            ClaimOutcome.TakenByOther => FollowUpMessages.TakenBy(result.Case!),
            ClaimOutcome.Resolved => FollowUpMessages.AlreadyResolved(result.Case!),
            _ => FollowUpMessages.UnknownCase(),
        };
    }

    private ChatMessage AskOutcome(string id, DateTimeOffset now)
    {
        if (store.Find(id) is not { } followUp) return FollowUpMessages.UnknownCase();
        if (followUp.IsResolved) return FollowUpMessages.AlreadyResolved(followUp);
        return messages.Post(followUp, now, askOutcome: true) with { ReplacesOriginal = true };
    }

    private ChatMessage Resolve(string id, IncomingAction action, DateTimeOffset now)
    {
        if (store.Find(id) is not { } followUp) return FollowUpMessages.UnknownCase();
        if (followUp.IsResolved) return FollowUpMessages.AlreadyResolved(followUp);
        if (Outcome(action) is not { } outcome) return FollowUpMessages.OutcomeNeeded();
        var resolved = store.Resolve(id, action.From.UserId, action.From.DisplayName, outcome, now);
        if (resolved is null)
        {
            // Resolved by someone else in the meantime.
            return store.Find(id) is { } other ? FollowUpMessages.AlreadyResolved(other) : FollowUpMessages.UnknownCase();
        }
        return messages.Post(resolved, now) with { ReplacesOriginal = true };
    }

    /// <summary>The typed outcome on one line, cut to <see cref="FollowUpMessages.MaxOutcomeLength"/>; null when nothing was typed.</summary>
    private static string? Outcome(IncomingAction action)
    {
        if (action.Inputs is null || !action.Inputs.TryGetValue(FollowUpMessages.OutcomeInput, out var text) || string.IsNullOrWhiteSpace(text)) return null;
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= FollowUpMessages.MaxOutcomeLength ? text : text[..FollowUpMessages.MaxOutcomeLength];
    }
}
