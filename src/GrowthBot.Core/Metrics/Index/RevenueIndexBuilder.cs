using GrowthBot.Formulas;

namespace GrowthBot.Core.Metrics.Index;

/// <summary>Builds a <see cref="RevenueIndex"/> from the subscriptions log and the customer directory.</summary>
internal static class RevenueIndexBuilder
{
    /// <summary>
    /// Deduplicates the log in place (the latest arrival for a (customer, moment) wins), derives
    /// each movement's kind and neighbours per customer, then lays the movements out by cell and
    /// moment with running totals.
    /// </summary>
    public static RevenueIndex Build(SubscriptionLog log, CustomerDirectory directory) => Build(log, directory.CopyCellKeys());

    /// <summary>As <see cref="Build(SubscriptionLog, CustomerDirectory)"/>, from a copy of the directory's segments and channels.</summary>
    public static RevenueIndex Build(SubscriptionLog log, CellKeys directory)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(directory);
        if (log.Count == 0) return RevenueIndex.Empty;
        var built = Build(log.Customers, log.Moments, log.Mrr, log.Count, directory);
        log.Reset(built.Customers, built.Moments, built.Mrr, built.Count);
        log.MarkSorted();
        return built.Index;
    }

    /// <summary>
    /// Builds from the first <paramref name="count"/> rows of the log's columns without changing
    /// them (so it can run beside a writer that only appends behind them), with each customer's
    /// segment and channel as copied; returns the index and the deduplicated, sorted rows it was
    /// built from.
    /// </summary>
    public static BuiltRevenue Build(int[] logCustomers, int[] logMoments, long[] logMrr, int count, CellKeys directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var customerCount = directory.Count;
        if (count == 0) return new BuiltRevenue(RevenueIndex.Empty, [], [], [], 0);

        // 1. Order by (customer, moment); equal keys keep the highest arrival number.
        var keys = new long[count];
        var arrival = new int[count];
        for (var i = 0; i < count; i++)
        {
            keys[i] = ((long)logCustomers[i] << 32) | (uint)(logMoments[i] ^ int.MinValue);
            arrival[i] = i;
        }
        Array.Sort(keys, arrival);
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            if (i + 1 < count && keys[i + 1] == keys[i])
            {
                // Carry the latest arrival forward to the last element of the run.
                if (arrival[i] > arrival[i + 1]) arrival[i + 1] = arrival[i];
                continue;
            }
            arrival[kept++] = arrival[i];
        }

        var customers = new int[kept];
        var moments = new int[kept];
        var mrr = new long[kept];
        for (var i = 0; i < kept; i++)
        {
            customers[i] = logCustomers[arrival[i]];
            moments[i] = logMoments[arrival[i]];
            mrr[i] = logMrr[arrival[i]];
        }

        // 2. Cells: one per (segment, channel) pair in use.
        var cellOfPair = new Dictionary<(int, int), int>();
        var cellSegment = new List<int>();
        var cellChannel = new List<int>();
        var cellOf = new int[customerCount];
        Array.Fill(cellOf, -1);
        var cellSizes = new List<int>();
        for (var i = 0; i < kept; i++)
        {
            var customer = customers[i];
            var pair = (directory.SegmentOf[customer], directory.ChannelOf[customer]);
            if (!cellOfPair.TryGetValue(pair, out var cell))
            {
                cell = cellSegment.Count;
                cellOfPair.Add(pair, cell);
                cellSegment.Add(pair.Item1);
                cellChannel.Add(pair.Item2);
                cellSizes.Add(0);
            }
            cellOf[customer] = cell;
            cellSizes[cell]++;
        }
        var cellStart = new int[cellSegment.Count + 1];
        for (var cell = 0; cell < cellSizes.Count; cell++) cellStart[cell + 1] = cellStart[cell] + cellSizes[cell];

        // 3. Placement: sort by (cell, moment); within a customer moments are distinct, so their
        //    movements stay in order.
        var placementKeys = new long[kept];
        var source = new int[kept];
        for (var i = 0; i < kept; i++)
        {
            placementKeys[i] = ((long)cellOf[customers[i]] << 32) | (uint)(moments[i] ^ int.MinValue);
            source[i] = i;
        }
        Array.Sort(placementKeys, source);
        var slotOf = new int[kept];
        for (var slot = 0; slot < kept; slot++) slotOf[source[slot]] = slot;

        var index = new RevenueIndex(customerCount, [.. cellSegment], [.. cellChannel], cellStart, kept) { CellOfCustomer = cellOf };

        // 4. Walk each customer's movements (contiguous in the deduplicated log) to classify them.
        for (var runStart = 0; runStart < kept;)
        {
            var runEnd = runStart;
            while (runEnd < kept && customers[runEnd] == customers[runStart]) runEnd++;
            FillCustomer(index, customers, moments, mrr, slotOf, runStart, runEnd);
            runStart = runEnd;
        }

        // 5. Running totals per cell.
        for (var cell = 0; cell < index.CellCount; cell++)
        {
            long runningMrr = 0;
            var runningPaying = 0;
            for (var slot = cellStart[cell]; slot < cellStart[cell + 1]; slot++)
            {
                runningMrr += index.NextMrr[slot] - index.PreviousMrr[slot];
                runningPaying += (index.NextMrr[slot] > 0 ? 1 : 0) - (index.PreviousMrr[slot] > 0 ? 1 : 0);
                index.RunningMrr[slot] = runningMrr;
                index.RunningPaying[slot] = runningPaying;
            }
        }
        FillDayTotals(index);
        return new BuiltRevenue(index, customers, moments, mrr, kept);
    }

    /// <summary>Running movement totals per cell and day (see <see cref="RevenueIndex.DayTotals"/>).</summary>
    private static void FillDayTotals(RevenueIndex index)
    {
        var firstDay = new int[index.CellCount];
        var dayStart = new int[index.CellCount + 1];
        for (var cell = 0; cell < index.CellCount; cell++)
        {
            int start = index.CellStart[cell], end = index.CellStart[cell + 1];
            var first = start == end ? 0 : DayOf(index.Moment[start]);
            var last = start == end ? 0 : DayOf(index.Moment[end - 1]);
            firstDay[cell] = first;
            dayStart[cell + 1] = dayStart[cell] + (last - first) + 2;
        }
        var totals = new MovementTotals[dayStart[^1]];
        for (var cell = 0; cell < index.CellCount; cell++)
        {
            var running = default(MovementTotals);
            var slot = index.CellStart[cell];
            var end = index.CellStart[cell + 1];
            for (var offset = 0; offset < dayStart[cell + 1] - dayStart[cell]; offset++)
            {
                totals[dayStart[cell] + offset] = running;
                while (slot < end && DayOf(index.Moment[slot]) == firstDay[cell] + offset)
                {
                    running.Add(index.Kind[slot], index.PreviousMrr[slot], index.NextMrr[slot]);
                    slot++;
                }
            }
        }
        index.CellFirstDay = firstDay;
        index.CellDayStart = dayStart;
        index.DayTotals = totals;
    }

    private static int DayOf(int moment) => (int)Math.Floor((double)moment / RevenueIndex.SecondsPerDay);

    private static void FillCustomer(RevenueIndex index, int[] customers, int[] moments, long[] mrr, int[] slotOf, int start, int end)
    {
        long previous = 0;
        var hasPaid = false;
        for (var i = start; i < end; i++)
        {
            var slot = slotOf[i];
            var next = Math.Max(0, mrr[i]);
            index.Moment[slot] = moments[i];
            index.Customer[slot] = customers[i];
            index.PreviousMrr[slot] = previous;
            index.NextMrr[slot] = next;
            index.Kind[slot] = MrrMovements.Classify(previous, next, hasPaid);
            index.PreviousMoment[slot] = i == start ? int.MinValue : moments[i - 1];
            index.NextMoment[slot] = i + 1 == end ? int.MaxValue : moments[i + 1];
            previous = next;
            hasPaid |= next > 0;
        }
    }
}

/// <summary>A built index and the deduplicated, sorted log rows it was built from.</summary>
internal sealed record BuiltRevenue(RevenueIndex Index, int[] Customers, int[] Moments, long[] Mrr, int Count);
