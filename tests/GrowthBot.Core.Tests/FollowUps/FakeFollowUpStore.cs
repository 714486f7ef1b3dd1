using GrowthBot.Core.FollowUps;

namespace GrowthBot.Core.Tests.FollowUps;

/// <summary>An in-memory <see cref="IFollowUpStore"/> with the LiteDB store's rules (one lock for every read-then-write).</summary>
internal sealed class FakeFollowUpStore : IFollowUpStore
{
    private readonly Dictionary<string, FollowUpCase> _cases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _answers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public IReadOnlyList<FollowUpCase> All
    {
        get
        {
            lock (_gate) return [.. _cases.Values];
        }
    }

    public (bool Opened, FollowUpCase Case) Open(FollowUpCase followUp)
    {
        lock (_gate)
        {
            if (_cases.TryGetValue(followUp.Id, out var existing))
            {
                if (existing.ResponseId == followUp.ResponseId)
                {
                    if (followUp.Comment is null || followUp.Comment == existing.Comment) return (false, existing);
                    return (false, _cases[followUp.Id] = FollowUpCase.WithNewComment(existing, followUp.Comment));
                }
                if (!_answers[followUp.Id].Add(followUp.ResponseId)) return (false, existing);
                return (false, _cases[followUp.Id] = existing with { LaterAnswers = _answers[followUp.Id].Count - 1 });
            }
            _answers[followUp.Id] = new HashSet<string>(StringComparer.Ordinal) { followUp.ResponseId };
            return (true, _cases[followUp.Id] = followUp);
        }
    }

    public FollowUpCase? Find(string id)
    {
        lock (_gate) return _cases.GetValueOrDefault(id);
    }

    public IReadOnlyList<FollowUpCase> Unposted()
    {
        lock (_gate) return _cases.Values.Where(c => c.PostState is FollowUpPostState.Pending or FollowUpPostState.Sending).OrderBy(c => c.OpenedAt).ToList();
    }

    public FollowUpCase? TryStartPosting(string id, string owner, DateTimeOffset now, TimeSpan lease)
    {
        lock (_gate)
        {
            if (!_cases.TryGetValue(id, out var c) || !c.CanStartPosting(owner, now, lease)) return null;
            return _cases[id] = c.StartPosting(owner, now);
        }
    }

    public FollowUpCase? FinishPosting(string id, string owner, FollowUpPostState state, string? messageId, string? problem)
    {
        lock (_gate)
        {
            if (!_cases.TryGetValue(id, out var c) || c.FinishPosting(owner, state, messageId, problem) is not { } finished) return null;
            return _cases[id] = finished;
        }
    }

    public ClaimResult TryClaim(string id, string userId, string? userName, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_cases.TryGetValue(id, out var c)) return new ClaimResult(ClaimOutcome.Unknown, null);
            if (c.IsResolved) return new ClaimResult(ClaimOutcome.Resolved, c);
            if (c.ClaimedBy is { } owner) return new ClaimResult(owner == userId ? ClaimOutcome.AlreadyYours : ClaimOutcome.TakenByOther, c);
            return new ClaimResult(ClaimOutcome.Claimed, _cases[id] = c.OwingRedrawIfInFlight() with { ClaimedBy = userId, ClaimedByName = userName, ClaimedAt = now });
        }
    }

    public FollowUpCase? Resolve(string id, string userId, string? userName, string outcome, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_cases.TryGetValue(id, out var c) || c.IsResolved) return null;
            return _cases[id] = c.OwingRedrawIfInFlight() with
            {
                ClaimedBy = c.ClaimedBy ?? userId, ClaimedByName = c.ClaimedBy is null ? userName : c.ClaimedByName, ClaimedAt = c.ClaimedAt ?? now,
                Outcome = outcome, ResolvedBy = userId, ResolvedByName = userName, ResolvedAt = now,
            };
        }
    }

    public IReadOnlyList<FollowUpCase> Open()
    {
        lock (_gate) return _cases.Values.Where(c => !c.IsResolved).OrderBy(c => c.OpenedAt).ToList();
    }

    public IReadOnlyList<FollowUpCase> Touched(DateTimeOffset start, DateTimeOffset until)
    {
        lock (_gate)
        {
            return _cases.Values.Where(c => (c.OpenedAt >= start && c.OpenedAt < until) || (c.ResolvedAt is { } at && at >= start && at < until)).ToList();
        }
    }
}
