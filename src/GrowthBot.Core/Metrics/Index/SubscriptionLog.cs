namespace GrowthBot.Core.Metrics.Index;

/// <summary>
/// Every subscriptions-log row the engine has seen, in arrival order, in compact columns. A row
/// for a (customer, moment) already present replaces it: the later arrival wins, decided when
/// the index is rebuilt (<see cref="RevenueIndexBuilder"/>), which also compacts the log and
/// sorts it by (customer, moment). Rows that arrive after that are appended behind the sorted
/// part (<see cref="SortedCount"/>), which is exactly what the index was built from.
/// </summary>
internal sealed class SubscriptionLog
{
    public int[] Customers { get; private set; } = new int[1024];
    public int[] Moments { get; private set; } = new int[1024];
    public long[] Mrr { get; private set; } = new long[1024];
    public int Count { get; private set; }

    /// <summary>How many leading rows are deduplicated and sorted by (customer, moment): the rows the current index was built from.</summary>
    public int SortedCount { get; private set; }

    /// <summary>Notes that all rows are now deduplicated and sorted (the builder has just compacted them).</summary>
    public void MarkSorted() => SortedCount = Count;

    /// <summary>Notes that the first <paramref name="count"/> rows are deduplicated and sorted (a rebuild beside the writer built from them; later rows came meanwhile).</summary>
    public void MarkSorted(int count) => SortedCount = Math.Min(count, Count);

    /// <summary>Where <paramref name="customer"/>'s rows are in the sorted part: [start, end).</summary>
    public (int Start, int End) SortedRowsOf(int customer)
    {
        int low = 0, high = SortedCount;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (Customers[middle] < customer) low = middle + 1;
            else high = middle;
        }
        var end = low;
        while (end < SortedCount && Customers[end] == customer) end++;
        return (low, end);
    }

    public void Add(int customer, int moment, long mrr)
    {
        if (Count == Customers.Length) Grow();
        Customers[Count] = customer;
        Moments[Count] = moment;
        Mrr[Count] = mrr;
        Count++;
    }

    /// <summary>Replaces the contents with already deduplicated rows.</summary>
    public void Reset(int[] customers, int[] moments, long[] mrr, int count)
    {
        Customers = customers;
        Moments = moments;
        Mrr = mrr;
        Count = count;
        SortedCount = Math.Min(SortedCount, count);
    }

    public void Write(BinaryWriter writer)
    {
        SnapshotIO.WriteArray<int>(writer, Customers.AsSpan(0, Count));
        SnapshotIO.WriteArray<int>(writer, Moments.AsSpan(0, Count));
        SnapshotIO.WriteArray<long>(writer, Mrr.AsSpan(0, Count));
    }

    /// <summary>Reads the log; <paramref name="directory"/> learns which customers have subscription rows.</summary>
    public void Read(BinaryReader reader, CustomerDirectory directory)
    {
        var customers = SnapshotIO.ReadArray<int>(reader, out var count, 1024);
        var moments = SnapshotIO.ReadArray<int>(reader, out var momentCount, 1024);
        var mrr = SnapshotIO.ReadArray<long>(reader, out var mrrCount, 1024);
        if (momentCount != count || mrrCount != count) throw new InvalidDataException("The engine snapshot's subscription columns differ in length.");
        for (var i = 0; i < count; i++)
        {
            if ((uint)customers[i] >= (uint)directory.Count) throw new InvalidDataException("The engine snapshot's subscriptions name a customer it does not list.");
        }
        Reset(customers, moments, mrr, count);
        SortedCount = 0;
        for (var i = 0; i < count; i++) directory.MarkSubscribed(customers[i]);
    }

    private void Grow()
    {
        var size = Customers.Length * 2;
        Customers = Resize(Customers, size);
        Moments = Resize(Moments, size);
        Mrr = Resize(Mrr, size);
    }

    private static T[] Resize<T>(T[] array, int size)
    {
        var larger = GC.AllocateUninitializedArray<T>(size);
        Array.Copy(array, larger, array.Length);
        return larger;
    }
}
