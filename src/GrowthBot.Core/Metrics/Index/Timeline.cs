namespace GrowthBot.Core.Metrics.Index;

/// <summary>A point of a <see cref="Timeline{TPoint}"/>: something that happened at a moment.</summary>
internal interface ITimed
{
    int Moment { get; }
}

/// <summary>
/// Points kept sorted by moment, so a period is a binary search and a contiguous span. It holds
/// no ids: the store says which rows are new and which versions they replaced, and a replaced
/// point is removed by value (identical points are interchangeable). Points that arrive in time
/// order (live survey answers) are appended in O(1); anything else is sorted once per batch and
/// merged into the sorted points by <see cref="Seal"/>, which also drops the removed points in one pass. Not thread-safe: the
/// engine guards it.
/// </summary>
internal sealed class Timeline<TPoint>
    where TPoint : unmanaged, ITimed, IEquatable<TPoint>
{
    private TPoint[] _points = new TPoint[16];
    private readonly Dictionary<TPoint, int> _removals = [];
    private int _count;
    private int _sealedCount;
    private bool _unsorted;

    public int Count => _count;

    /// <summary>
    /// After <see cref="Seal"/>: where the points it added start, if it only appended points at
    /// the end (nothing removed, nothing placed before an earlier point); else −1.
    /// </summary>
    public int LastSealAppendedFrom { get; private set; } = -1;

    /// <summary>
    /// After <see cref="Seal"/>: if it only added points (nothing removed), the first position
    /// whose point is not the one it held before (the points before it are unchanged); else −1.
    /// </summary>
    public int LastSealInsertedFrom { get; private set; } = -1;

    public void Add(TPoint point)
    {
        if (_count == _points.Length) Array.Resize(ref _points, _count * 2);
        if (_count > 0 && point.Moment < _points[_count - 1].Moment) _unsorted = true;
        _points[_count++] = point;
    }

    /// <summary>Marks one occurrence of <paramref name="point"/> for removal at the next <see cref="Seal"/>.</summary>
    public void Remove(TPoint point) => _removals[point] = _removals.GetValueOrDefault(point) + 1;

    /// <summary>
    /// Restores moment order and applies removals. A removal of a point added since the last seal
    /// (a row written again as it was: a Stripe <c>customer.updated</c> re-adds the same sign-up)
    /// cancels against it; the others are found by binary search on their moment and the gaps
    /// closed with block moves, so a webhook's batch costs O(changes · log n) plus one move of the
    /// points behind the first removal, not a hash lookup per point of millions (that pass was a
    /// tenth of the host's CPU at 1,000 Stripe events/s, all of it under the engine's write lock).
    /// A removal of many points at once (an import) still takes one pass.
    /// </summary>
    public void Seal()
    {
        if (_removals.Count > 0) CancelAgainstAdded();
        var appendedFrom = _unsorted || _removals.Count > 0 ? -1 : _sealedCount;
        var insertedFrom = _removals.Count > 0 ? -1 : _sealedCount;
        if (_removals.Count > 0) RemoveFromSealed();
        if (_unsorted)
        {
            // The points up to _sealedCount are in order: sort only the new ones and merge them in
            // from the end, so a webhook's one late point costs a move, not a sort of millions.
            var added = _count - _sealedCount;
            var tail = _points.AsSpan(_sealedCount, added).ToArray();
            var moments = new int[added];
            for (var i = 0; i < added; i++) moments[i] = tail[i].Moment;
            Array.Sort(moments, tail);
            int old = _sealedCount - 1, fresh = added - 1, target = _count - 1;
            // An added point goes after the points already there at its moment.
            while (fresh >= 0)
            {
                _points[target--] = old >= 0 && _points[old].Moment > tail[fresh].Moment ? _points[old--] : tail[fresh--];
            }
            if (insertedFrom >= 0) insertedFrom = target + 1;
            _unsorted = false;
        }
        LastSealAppendedFrom = appendedFrom;
        LastSealInsertedFrom = insertedFrom;
        _sealedCount = _count;
    }

    /// <summary>Drops, for each pending removal, a point added since the last seal that equals it (one each: points are a multiset).</summary>
    private void CancelAgainstAdded()
    {
        var kept = _sealedCount;
        for (var i = _sealedCount; i < _count; i++)
        {
            var point = _points[i];
            if (_removals.TryGetValue(point, out var pending))
            {
                if (pending == 1) _removals.Remove(point);
                else _removals[point] = pending - 1;
                continue;
            }
            _points[kept++] = point;
        }
        if (kept == _count) return;
        Array.Clear(_points, kept, _count - kept);
        _count = kept;
        // Whether what is left of the added points is still in order after the sealed ones.
        _unsorted = false;
        for (var i = Math.Max(_sealedCount, 1); i < _count; i++)
        {
            if (_points[i].Moment < _points[i - 1].Moment)
            {
                _unsorted = true;
                break;
            }
        }
    }

    /// <summary>Takes the pending removals out of the sealed points (the added ones behind them move along).</summary>
    private void RemoveFromSealed()
    {
        var wanted = 0;
        foreach (var pending in _removals.Values) wanted += pending;
        if (wanted > Math.Max(64, _sealedCount / 64))
        {
            RemoveInOnePass();
            return;
        }
        var positions = new List<int>(wanted);
        foreach (var (point, pending) in _removals)
        {
            var left = pending;
            for (var i = LowerBound(point.Moment, _sealedCount); left > 0 && i < _sealedCount && _points[i].Moment == point.Moment; i++)
            {
                // Distinct points never share a position, so nothing is taken twice.
                if (!_points[i].Equals(point)) continue;
                positions.Add(i);
                left--;
            }
        }
        _removals.Clear();
        if (positions.Count == 0) return;
        positions.Sort();
        var kept = positions[0];
        for (var k = 0; k < positions.Count; k++)
        {
            var from = positions[k] + 1;
            var to = k + 1 < positions.Count ? positions[k + 1] : _count;
            Array.Copy(_points, from, _points, kept, to - from);
            kept += to - from;
        }
        Array.Clear(_points, kept, _count - kept);
        _count = kept;
        _sealedCount -= positions.Count;
    }

    /// <summary>The removal pass for many points at once: one look-up per point.</summary>
    private void RemoveInOnePass()
    {
        var kept = 0;
        var removedSealed = 0;
        for (var i = 0; i < _count; i++)
        {
            var point = _points[i];
            if (_removals.TryGetValue(point, out var pending) && pending > 0)
            {
                _removals[point] = pending - 1;
                if (i < _sealedCount) removedSealed++;
                continue;
            }
            _points[kept++] = point;
        }
        Array.Clear(_points, kept, _count - kept);
        _count = kept;
        _sealedCount -= removedSealed;
        _removals.Clear();
    }

    /// <summary>Writes the (sealed) points to an engine snapshot.</summary>
    public void Write(BinaryWriter writer) => SnapshotIO.WriteArray<TPoint>(writer, _points.AsSpan(0, _count));

    /// <summary>Replaces the points with those of a snapshot (written sealed).</summary>
    public void Read(BinaryReader reader)
    {
        _points = SnapshotIO.ReadArray<TPoint>(reader, out _count, minimumCapacity: 16);
        _sealedCount = _count;
        LastSealAppendedFrom = -1;
        LastSealInsertedFrom = -1;
        _unsorted = false;
        _removals.Clear();
    }

    /// <summary>The moment of the newest point before <paramref name="below"/>, or null with none. Only valid while sealed.</summary>
    public int? LastMoment(int below = int.MaxValue)
    {
        var last = LowerBound(below) - 1;
        return last >= 0 ? _points[last].Moment : null;
    }

    /// <summary>The index in <see cref="All"/> of the first point at or after <paramref name="moment"/> (where <see cref="Range"/> starts).</summary>
    public int IndexAt(int moment) => LowerBound(moment);

    /// <summary>Every point, in moment order. Only valid while sealed.</summary>
    public ReadOnlySpan<TPoint> All => _points.AsSpan(0, _count);

    /// <summary>The points with from ≤ moment &lt; to. Only valid while sealed.</summary>
    public ReadOnlySpan<TPoint> Range(int from, int to)
    {
        var first = LowerBound(from);
        var last = LowerBound(to);
        return last > first ? _points.AsSpan(first, last - first) : [];
    }

    private int LowerBound(int moment) => LowerBound(moment, _count);

    private int LowerBound(int moment, int count)
    {
        int low = 0, high = count;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (_points[middle].Moment < moment) low = middle + 1;
            else high = middle;
        }
        return low;
    }
}

/// <summary>A survey answer: when, who, which survey, what score.</summary>
internal readonly record struct ResponsePoint(int Moment, int Customer, byte Survey, byte Score) : ITimed;

/// <summary>An order: when and who.</summary>
internal readonly record struct OrderPoint(int Moment, int Customer) : ITimed;

/// <summary>A ticket at its resolution moment (unresolved tickets sit at int.MaxValue, outside every period).</summary>
internal readonly record struct TicketPoint(int Moment, int Customer, bool FirstContact) : ITimed;

/// <summary>Acquisition spend on a day for a channel.</summary>
internal readonly record struct SpendPoint(int Moment, int Channel, long Amount) : ITimed;

/// <summary>A sign-up.</summary>
internal readonly record struct SignupPoint(int Moment, int Customer) : ITimed;
