using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Metrics.Index;

/// <summary>
/// The subscriptions log arranged for fast period questions. Customers are partitioned into
/// cells (one per segment × acquisition channel); inside a cell the MRR movements are sorted by
/// moment, with running totals of MRR and paying customers, so the state at any moment is a
/// binary search and a period's movements are one contiguous scan. Each movement also knows its
/// customer's previous and next movement, which is what the per-customer facts (starting
/// customers still paying at the end, their MRR then) need without a lookup table.
/// The movement totals are also kept per cell and day as running sums, so the flow metrics
/// (quick ratio, growth, expansion, CAC) need no scan: a period is the difference of two
/// day totals plus the movements of its first and last partial days.
/// Immutable once built; the engine swaps in a new one after an import.
/// </summary>
internal sealed class RevenueIndex
{
    /// <summary>How many periods' starting-base facts are kept; about 6 KB each with the demo's cells.</summary>
    internal const int CohortCacheCapacity = 1024;

    // Starting-base facts need a scan of the period's movements (tens of ms for a quarter at a
    // million customers), and the same few periods are asked again and again: every digest of
    // a week asks this week, last week and the same week a year ago, and people ask "this
    // month". The index never changes once built, so what it computed stays true for its life.
    private readonly ConcurrentDictionary<(int From, int To), RevenueFacts[]> _cohortFacts = new();

    public static RevenueIndex Empty { get; } = new(0, [], [], [0], 0);

    // Filled in by the builder after construction, so found on first use (racing finders agree).
    private StrongBox<(int First, int Last)?>? _momentSpan;

    /// <summary>The first and last moment of the index's movements, or null when it has none.</summary>
    public (int First, int Last)? MomentSpan => (Volatile.Read(ref _momentSpan) ?? FindMomentSpan()).Value;

    private StrongBox<(int First, int Last)?> FindMomentSpan()
    {
        (int First, int Last)? span = null;
        for (var cell = 0; cell < CellCount; cell++)
        {
            int start = CellStart[cell], end = CellStart[cell + 1];
            if (start == end) continue;
            // A cell's movements are in moment order: its first is its earliest, its last its latest.
            int first = Moment[start], last = Moment[end - 1];
            span = span is { } known ? (Math.Min(known.First, first), Math.Max(known.Last, last)) : (first, last);
        }
        var found = new StrongBox<(int First, int Last)?>(span);
        Volatile.Write(ref _momentSpan, found);
        return found;
    }

    public RevenueIndex(int customerCount, int[] cellSegment, int[] cellChannel, int[] cellStart, int movementCount)
    {
        CustomerCount = customerCount;
        CellSegment = cellSegment;
        CellChannel = cellChannel;
        CellStart = cellStart;
        Moment = new int[movementCount];
        Customer = new int[movementCount];
        PreviousMrr = new long[movementCount];
        NextMrr = new long[movementCount];
        Kind = new MrrMovementKind[movementCount];
        PreviousMoment = new int[movementCount];
        NextMoment = new int[movementCount];
        RunningMrr = new long[movementCount];
        RunningPaying = new int[movementCount];
    }

    public const int SecondsPerDay = 86_400;

    public int CustomerCount { get; }

    /// <summary>Each customer's cell (by the directory's index at build time), −1 for customers without rows; shorter than the directory for customers added since.</summary>
    public int[] CellOfCustomer { get; internal set; } = [];

    /// <summary>The cell <paramref name="customer"/>'s rows are in, or −1.</summary>
    public int CellOf(int customer) => (uint)customer < (uint)CellOfCustomer.Length ? CellOfCustomer[customer] : -1;

    /// <summary>The first day (days since the epoch) of each cell's movements.</summary>
    public int[] CellFirstDay { get; internal set; } = [];

    /// <summary>Where each cell's day totals start in <see cref="DayTotals"/>; cell c has CellDayStart[c + 1] − CellDayStart[c] entries.</summary>
    public int[] CellDayStart { get; internal set; } = [0];

    /// <summary>For cell c and day offset d: the totals of the cell's movements on days before CellFirstDay[c] + d.</summary>
    public MovementTotals[] DayTotals { get; internal set; } = [];
    public int[] CellSegment { get; }
    public int[] CellChannel { get; }
    /// <summary>Cell c's movements are [CellStart[c], CellStart[c + 1]).</summary>
    public int[] CellStart { get; }
    public int CellCount => CellSegment.Length;
    public int MovementCount => Moment.Length;

    public int[] Moment { get; }
    public int[] Customer { get; }
    public long[] PreviousMrr { get; }
    public long[] NextMrr { get; }
    public MrrMovementKind[] Kind { get; }
    /// <summary>The moment of the same customer's previous movement; int.MinValue for the first.</summary>
    public int[] PreviousMoment { get; }
    /// <summary>The moment of the same customer's next movement; int.MaxValue for the last.</summary>
    public int[] NextMoment { get; }
    /// <summary>MRR of the cell after this movement (running total from the cell's start).</summary>
    public long[] RunningMrr { get; }
    /// <summary>Paying customers of the cell after this movement.</summary>
    public int[] RunningPaying { get; }

    /// <summary>
    /// The facts of <c>[from, to)</c> for every cell, starting-base fields included: computed
    /// once per period (cells in parallel) and then remembered. Callers must not change the array.
    /// </summary>
    public IReadOnlyList<RevenueFacts> CohortFacts(int from, int to)
    {
        // A period still running ("this quarter") ends now, a new key each second, so its facts
        // were scanned on every ask (3-4 ms for a quarter at a million customers, while webhooks
        // flowed in). No movement of the index lies past its last one, so any end after that
        // gives the same facts as the end just after it (or just after `from`, if later).
        var end = (long)Math.Max(from, MomentSpan?.Last ?? int.MinValue) + 1;
        if (to > end) to = (int)end;
        if (_cohortFacts.TryGetValue((from, to), out var known)) return known;
        var cells = new RevenueFacts[CellCount];
        // Cells hold disjoint customers, so they can share one scratch array and run in parallel.
        var scratch = ArrayPool<long>.Shared.Rent(Math.Max(1, CustomerCount));
        try
        {
            Parallel.For(0, CellCount, cell => cells[cell] = CellFacts(cell, from, to, scratch));
        }
        finally
        {
            ArrayPool<long>.Shared.Return(scratch);
        }
        if (_cohortFacts.Count >= CohortCacheCapacity) _cohortFacts.Clear();
        _cohortFacts.TryAdd((from, to), cells);
        return cells;
    }

    /// <summary>
    /// The facts of <c>[from, to)</c> for one cell. <paramref name="mrrAtFromOf"/> is scratch space
    /// of at least CustomerCount entries; it need not be cleared, because each customer's entry is
    /// written at their first movement in the period before any later movement reads it.
    /// </summary>
    public RevenueFacts CellFacts(int cell, int from, int to, long[] mrrAtFromOf)
    {
        int start = CellStart[cell], end = CellStart[cell + 1];
        var first = LowerBound(start, end, from);
        var last = LowerBound(first, end, to);
        long mrrAtFrom = first == start ? 0 : RunningMrr[first - 1];
        long payingAtFrom = first == start ? 0 : RunningPaying[first - 1];

        long startersMoved = 0, startersChurned = 0, startersPayingAtTo = 0;
        long startersMrrBefore = 0, startersMrrAfter = 0;
        long baseChurned = 0, baseContraction = 0, baseExpansion = 0;

        for (var i = first; i < last; i++)
        {
            var customer = Customer[i];
            long previous = PreviousMrr[i], next = NextMrr[i];
            if (PreviousMoment[i] < from)
            {
                // The customer's first movement in the period: their state at `from` is `previous`.
                // Their later movements come after this one in the scan, so they can read it back.
                mrrAtFromOf[customer] = previous;
                if (previous > 0)
                {
                    startersMoved++;
                    startersMrrBefore += previous;
                }
            }
            var startMrr = mrrAtFromOf[customer];
            if (NextMoment[i] >= to && startMrr > 0)
            {
                // A starting customer's last movement in the period: `next` is their MRR at `to`,
                // judged against their MRR at `from`.
                startersMrrAfter += next;
                if (next == 0) baseChurned += startMrr;
                else if (next < startMrr) baseContraction += startMrr - next;
                else baseExpansion += next - startMrr;
                if (next > 0) startersPayingAtTo++;
                else startersChurned++;
            }
        }

        // The movement totals come from the day sums, as for the flow metrics; the scan adds the starting base.
        return CellFlowFacts(cell, from, to) with
        {
            BaseChurnedMrr = EngineUnits.ToDecimal(baseChurned),
            BaseContractionMrr = EngineUnits.ToDecimal(baseContraction),
            BaseExpansionMrr = EngineUnits.ToDecimal(baseExpansion),
            StartCustomersChurned = startersChurned,
            // Starting customers who did not move are still paying, with the MRR they had.
            StartCustomersPayingAtTo = payingAtFrom - startersMoved + startersPayingAtTo,
            StartCustomersMrrAtTo = EngineUnits.ToDecimal(mrrAtFrom - startersMrrBefore + startersMrrAfter),
        };
    }

    /// <summary>
    /// The flow facts of <c>[from, to)</c> for one cell: states at both ends and movement totals,
    /// without the starting-base fields (those need <see cref="CellFacts"/>'s scan).
    /// </summary>
    public RevenueFacts CellFlowFacts(int cell, int from, int to)
    {
        int start = CellStart[cell], end = CellStart[cell + 1];
        var first = LowerBound(start, end, from);
        var last = LowerBound(first, end, to);
        var totals = TotalsBefore(cell, to) - TotalsBefore(cell, from);
        return new RevenueFacts
        {
            PayingAtFrom = first == start ? 0 : RunningPaying[first - 1],
            PayingAtTo = last == start ? 0 : RunningPaying[last - 1],
            MrrAtFrom = EngineUnits.ToDecimal(first == start ? 0 : RunningMrr[first - 1]),
            MrrAtTo = EngineUnits.ToDecimal(last == start ? 0 : RunningMrr[last - 1]),
            NewCustomers = totals.NewCount,
            NewMrr = EngineUnits.ToDecimal(totals.NewMrr),
            Expansions = totals.ExpansionCount,
            ExpansionMrr = EngineUnits.ToDecimal(totals.ExpansionMrr),
            Contractions = totals.ContractionCount,
            ContractionMrr = EngineUnits.ToDecimal(totals.ContractionMrr),
            Churns = totals.ChurnCount,
            ChurnedMrr = EngineUnits.ToDecimal(totals.ChurnMrr),
            Reactivations = totals.ReactivationCount,
            ReactivationMrr = EngineUnits.ToDecimal(totals.ReactivationMrr),
        };
    }

    /// <summary>Totals of the cell's movements before <paramref name="moment"/>: whole days from the running sums, the rest of its day by scan.</summary>
    private MovementTotals TotalsBefore(int cell, int moment)
    {
        int start = CellStart[cell], end = CellStart[cell + 1];
        if (start == end) return default;
        var days = CellDayStart[cell + 1] - CellDayStart[cell] - 1;
        var offset = (int)Math.Clamp(Math.Floor((double)moment / SecondsPerDay) - CellFirstDay[cell], 0, days);
        var totals = DayTotals[CellDayStart[cell] + offset];
        var dayStart = (long)(CellFirstDay[cell] + offset) * SecondsPerDay;
        if (offset >= days || dayStart >= moment) return totals;
        for (var i = LowerBound(start, end, (int)Math.Max(int.MinValue, dayStart)); i < end && Moment[i] < moment; i++)
        {
            totals.Add(Kind[i], PreviousMrr[i], NextMrr[i]);
        }
        return totals;
    }

    private int LowerBound(int start, int end, int moment)
    {
        int low = start, high = end;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (Moment[middle] < moment) low = middle + 1;
            else high = middle;
        }
        return low;
    }
}
