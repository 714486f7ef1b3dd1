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
/// <see cref="PostOwner"/> is the process run posting it and <see cref="PostClaimedAt"/> when it claimed the
/// post, so a post left <see cref="FollowUpPostState.Sending"/> by a run (or host) that died is taken over once
/// its lease has run out, while one in flight on another host is left alone (the digests' delivery log works
/// the same way). <see cref="RedrawOwed"/> records that the case changed while its post was in flight, so
/// the post that goes out lacks the change and is redrawn once it is stored.
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
    int LaterAnswers = 0,
    DateTimeOffset? PostClaimedAt = null,
    bool RedrawOwed = false)
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
    /// poster updates the post instead of posting again. One being posted keeps its state and owes a
    /// redraw (<see cref="RedrawOwed"/>): the post in flight was drawn before the comment came.
    /// </summary>
    public static FollowUpCase WithNewComment(FollowUpCase followUp, string comment)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        return followUp.PostState == FollowUpPostState.Posted
            ? followUp with { Comment = comment, PostState = FollowUpPostState.Pending }
            : followUp.OwingRedrawIfInFlight() with { Comment = comment };
    }

    /// <summary>
    /// The case before a change its post shows is applied: one being posted owes a redraw, since the post
    /// in flight was drawn before the change. (A claim or a resolution redraws a posted case itself.)
    /// </summary>
    public FollowUpCase OwingRedrawIfInFlight() => PostState == FollowUpPostState.Sending ? this with { RedrawOwed = true } : this;

    /// <summary>
    /// Whether <paramref name="owner"/> may claim the post at <paramref name="now"/>: the case is pending, or
    /// another owner left it sending at least <paramref name="lease"/> ago (its run or host died mid-post;
    /// a claim recorded without a time, by an older build, counts as lapsed).
    /// </summary>
    public bool CanStartPosting(string owner, DateTimeOffset now, TimeSpan lease) =>
        PostState == FollowUpPostState.Pending
        || (PostState == FollowUpPostState.Sending && !string.Equals(PostOwner, owner, StringComparison.Ordinal)
            && (PostClaimedAt is not { } claimed || now - claimed >= lease));

    /// <summary>The case claimed for posting by <paramref name="owner"/> at <paramref name="now"/>.</summary>
    public FollowUpCase StartPosting(string owner, DateTimeOffset now) =>
        this with { PostState = FollowUpPostState.Sending, PostOwner = owner, PostClaimedAt = now, PostAttempts = PostAttempts + 1 };

    /// <summary>
    /// The case once the post <paramref name="owner"/> claimed ended in <paramref name="state"/>; null when
    /// the claim is no longer that owner's (another took it over after the lease), so nothing is recorded.
    /// A post stored while a redraw was owed goes back to <see cref="FollowUpPostState.Pending"/> with its
    /// message id, so the poster draws the change in place.
    /// </summary>
    public FollowUpCase? FinishPosting(string owner, FollowUpPostState state, string? messageId, string? problem)
    {
        if (PostState != FollowUpPostState.Sending || !string.Equals(PostOwner, owner, StringComparison.Ordinal)) return null;
        var redraw = state == FollowUpPostState.Posted && RedrawOwed;
        return this with
        {
            PostState = redraw ? FollowUpPostState.Pending : state,
            MessageId = messageId ?? MessageId,
            PostError = problem,
            RedrawOwed = false,
        };
    }

    public PostedMessage? Posted => MessageId is null ? null : new PostedMessage(Destination, MessageId);
}
