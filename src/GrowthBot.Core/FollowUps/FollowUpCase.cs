using System.Security.Cryptography;
using System.Text;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;

namespace GrowthBot.Core.FollowUps;

/// <summary>Where a case's post to the owning team stands.</summary>
public enum FollowUpPostState
{
    /// <summary>Opened, not posted yet (or the last try failed in a way worth trying again).</summary>
    Pending,

    /// <summary>Claimed by a process that is posting it (or was, when it stopped).</summary>
    Sending,

    /// <summary>Posted; <see cref="FollowUpCase.MessageId"/> is the platform's id.</summary>
    Posted,

    /// <summary>The platform refused it in a way trying again cannot fix (channel gone, bot removed); logged.</summary>
    Abandoned,
}

/// <summary>
/// An unhappy survey answer routed to a team to follow up: one per customer per day in the company's
/// zone (<see cref="Id"/> is derived from both, so a second answer that day finds the first case).
/// It carries the answer that opened it, where it is posted, who claimed it and how it was resolved.
/// <see cref="PostOwner"/> is the process run posting it, so a post left <see cref="FollowUpPostState.Sending"/>
/// by a run that died can be told from one in flight (the digests' delivery log works the same way).
/// </summary>
public sealed record FollowUpCase(
    string Id,
    string CustomerId,
    DateOnly Day,
    SurveyKind Survey,
    int Score,
    string? Comment,
    string ResponseId,
    DateTimeOffset AnsweredAt,
    DateTimeOffset OpenedAt,
    ChatAddress Destination,
    FollowUpPostState PostState = FollowUpPostState.Pending,
    string? PostOwner = null,
    int PostAttempts = 0,
    string? MessageId = null,
    string? PostError = null,
    string? ClaimedBy = null,
    string? ClaimedByName = null,
    DateTimeOffset? ClaimedAt = null,
    string? Outcome = null,
    string? ResolvedBy = null,
    string? ResolvedByName = null,
    DateTimeOffset? ResolvedAt = null,
    int LaterAnswers = 0)
{
    public bool IsResolved => ResolvedAt is not null;

    /// <summary>Who has it, as people read it.</summary>
    public string? ClaimerText => ClaimedBy is null ? null : string.IsNullOrWhiteSpace(ClaimedByName) ? $"<{ClaimedBy}>" : ClaimedByName.Trim();

    /// <summary>Who resolved it, as people read it.</summary>
    public string? ResolverText => ResolvedBy is null ? null : string.IsNullOrWhiteSpace(ResolvedByName) ? $"<{ResolvedBy}>" : ResolvedByName.Trim();

    /// <summary>The case id for a customer's unhappy answers on one day: short, stable, and free of the customer id.</summary>
    public static string IdFor(string customerId, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{day:yyyy-MM-dd}\u001f{customerId}"));
        return "fu-" + Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    /// <summary>
    /// The case with the comment its answer got after the score (the survey asks for it next): a case
    /// already posted goes back to <see cref="FollowUpPostState.Pending"/> with its message id, so the
    /// poster updates the post instead of posting again. One being posted keeps its state (the post in
    /// flight may lack the comment; a claim or resolution redraws it).
    /// </summary>
    public static FollowUpCase WithNewComment(FollowUpCase followUp, string comment)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        return followUp with
        {
            Comment = comment,
            PostState = followUp.PostState == FollowUpPostState.Posted ? FollowUpPostState.Pending : followUp.PostState,
        };
    }

    public PostedMessage? Posted => MessageId is null ? null : new PostedMessage(Destination, MessageId);
}
