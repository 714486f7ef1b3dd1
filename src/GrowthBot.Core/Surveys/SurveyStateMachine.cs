using GrowthBot.Core.Data;

namespace GrowthBot.Core.Surveys;

/// <summary>What a step of the survey did.</summary>
public enum SurveyOutcome
{
    /// <summary>The step was taken; <see cref="SurveyDecision.Invitation"/> is the new state to store.</summary>
    Accepted,

    /// <summary>The invitation can no longer be answered (expired, or never sent); nothing changes.</summary>
    Closed,

    /// <summary>The score is not on the survey's scale; nothing changes.</summary>
    OutOfRange,

    /// <summary>A comment or skip before any score; nothing changes, the scale is shown again.</summary>
    NeedsScore,
}

/// <summary>The outcome of a step and the invitation as it is after it.</summary>
public sealed record SurveyDecision(SurveyOutcome Outcome, SurveyInvitation Invitation);

/// <summary>
/// The life of an invitation, as pure functions of the invitation and the time now:
/// Pending → Invited → (Reminded) → Scored → Commented | Closed, or Expired when nobody answers
/// in time. Until it expires a scored invitation takes a new score (a changed mind) and a new
/// comment; after it expires nothing changes it. Fatigue and reminders are decided here too.
/// </summary>
public static class SurveyStateMachine
{
    /// <summary>Whether the invitation can still be answered (or its answer changed) at <paramref name="now"/>.</summary>
    public static bool IsOpen(SurveyInvitation invitation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        return invitation.State is InvitationState.Invited or InvitationState.Reminded or InvitationState.Scored or InvitationState.Commented or InvitationState.Closed
            && invitation.ExpiresAt is { } expires && now < expires;
    }

    /// <summary>A score: the first one, or a changed mind before expiry. The comment so far is kept.</summary>
    public static SurveyDecision Score(SurveyInvitation invitation, int score, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        if (!SurveyScales.IsValid(invitation.Kind, score)) return new(SurveyOutcome.OutOfRange, invitation);
        if (!IsOpen(invitation, now)) return new(SurveyOutcome.Closed, invitation);
        return new(SurveyOutcome.Accepted, invitation with { State = InvitationState.Scored, Score = score, AnsweredAt = now });
    }

    /// <summary>The follow-up comment; an empty one is a skip.</summary>
    public static SurveyDecision Comment(SurveyInvitation invitation, string? comment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        if (string.IsNullOrWhiteSpace(comment)) return Skip(invitation, now);
        if (!IsOpen(invitation, now)) return new(SurveyOutcome.Closed, invitation);
        if (!invitation.IsAnswered) return new(SurveyOutcome.NeedsScore, invitation);
        return new(SurveyOutcome.Accepted, invitation with { State = InvitationState.Commented, Comment = comment.Trim(), AnsweredAt = now });
    }

    /// <summary>No comment, thanks: the invitation is finished (an earlier comment stays).</summary>
    public static SurveyDecision Skip(SurveyInvitation invitation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        if (!IsOpen(invitation, now)) return new(SurveyOutcome.Closed, invitation);
        if (!invitation.IsAnswered) return new(SurveyOutcome.NeedsScore, invitation);
        var state = string.IsNullOrWhiteSpace(invitation.Comment) ? InvitationState.Closed : InvitationState.Commented;
        return new(SurveyOutcome.Accepted, invitation with { State = state });
    }

    /// <summary>The invitation was delivered at <paramref name="now"/>; it can be answered for the survey's lifetime.</summary>
    public static SurveyInvitation Sent(SurveyInvitation invitation, DateTimeOffset now, SurveyKindOptions options, string conversationId, string messageId)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        ArgumentNullException.ThrowIfNull(options);
        return invitation with
        {
            State = InvitationState.Invited,
            InvitedAt = now,
            ExpiresAt = now + options.InvitationLifetime,
            ConversationId = conversationId,
            MessageId = messageId,
            Problem = null,
        };
    }

    /// <summary>When the one reminder is due, or null when there is none to send.</summary>
    public static DateTimeOffset? ReminderDue(SurveyInvitation invitation, SurveyKindOptions options)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        ArgumentNullException.ThrowIfNull(options);
        if (invitation.State != InvitationState.Invited || invitation.RemindedAt is not null || options.ReminderAfter <= TimeSpan.Zero) return null;
        if (invitation.InvitedAt is not { } invited || invitation.ExpiresAt is not { } expires) return null;
        var due = invited + options.ReminderAfter;
        return due < expires ? due : null;
    }

    /// <summary>The invitation after its reminder, or null when no reminder is due at <paramref name="now"/>.</summary>
    public static SurveyInvitation? Remind(SurveyInvitation invitation, DateTimeOffset now, SurveyKindOptions options) =>
        ReminderDue(invitation, options) is { } due && now >= due && now < invitation.ExpiresAt
            ? invitation with { State = InvitationState.Reminded, RemindedAt = now }
            : null;

    /// <summary>The expired invitation, or null when it is answered or not yet past its time.</summary>
    public static SurveyInvitation? Expire(SurveyInvitation invitation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        return invitation.AwaitsScore && invitation.ExpiresAt is { } expires && now >= expires
            ? invitation with { State = InvitationState.Expired }
            : null;
    }

    /// <summary>The next moment something is due for this invitation (send, reminder or expiry), if any.</summary>
    public static DateTimeOffset? NextDue(SurveyInvitation invitation, SurveyKindOptions options)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        if (invitation.State == InvitationState.Pending) return invitation.SendAt;
        if (!invitation.AwaitsScore) return null;
        var reminder = ReminderDue(invitation, options);
        var expiry = invitation.ExpiresAt;
        if (reminder is null) return expiry;
        if (expiry is null) return reminder;
        return reminder < expiry ? reminder : expiry;
    }

    /// <summary>
    /// Whether the person may be asked this survey at <paramref name="now"/>: nobody is asked the
    /// same survey twice within its fatigue window. <paramref name="history"/> is everything the
    /// person was asked (any run); the invitation being decided on is left out by its id.
    /// </summary>
    public static bool FatigueAllows(IEnumerable<SurveyInvitation> history, SurveyKind kind, TimeSpan window, DateTimeOffset now, string? exceptInvitationId = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        foreach (var earlier in history)
        {
            if (earlier.Kind != kind || earlier.State is InvitationState.Failed or InvitationState.Skipped) continue;
            if (string.Equals(earlier.Id, exceptInvitationId, StringComparison.Ordinal)) continue;
            // A pending one counts from when it is due to go out: two runs must not both ask.
            var asked = earlier.InvitedAt ?? earlier.SendAt;
            if ((now - asked).Duration() < window) return false;
        }
        return true;
    }
}
