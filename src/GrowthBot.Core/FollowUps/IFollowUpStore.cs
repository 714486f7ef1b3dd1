namespace GrowthBot.Core.FollowUps;

/// <summary>How a claim ended.</summary>
public enum ClaimOutcome
{
    /// <summary>The presser now has it.</summary>
    Claimed,

    /// <summary>The presser had it already (a double tap, a replayed press): nothing changed.</summary>
    AlreadyYours,

    /// <summary>Someone else has it; <see cref="ClaimResult.Case"/> says who.</summary>
    TakenByOther,

    /// <summary>It was resolved already.</summary>
    Resolved,

    /// <summary>No such case.</summary>
    Unknown,
}

/// <summary>The result of a claim, with the case as it is now.</summary>
public sealed record ClaimResult(ClaimOutcome Outcome, FollowUpCase? Case);

/// <summary>
/// The durable record of follow-up cases (the closed loop). Every change is one atomic step in the
/// store, so two presses at once end with one owner and a restart loses no case and posts none twice
/// (see <see cref="TryStartPosting"/>). Implemented by <c>LiteFollowUpStore</c> and <c>PostgresFollowUpStore</c>.
/// </summary>
public interface IFollowUpStore
{
    /// <summary>
    /// Opens <paramref name="followUp"/> unless a case with its id exists (the customer answered unhappily
    /// earlier that day): then that case only counts one more answer, and it is returned with false. The
    /// answer that opened it, written again with a comment, gives the case that comment
    /// (<see cref="FollowUpCase.WithNewComment"/>).
    /// </summary>
    (bool Opened, FollowUpCase Case) Open(FollowUpCase followUp);

    FollowUpCase? Find(string id);

    /// <summary>Cases not posted yet: <see cref="FollowUpPostState.Pending"/> or left <see cref="FollowUpPostState.Sending"/>.</summary>
    IReadOnlyList<FollowUpCase> Unposted();

    /// <summary>
    /// Claims the posting of a case for <paramref name="owner"/> (this process run) at <paramref name="now"/>,
    /// in one atomic step: granted when it is pending, or left sending by another owner at least
    /// <paramref name="lease"/> ago (a run or host that stopped mid-post; one younger is a post in flight on
    /// another host, and is left to it); null otherwise (<see cref="FollowUpCase.CanStartPosting"/>).
    /// </summary>
    FollowUpCase? TryStartPosting(string id, string owner, DateTimeOffset now, TimeSpan lease);

    /// <summary>
    /// Records how a post <paramref name="owner"/> claimed with <see cref="TryStartPosting"/> ended, in one
    /// atomic step (<see cref="FollowUpCase.FinishPosting"/>): a post stored while a change was owed a redraw
    /// leaves the case pending, with its message id, for the poster to redraw. Returns the case as stored,
    /// or null when it is unknown or the claim is no longer <paramref name="owner"/>'s (nothing is written).
    /// </summary>
    FollowUpCase? FinishPosting(string id, string owner, FollowUpPostState state, string? messageId, string? problem);

    /// <summary>Gives the case to <paramref name="userId"/> unless someone has it or it is resolved; atomic.</summary>
    ClaimResult TryClaim(string id, string userId, string? userName, DateTimeOffset now);

    /// <summary>Resolves an open case with its outcome (claiming it for the resolver if nobody had); null if unknown or already resolved.</summary>
    FollowUpCase? Resolve(string id, string userId, string? userName, string outcome, DateTimeOffset now);

    /// <summary>Cases not resolved, oldest first.</summary>
    IReadOnlyList<FollowUpCase> Open();

    /// <summary>Cases opened in [start, until) or resolved in [start, until).</summary>
    IReadOnlyList<FollowUpCase> Touched(DateTimeOffset start, DateTimeOffset until);
}
