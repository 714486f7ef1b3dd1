namespace GrowthBot.Core.Metrics.Index;

/// <summary>A point of a <see cref="Timeline{TKey, TPoint}"/>: something that happened at a moment.</summary>
internal interface ITimed
{
    int Moment { get; }
}

/// <summary>
/// Keyed points kept sorted by moment, so a period is a binary search and a contiguous span.
/// Writing an existing key replaces its point (re-imports change nothing). Points that arrive in
/// time order (live survey answers) are appended in O(1); anything else marks the timeline for a
/// re-sort, done once per batch by <see cref="Seal"/>. Not thread-safe: the engine guards it.
/// </summary>
internal sealed class Timeline<TKey, TPoint>
    where TKey : notnull
    where TPoint : struct, ITimed
{
    private readonly Dictionary<TKey, int> _slotOfKey;
    private TKey[] _keys = new TKey[16];
    private TPoint[] _points = new TPoint[16];
    private int _count;
    private bool _unsorted;

    public Timeline(IEqualityComparer<TKey>? comparer = null) => _slotOfKey = new Dictionary<TKey, int>(comparer);

    public int Count => _count;

    /// <summary>Adds or replaces the point with this key; returns false if an identical point was already there.</summary>
    public bool Upsert(TKey key, TPoint point)
    {
        if (_slotOfKey.TryGetValue(key, out var slot))
        {
            if (EqualityComparer<TPoint>.Default.Equals(_points[slot], point)) return false;
            if (_points[slot].Moment != point.Moment) _unsorted = true;
            _points[slot] = point;
            return true;
        }
        if (_count == _points.Length)
        {
            Array.Resize(ref _points, _count * 2);
            Array.Resize(ref _keys, _count * 2);
        }
        if (_count > 0 && point.Moment < _points[_count - 1].Moment) _unsorted = true;
        _points[_count] = point;
        _keys[_count] = key;
        _slotOfKey[key] = _count++;
        return true;
    }

    /// <summary>Restores moment order after out-of-order writes.</summary>
    public void Seal()
    {
        if (!_unsorted) return;
        var moments = new int[_count];
        for (var i = 0; i < _count; i++) moments[i] = _points[i].Moment;
        var order = new int[_count];
        for (var i = 0; i < _count; i++) order[i] = i;
        Array.Sort(moments, order);
        var points = new TPoint[_points.Length];
        var keys = new TKey[_keys.Length];
        for (var slot = 0; slot < _count; slot++)
        {
            points[slot] = _points[order[slot]];
            keys[slot] = _keys[order[slot]];
            _slotOfKey[keys[slot]] = slot;
        }
        _points = points;
        _keys = keys;
        _unsorted = false;
    }

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
