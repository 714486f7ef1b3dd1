using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.FollowUps;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// Follow-up cases in the same LiteDB file as everything else, one document per case keyed by its
/// id (customer and day), with indexes on when it was opened and resolved. The store is this
/// process's alone (the exclusive file lock), so every read-then-write (open, claim, post, resolve)
/// is atomic under one in-process lock: two presses at once end with one owner.
/// </summary>
public sealed class LiteFollowUpStore : IFollowUpStore
{
    internal const string CasesCollection = "followup_cases";

    private readonly ILiteCollection<BsonDocument> _cases;
    private readonly Lock _gate = new();

    public LiteFollowUpStore(LiteGrowthStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _cases = store.Database.GetCollection(CasesCollection);
        _cases.EnsureIndex("opened");
        _cases.EnsureIndex("resolved");
        _cases.EnsureIndex("post");
    }

    public (bool Opened, FollowUpCase Case) Open(FollowUpCase followUp)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        lock (_gate)
        {
            if (_cases.FindById(followUp.Id) is { } document)
            {
                // The same customer answered unhappily again that day; a replayed answer is not counted twice.
                var existing = ToCase(document);
                var later = document.TryGetValue("later_ids", out var ids) && ids.IsArray ? ids.AsArray : [];
                if (string.Equals(existing.ResponseId, followUp.ResponseId, StringComparison.Ordinal))
                {
                    // The answer that opened the case, written again: with the comment the customer added after their score, say.
                    if (followUp.Comment is null || string.Equals(followUp.Comment, existing.Comment, StringComparison.Ordinal)) return (false, existing);
                    var commented = FollowUpCase.WithNewComment(existing, followUp.Comment);
                    Update(commented);
                    return (false, commented);
                }
                if (later.Any(id => id.AsString == followUp.ResponseId)) return (false, existing);
                later.Add(followUp.ResponseId);
                var counted = existing with { LaterAnswers = later.Count };
                var updated = ToDocument(counted);
                updated["later_ids"] = later;
                _cases.Update(updated);
                return (false, counted);
            }
            _cases.Insert(ToDocument(followUp));
            return (true, followUp);
        }
    }

    public FollowUpCase? Find(string id) => _cases.FindById(id) is { } document ? ToCase(document) : null;

    public IReadOnlyList<FollowUpCase> Unposted() =>
        _cases.Find(Query.In("post", FollowUpPostState.Pending.ToString(), FollowUpPostState.Sending.ToString()))
            .Select(ToCase).OrderBy(followUp => followUp.OpenedAt).ToList();

    public FollowUpCase? TryStartPosting(string id, string owner, DateTimeOffset now, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(owner);
        lock (_gate)
        {
            if (Find(id) is not { } followUp || !followUp.CanStartPosting(owner, now, lease)) return null;
            var claimed = followUp.StartPosting(owner, now);
            Update(claimed);
            return claimed;
        }
    }

    public FollowUpCase? FinishPosting(string id, string owner, FollowUpPostState state, string? messageId, string? problem)
    {
        ArgumentNullException.ThrowIfNull(owner);
        lock (_gate)
        {
            if (Find(id)?.FinishPosting(owner, state, messageId, problem) is not { } finished) return null;
            Update(finished);
            return finished;
        }
    }

    public ClaimResult TryClaim(string id, string userId, string? userName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(userId);
        lock (_gate)
        {
            if (Find(id) is not { } followUp) return new ClaimResult(ClaimOutcome.Unknown, null);
            if (followUp.IsResolved) return new ClaimResult(ClaimOutcome.Resolved, followUp);
            if (followUp.ClaimedBy is { } owner)
            {
                return new ClaimResult(string.Equals(owner, userId, StringComparison.Ordinal) ? ClaimOutcome.AlreadyYours : ClaimOutcome.TakenByOther, followUp);
            }
            var claimed = followUp.OwingRedrawIfInFlight() with { ClaimedBy = userId, ClaimedByName = userName, ClaimedAt = now };
            Update(claimed);
            return new ClaimResult(ClaimOutcome.Claimed, claimed);
        }
    }

    public FollowUpCase? Resolve(string id, string userId, string? userName, string outcome, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(outcome);
        lock (_gate)
        {
            if (Find(id) is not { } followUp || followUp.IsResolved) return null;
            var resolved = followUp.OwingRedrawIfInFlight() with
            {
                ClaimedBy = followUp.ClaimedBy ?? userId,
                ClaimedByName = followUp.ClaimedBy is null ? userName : followUp.ClaimedByName,
                ClaimedAt = followUp.ClaimedAt ?? now,
                Outcome = outcome,
                ResolvedBy = userId,
                ResolvedByName = userName,
                ResolvedAt = now,
            };
            Update(resolved);
            return resolved;
        }
    }

    public IReadOnlyList<FollowUpCase> Open() =>
        _cases.Find(Query.EQ("resolved", BsonValue.Null)).Select(ToCase).OrderBy(followUp => followUp.OpenedAt).ToList();

    public IReadOnlyList<FollowUpCase> Touched(DateTimeOffset start, DateTimeOffset until)
    {
        var (from, to) = (start.UtcDateTime, until.UtcDateTime);
        var opened = _cases.Find(Query.And(Query.GTE("opened", from), Query.LT("opened", to)));
        var resolved = _cases.Find(Query.And(Query.GTE("resolved", from), Query.LT("resolved", to)));
        return opened.Concat(resolved).Select(ToCase).DistinctBy(followUp => followUp.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every case with the ids of the later answers counted on it, oldest first (for <c>growthbot migrate</c>).</summary>
    public IReadOnlyList<(FollowUpCase Case, IReadOnlyList<string> LaterAnswerIds)> Export() =>
        _cases.FindAll()
            .Select(document => (ToCase(document), (IReadOnlyList<string>)(document.TryGetValue("later_ids", out var ids) && ids.IsArray ? ids.AsArray.Select(id => id.AsString).ToList() : [])))
            .OrderBy(row => row.Item1.OpenedAt).ThenBy(row => row.Item1.Id, StringComparer.Ordinal).ToList();

    /// <summary>Writes a case back, keeping the ids of the later answers counted on it.</summary>
    private void Update(FollowUpCase followUp)
    {
        var document = ToDocument(followUp);
        if (_cases.FindById(followUp.Id) is { } stored && stored.TryGetValue("later_ids", out var ids)) document["later_ids"] = ids;
        _cases.Update(document);
    }

    private static BsonDocument ToDocument(FollowUpCase followUp) => new()
    {
        ["_id"] = followUp.Id,
        ["customer"] = followUp.CustomerId,
        ["day"] = followUp.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["survey"] = followUp.Survey.ToString(),
        ["score"] = followUp.Score,
        ["comment"] = Text(followUp.Comment),
        ["response"] = followUp.ResponseId,
        ["answered"] = followUp.AnsweredAt.UtcDateTime,
        ["opened"] = followUp.OpenedAt.UtcDateTime,
        ["platform"] = followUp.Destination.Platform.ToString(),
        ["conversation"] = followUp.Destination.ConversationId,
        ["workspace"] = Text(followUp.Destination.Workspace),
        ["post"] = followUp.PostState.ToString(),
        ["post_owner"] = Text(followUp.PostOwner),
        ["post_attempts"] = followUp.PostAttempts,
        ["message"] = Text(followUp.MessageId),
        ["post_error"] = Text(followUp.PostError),
        ["claimed_by"] = Text(followUp.ClaimedBy),
        ["claimed_by_name"] = Text(followUp.ClaimedByName),
        ["claimed"] = followUp.ClaimedAt is { } claimed ? new BsonValue(claimed.UtcDateTime) : BsonValue.Null,
        ["outcome"] = Text(followUp.Outcome),
        ["resolved_by"] = Text(followUp.ResolvedBy),
        ["resolved_by_name"] = Text(followUp.ResolvedByName),
        ["resolved"] = followUp.ResolvedAt is { } resolved ? new BsonValue(resolved.UtcDateTime) : BsonValue.Null,
        ["later"] = followUp.LaterAnswers,
        ["post_claimed"] = followUp.PostClaimedAt is { } postClaimed ? new BsonValue(postClaimed.UtcDateTime) : BsonValue.Null,
        ["redraw_owed"] = followUp.RedrawOwed,
    };

    private static FollowUpCase ToCase(BsonDocument document) => new(
        document["_id"].AsString,
        document["customer"].AsString,
        DateOnly.ParseExact(document["day"].AsString, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        Enum.Parse<SurveyKind>(document["survey"].AsString),
        document["score"].AsInt32,
        OptionalText(document["comment"]),
        document["response"].AsString,
        Utc(document["answered"]),
        Utc(document["opened"]),
        new ChatAddress(Enum.Parse<ChatPlatform>(document["platform"].AsString), document["conversation"].AsString, OptionalText(document["workspace"])),
        Enum.Parse<FollowUpPostState>(document["post"].AsString),
        OptionalText(document["post_owner"]),
        document["post_attempts"].AsInt32,
        OptionalText(document["message"]),
        OptionalText(document["post_error"]),
        OptionalText(document["claimed_by"]),
        OptionalText(document["claimed_by_name"]),
        document["claimed"].IsNull ? null : Utc(document["claimed"]),
        OptionalText(document["outcome"]),
        OptionalText(document["resolved_by"]),
        OptionalText(document["resolved_by_name"]),
        document["resolved"].IsNull ? null : Utc(document["resolved"]),
        document["later"].AsInt32,
        // Both written since the post lease: a case stored by an older build has neither.
        document.TryGetValue("post_claimed", out var postClaimed) && !postClaimed.IsNull ? Utc(postClaimed) : null,
        document.TryGetValue("redraw_owed", out var redraw) && redraw.IsBoolean && redraw.AsBoolean);

    private static BsonValue Text(string? value) => value is null ? BsonValue.Null : new BsonValue(value);

    private static string? OptionalText(BsonValue value) => value.IsString ? value.AsString : null;

    private static DateTimeOffset Utc(BsonValue value) => new(DateTime.SpecifyKind(value.AsDateTime, DateTimeKind.Utc));
}
