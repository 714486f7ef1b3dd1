using GrowthBot.Core.Data;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Metrics.Index;

/// <summary>
/// Running tallies of the survey answers' scores, every <see cref="Block"/> answers along the
/// response timeline, so the company-wide NPS, CSAT or CES of a period costs two partial blocks
/// instead of a scan of every answer in it. At 1M customers a quarter holds about 100,000
/// answers: scanning them (twice, with the previous period) cost about 5.7 ms of CPU per NPS
/// question while webhooks flowed in, the slowest question of the mix (bench/README.md, session 13).
/// Kept current under the engine's write lock after each seal: points added behind the old ones
/// (live answers) redo the last block only; a removal, or another timeline, redoes all of it.
/// </summary>
internal sealed class ResponseTallies
{
    /// <summary>Answers between two running tallies: a query scans at most two blocks' worth.</summary>
    public const int Block = 1024;

    // Every kind gets the widest scale's slots (NPS, 0-10); the kinds are SurveyKind's values.
    private const int ScoreSlots = SurveyFormulas.NpsMax + 1;
    private const int Kinds = 3;
    private const int Slots = Kinds * ScoreSlots;

    // Checkpoint b (slots b*Slots..) holds the tallies of the points before position b*Block.
    private long[] _checkpoints = new long[Slots];
    private int _validCheckpoints = 1;
    private Timeline<ResponsePoint>? _source;

    /// <summary>Brings the checkpoints up to date with <paramref name="timeline"/> just after its <see cref="Timeline{TPoint}.Seal"/>.</summary>
    public void Refresh(Timeline<ResponsePoint> timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        if (!ReferenceEquals(timeline, _source))
        {
            _source = timeline;
            _validCheckpoints = 1;
        }
        else if (timeline.LastSealInsertedFrom < 0)
        {
            _validCheckpoints = 1;
        }
        else
        {
            // Checkpoint b covers positions before b*Block: it stands if nothing changed before it.
            _validCheckpoints = Math.Min(_validCheckpoints, timeline.LastSealInsertedFrom / Block + 1);
        }

        var points = timeline.All;
        var needed = points.Length / Block + 1;
        if (_checkpoints.Length < needed * Slots) Array.Resize(ref _checkpoints, Math.Max(needed, _checkpoints.Length / Slots * 2) * Slots);
        for (var b = _validCheckpoints; b < needed; b++)
        {
            var into = _checkpoints.AsSpan(b * Slots, Slots);
            _checkpoints.AsSpan((b - 1) * Slots, Slots).CopyTo(into);
            Count(points.Slice((b - 1) * Block, Block), into, 1);
        }
        _validCheckpoints = needed;
    }

    /// <summary>Adds the scores of the points at positions first ≤ i &lt; last of the timeline last refreshed into <paramref name="facts"/>.</summary>
    public void AddRange(int first, int last, GroupFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (last <= first || _source is null) return;
        Span<long> slots = stackalloc long[Slots];
        var points = _source.All;
        Before(points, last, slots, 1);
        Before(points, first, slots, -1);
        for (var kind = 0; kind < Kinds; kind++) AddTo(slots.Slice(kind * ScoreSlots, ScoreSlots), facts.TallyOf((SurveyKind)kind));
    }

    /// <summary>Adds (sign 1) or takes away (−1) the tallies of every point before <paramref name="position"/>.</summary>
    private void Before(ReadOnlySpan<ResponsePoint> points, int position, Span<long> slots, int sign)
    {
        var block = position / Block;
        var checkpoint = _checkpoints.AsSpan(block * Slots, Slots);
        for (var i = 0; i < Slots; i++) slots[i] += sign * checkpoint[i];
        Count(points[(block * Block)..position], slots, sign);
    }

    private static void Count(ReadOnlySpan<ResponsePoint> points, Span<long> slots, int sign)
    {
        foreach (var point in points)
        {
            // The scan this replaces skipped scores outside a kind's scale the same way (the tally ignores them).
            if (point.Survey < Kinds && point.Score < ScoreSlots) slots[(point.Survey * ScoreSlots) + point.Score] += sign;
        }
    }

    private static void AddTo(ReadOnlySpan<long> slots, long[] tally)
    {
        for (var score = 0; score < tally.Length; score++) tally[score] += slots[score];
    }
}
