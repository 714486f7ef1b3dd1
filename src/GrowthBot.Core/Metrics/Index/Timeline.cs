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

    public void Add(TPoint point)
    {
        if (_count == _points.Length) Array.Resize(ref _points, _count * 2);
        if (_count > 0 && point.Moment < _points[_count - 1].Moment) _unsorted = true;
        _points[_count++] = point;
    }

    /// <summary>Marks one occurrence of <paramref name="point"/> for removal at the next <see cref="Seal"/>.</summary>
    public void Remove(TPoint point) => _removals[point] = _removals.GetValueOrDefault(point) + 1;

    /// <summary>Restores moment order and applies removals.</summary>
    public void Seal()
    {
        var appendedFrom = _unsorted || _removals.Count > 0 ? -1 : _sealedCount;
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
            while (fresh >= 0)
            {
                _points[target--] = old >= 0 && _points[old].Moment > tail[fresh].Moment ? _points[old--] : tail[fresh--];
            }
            _unsorted = false;
        }
        LastSealAppendedFrom = appendedFrom;
        _sealedCount = _count;
        if (_removals.Count == 0) return;
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            var point = _points[i];
            if (_removals.TryGetValue(point, out var pending) && pending > 0)
            {
                _removals[point] = pending - 1;
                continue;
            }
            _points[kept++] = point;
        }
        Array.Clear(_points, kept, _count - kept);
        _count = kept;
        _sealedCount = kept;
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

    private int LowerBound(int moment)
    {
        int low = 0, high = _count;
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
