using GrowthBot.Formulas;

namespace GrowthBot.Core.Metrics.Index;

/// <summary>
/// One customer's subscription rows as the revenue index saw them when it was built, and as
/// they are now. The engine keeps these for the customers a small batch touched since the last
/// build, and answers with the index's totals minus each such customer's old contribution plus
/// their new one: every revenue fact is a sum over customers, so that is exactly what a rebuild
/// would give, at the cost of walking a few rows per changed customer.
/// </summary>
/// <param name="BaseCell">The customer's cell in the index, or −1 if the index has no rows of theirs.</param>
/// <param name="BaseMoments">Their rows' moments in the index (deduplicated, ascending).</param>
/// <param name="BaseMrr">Their rows' MRR in the index, aligned with <paramref name="BaseMoments"/>.</param>
/// <param name="Moments">Their rows' moments now (deduplicated, ascending).</param>
/// <param name="Mrr">Their rows' MRR now.</param>
/// <param name="Segment">Their segment now.</param>
/// <param name="Channel">Their acquisition channel now.</param>
internal sealed record CustomerRevenue(int BaseCell, int[] BaseMoments, long[] BaseMrr, int[] Moments, long[] Mrr, int Segment, int Channel)
{
    /// <summary>
    /// The first moment at which the rows now differ from the index's (int.MaxValue if they do not):
    /// a period that ends by then gets exactly back what the old contribution takes away, so
    /// answers skip the customer there. A webhook's change is dated now, so every earlier period
    /// (last month, the comparison, a trend's earlier steps) skips nearly all changed customers.
    /// </summary>
    public int FirstDifference { get; } = FirstDifferenceOf(BaseMoments, BaseMrr, Moments, Mrr);

    private static int FirstDifferenceOf(int[] baseMoments, long[] baseMrr, int[] moments, long[] mrr)
    {
        var i = 0;
        while (i < baseMoments.Length && i < moments.Length && baseMoments[i] == moments[i] && baseMrr[i] == mrr[i]) i++;
        var differsInBase = i < baseMoments.Length ? baseMoments[i] : int.MaxValue;
        var differsNow = i < moments.Length ? moments[i] : int.MaxValue;
        return Math.Min(differsInBase, differsNow);
    }
}

/// <summary>Revenue facts in engine units (longs), so customers can be added and taken away exactly.</summary>
internal struct RevenueSums
{
    private long _payingAtFrom, _payingAtTo, _mrrAtFrom, _mrrAtTo;
    private MovementTotals _movements;
    private long _baseChurned, _baseContraction, _baseExpansion;
    private long _startChurned, _startPayingAtTo, _startMrrAtTo;

    /// <summary>Whether any customer with rows was added or taken away.</summary>
    public bool HasCustomers { get; private set; }

    /// <summary>
    /// Adds (<paramref name="sign"/> = 1) or takes away (−1) one customer's facts for <c>[from, to)</c>,
    /// walking their rows the way <see cref="RevenueIndexBuilder"/> classifies them and
    /// <see cref="RevenueIndex.CellFacts"/> judges the starting base.
    /// </summary>
    public void AddCustomer(ReadOnlySpan<int> moments, ReadOnlySpan<long> mrr, int from, int to, int sign)
    {
        if (moments.IsEmpty) return;
        HasCustomers = true;
        long previous = 0, atFrom = 0, atTo = 0;
        var hasPaid = false;
        var movements = default(MovementTotals);
        for (var i = 0; i < moments.Length; i++)
        {
            var moment = moments[i];
            var next = Math.Max(0, mrr[i]);
            if (moment < from) atFrom = next;
            if (moment < to) atTo = next;
            if (moment >= from && moment < to) movements.Add(MrrMovements.Classify(previous, next, hasPaid), previous, next);
            previous = next;
            hasPaid |= next > 0;
        }
        _payingAtFrom += sign * (atFrom > 0 ? 1 : 0);
        _payingAtTo += sign * (atTo > 0 ? 1 : 0);
        _mrrAtFrom += sign * atFrom;
        _mrrAtTo += sign * atTo;
        _movements = sign > 0 ? _movements.Plus(movements) : _movements - movements;
        if (atFrom <= 0) return;
        // A starting customer: judged by where they end. One who did not move ends where they began.
        _startPayingAtTo += sign * (atTo > 0 ? 1 : 0);
        _startChurned += sign * (atTo == 0 ? 1 : 0);
        _startMrrAtTo += sign * atTo;
        if (atTo == 0) _baseChurned += sign * atFrom;
        else if (atTo < atFrom) _baseContraction += sign * (atFrom - atTo);
        else _baseExpansion += sign * (atTo - atFrom);
    }

    /// <summary>The sums as facts; the starting-base fields only when <paramref name="cohort"/> (flow answers leave them 0, as the index does).</summary>
    public readonly RevenueFacts ToFacts(bool cohort) => new()
    {
        PayingAtFrom = _payingAtFrom,
        PayingAtTo = _payingAtTo,
        MrrAtFrom = EngineUnits.ToDecimal(_mrrAtFrom),
        MrrAtTo = EngineUnits.ToDecimal(_mrrAtTo),
        NewCustomers = _movements.NewCount,
        NewMrr = EngineUnits.ToDecimal(_movements.NewMrr),
        Expansions = _movements.ExpansionCount,
        ExpansionMrr = EngineUnits.ToDecimal(_movements.ExpansionMrr),
        Contractions = _movements.ContractionCount,
        ContractionMrr = EngineUnits.ToDecimal(_movements.ContractionMrr),
        Churns = _movements.ChurnCount,
        ChurnedMrr = EngineUnits.ToDecimal(_movements.ChurnMrr),
        Reactivations = _movements.ReactivationCount,
        ReactivationMrr = EngineUnits.ToDecimal(_movements.ReactivationMrr),
        BaseChurnedMrr = cohort ? EngineUnits.ToDecimal(_baseChurned) : 0m,
        BaseContractionMrr = cohort ? EngineUnits.ToDecimal(_baseContraction) : 0m,
        BaseExpansionMrr = cohort ? EngineUnits.ToDecimal(_baseExpansion) : 0m,
        StartCustomersChurned = cohort ? _startChurned : 0,
        StartCustomersPayingAtTo = cohort ? _startPayingAtTo : 0,
        StartCustomersMrrAtTo = cohort ? EngineUnits.ToDecimal(_startMrrAtTo) : 0m,
    };
}
