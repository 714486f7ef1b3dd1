using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;

namespace GrowthBot.Core.Surveys;

/// <summary>Where an invitation is in its life.</summary>
public enum InvitationState
{
    /// <summary>Created; waiting to be sent (now, or at <see cref="SurveyInvitation.SendAt"/> for CES after a ticket).</summary>
    Pending,

    /// <summary>Sent; no answer yet.</summary>
    Invited,

    /// <summary>Sent and reminded once; no answer yet.</summary>
    Reminded,

    /// <summary>Scored; the follow-up question is open.</summary>
    Scored,

    /// <summary>Scored with a comment.</summary>
    Commented,

    /// <summary>Scored; the person skipped the comment.</summary>
    Closed,

    /// <summary>Not answered before it expired.</summary>
    Expired,

    /// <summary>Could not be delivered (see <see cref="SurveyInvitation.Problem"/>).</summary>
    Failed,

    /// <summary>Not sent: by its send time the person had been asked too recently.</summary>
    Skipped,
}

/// <summary>
/// One person asked one survey in one run. The id is deterministic per (run, person), and so is
/// the id of the response it writes (<see cref="ResponseId"/>): a changed mind replaces the
/// response instead of adding one. <see cref="Workspace"/> is the installation the person is reached
/// through (from their <see cref="SurveyRecipient"/>, or the one the invitation was sent with), so the
/// DM, its reminder and its close all use that installation's credentials.
/// </summary>
public sealed record SurveyInvitation(
    string Id,
    string RunId,
    SurveyKind Kind,
    string CustomerId,
    ChatPlatform Platform,
    string UserId,
    string? Topic,
    InvitationState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset SendAt,
    DateTimeOffset? InvitedAt = null,
    DateTimeOffset? ExpiresAt = null,
    DateTimeOffset? RemindedAt = null,
    int? Score = null,
    string? Comment = null,
    DateTimeOffset? AnsweredAt = null,
    string? ConversationId = null,
    string? MessageId = null,
    string? Problem = null,
    int Attempts = 0,
    string? RecentDeliveries = null,
    string? Workspace = null)
{
    /// <summary>How many delivery ids of applied presses an invitation remembers (to recognise a replayed press).</summary>
    public const int RememberedDeliveries = 16;

    /// <summary>True when the press with this delivery id (Slack action, Teams activity) was already applied.</summary>
    public bool HasApplied(string deliveryId) =>
        !string.IsNullOrEmpty(deliveryId) && RecentDeliveries is { } recent && recent.Split('\n').Contains(deliveryId, StringComparer.Ordinal);

    /// <summary>This invitation with <paramref name="deliveryId"/> remembered as applied (the oldest forgotten beyond <see cref="RememberedDeliveries"/>).</summary>
    public SurveyInvitation Applying(string deliveryId)
    {
        if (string.IsNullOrEmpty(deliveryId)) return this;
        var recent = (RecentDeliveries ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(RememberedDeliveries - 1).Append(deliveryId);
        return this with { RecentDeliveries = string.Join('\n', recent) };
    }

    /// <summary>The id of the <see cref="SurveyResponse"/> this invitation writes.</summary>
    public string ResponseId => "survey-" + Id;

    /// <summary>True while the invitation is waiting for its first score.</summary>
    public bool AwaitsScore => State is InvitationState.Invited or InvitationState.Reminded;

    /// <summary>True once a score was given (whatever came after).</summary>
    public bool IsAnswered => Score is not null;

    /// <summary>The deterministic invitation id of <paramref name="userId"/> on <paramref name="platform"/> in <paramref name="runId"/>.</summary>
    public static string IdFor(string runId, ChatPlatform platform, string userId, string? discriminator = null)
    {
        var key = $"{platform}:{userId}:{discriminator}";
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));
        return $"{runId}-{Convert.ToHexStringLower(hash.AsSpan(0, 6))}";
    }
}
