namespace GrowthBot.Core.Metrics.Index;

/// <summary>
/// Every customer the engine has heard of, by dense index, with the attributes metrics split by.
/// A subscription, order or response for a customer not (yet) in the customers file gets an
/// index too, with segment and channel "(unknown)", and is filled in when the customer arrives.
/// Not thread-safe: the engine guards it.
/// </summary>
internal sealed class CustomerDirectory
{
    public const string Unknown = "(unknown)";
    public const int NoMoment = int.MinValue;

    private readonly Dictionary<string, int> _indexById = new(StringComparer.Ordinal);
    private readonly NameTable _segments = new();
    private readonly NameTable _channels = new();
    private readonly List<int> _segmentOf = [];
    private readonly List<int> _channelOf = [];
    private readonly List<int> _signedUpAt = [];
    private readonly List<int> _activatedAt = [];
    private readonly List<bool> _hasSubscriptions = [];

    public int Count => _segmentOf.Count;
    public NameTable Segments => _segments;
    public NameTable Channels => _channels;

    /// <summary>The index of a customer id, adding an unknown customer if needed.</summary>
    public int IndexOf(string customerId)
    {
        if (_indexById.TryGetValue(customerId, out var index)) return index;
        index = _segmentOf.Count;
        _indexById.Add(customerId, index);
        _segmentOf.Add(_segments.IdOf(Unknown));
        _channelOf.Add(_channels.IdOf(Unknown));
        _signedUpAt.Add(NoMoment);
        _activatedAt.Add(NoMoment);
        _hasSubscriptions.Add(false);
        return index;
    }

    /// <summary>The index of a customer id the directory already knows, without adding one.</summary>
    public bool TryFind(string customerId, out int index) => _indexById.TryGetValue(customerId, out index);

    /// <summary>Notes that the customer has rows in the subscriptions log (their segment and channel place them in the revenue index).</summary>
    public void MarkSubscribed(int customer) => _hasSubscriptions[customer] = true;

    /// <summary>
    /// Records a customer's attributes; returns true if their segment or channel changed while
    /// they have subscription rows, i.e. when the revenue index must move them to another cell.
    /// </summary>
    public bool Set(string customerId, string segment, string channel, int signedUpAt, int activatedAt)
    {
        var index = IndexOf(customerId);
        var segmentId = _segments.IdOf(segment);
        var channelId = _channels.IdOf(channel);
        var moved = _hasSubscriptions[index] && (_segmentOf[index] != segmentId || _channelOf[index] != channelId);
        _segmentOf[index] = segmentId;
        _channelOf[index] = channelId;
        _signedUpAt[index] = signedUpAt;
        _activatedAt[index] = activatedAt;
        return moved;
    }

    public void Write(BinaryWriter writer)
    {
        _segments.Write(writer);
        _channels.Write(writer);
        var ids = new string[_indexById.Count];
        foreach (var (id, index) in _indexById) ids[index] = id;
        SnapshotIO.WriteStrings(writer, ids);
        SnapshotIO.WriteArray<int>(writer, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_segmentOf));
        SnapshotIO.WriteArray<int>(writer, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_channelOf));
        SnapshotIO.WriteArray<int>(writer, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_signedUpAt));
        SnapshotIO.WriteArray<int>(writer, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_activatedAt));
    }

    /// <summary>Fills an empty directory from a snapshot.</summary>
    public void Read(BinaryReader reader)
    {
        if (Count > 0) throw new InvalidOperationException("A snapshot can only be read into an empty directory.");
        _segments.Read(reader);
        _channels.Read(reader);
        var index = 0;
        foreach (var id in SnapshotIO.ReadStrings(reader))
        {
            if (!_indexById.TryAdd(id, index++)) throw new InvalidDataException("The engine snapshot lists a customer id twice.");
        }
        _segmentOf.AddRange(SnapshotIO.ReadArray<int>(reader, out var segments).AsSpan(0, segments));
        _channelOf.AddRange(SnapshotIO.ReadArray<int>(reader, out var channels).AsSpan(0, channels));
        _signedUpAt.AddRange(SnapshotIO.ReadArray<int>(reader, out var signups).AsSpan(0, signups));
        _activatedAt.AddRange(SnapshotIO.ReadArray<int>(reader, out var activations).AsSpan(0, activations));
        _hasSubscriptions.AddRange(Enumerable.Repeat(false, index));
        if (new[] { segments, channels, signups, activations }.Any(length => length != index))
        {
            throw new InvalidDataException("The engine snapshot's customer columns differ in length.");
        }
        if (_segmentOf.Any(segment => (uint)segment >= (uint)_segments.Count) || _channelOf.Any(channel => (uint)channel >= (uint)_channels.Count))
        {
            throw new InvalidDataException("The engine snapshot names a segment or channel it does not list.");
        }
    }

    /// <summary>A copy of every customer's segment and channel, for a revenue index built on another thread while the directory keeps growing.</summary>
    public CellKeys CopyCellKeys() => new([.. _segmentOf], [.. _channelOf]);

    public int SegmentOf(int customer) => _segmentOf[customer];
    public int ChannelOf(int customer) => _channelOf[customer];
    public int SignedUpAt(int customer) => _signedUpAt[customer];
    public int ActivatedAt(int customer) => _activatedAt[customer];
}

/// <summary>Interns the handful of segment or channel names into small dense ids.</summary>
internal sealed class NameTable
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _names = [];

    public int Count => _names.Count;

    public int IdOf(string name)
    {
        if (_ids.TryGetValue(name, out var id)) return id;
        id = _names.Count;
        _ids.Add(name, id);
        _names.Add(name);
        return id;
    }

    public bool TryGetId(string name, out int id) => _ids.TryGetValue(name, out id);

    public string NameOf(int id) => _names[id];

    public void Write(BinaryWriter writer) => SnapshotIO.WriteStrings(writer, _names);

    public void Read(BinaryReader reader)
    {
        foreach (var name in SnapshotIO.ReadStrings(reader))
        {
            // A repeated name would shift every later id onto another name.
            if (_ids.ContainsKey(name)) throw new InvalidDataException("The engine snapshot lists a segment or channel name twice.");
            IdOf(name);
        }
    }
}

/// <summary>Each customer's segment and channel id by index, as a <see cref="CustomerDirectory"/> had them.</summary>
internal sealed record CellKeys(int[] SegmentOf, int[] ChannelOf)
{
    public int Count => SegmentOf.Length;
}
