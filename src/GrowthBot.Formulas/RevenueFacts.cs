namespace GrowthBot.Formulas;

/// <summary>
/// Everything the revenue and customer metrics need about one period <c>[from, to)</c>, for one
/// set of customers. "At from" means after every change dated before <c>from</c>; "at to" after
/// every change dated before <c>to</c>; a change dated exactly <c>from</c> is inside the period.
/// Every field is a sum or a count over customers, so the facts of disjoint customer sets add up
/// (<see cref="op_Addition"/>): a segment's facts plus the others' are the company's.
/// The movement sums come twice: for every customer, movement by movement (the flow: quick
/// ratio, growth rates, expansion revenue), and for the starting base only, start against end
/// (the cohort: revenue churn, NRR, GRR), so gross revenue retention stays within 0..100%.
/// </summary>
public sealed record RevenueFacts
{
    public long PayingAtFrom { get; init; }
    public long PayingAtTo { get; init; }
    public decimal MrrAtFrom { get; init; }
    public decimal MrrAtTo { get; init; }

    /// <summary>New movements (0 → x, first time) in the period: one per customer at most.</summary>
    public long NewCustomers { get; init; }
    public decimal NewMrr { get; init; }
    /// <summary>Expansion movements in the period.</summary>
    public long Expansions { get; init; }
    public decimal ExpansionMrr { get; init; }
    /// <summary>Contraction movements in the period.</summary>
    public long Contractions { get; init; }
    /// <summary>MRR lost to contractions (previous − next, positive).</summary>
    public decimal ContractionMrr { get; init; }
    /// <summary>Churn movements (x → 0) in the period, including those of mid-period sign-ups.</summary>
    public long Churns { get; init; }
    /// <summary>MRR lost to churn (the MRR the customer had before, positive).</summary>
    public decimal ChurnedMrr { get; init; }
    /// <summary>Reactivation movements (0 → x after an earlier churn) in the period.</summary>
    public long Reactivations { get; init; }
    public decimal ReactivationMrr { get; init; }

    /// <summary>
    /// MRR at <c>from</c> of starting customers (paying at <c>from</c>) who are not paying at
    /// <c>to</c>. The starting base is judged by where each customer ends: a customer who churns
    /// and comes back within the period is not churned, and MRR gained and lost again inside
    /// the period is neither churn nor expansion, so churned + contraction never exceed the MRR
    /// at <c>from</c>.
    /// </summary>
    public decimal BaseChurnedMrr { get; init; }
    /// <summary>For starting customers paying less at <c>to</c> than at <c>from</c> (but more than 0): the MRR they shed.</summary>
    public decimal BaseContractionMrr { get; init; }
    /// <summary>For starting customers paying more at <c>to</c> than at <c>from</c>: the MRR they added.</summary>
    public decimal BaseExpansionMrr { get; init; }

    /// <summary>
    /// Customers paying at <c>from</c> who are not paying at <c>to</c>. A customer who churns and
    /// is back by the end of the period is not churned (ChartMogul's rule), so churned + still
    /// paying is exactly the starting base.
    /// </summary>
    public long StartCustomersChurned { get; init; }
    /// <summary>Customers paying at <c>from</c> who are paying again (or still) at <c>to</c>.</summary>
    public long StartCustomersPayingAtTo { get; init; }
    /// <summary>MRR at <c>to</c> of the customers who were paying at <c>from</c>.</summary>
    public decimal StartCustomersMrrAtTo { get; init; }

    /// <summary>Customers paying at <c>to</c> who were not paying at <c>from</c> (sign-ups and returns that stayed).</summary>
    public long JoinersPayingAtTo => PayingAtTo - StartCustomersPayingAtTo;

    public static RevenueFacts Empty { get; } = new();

    public static RevenueFacts operator +(RevenueFacts left, RevenueFacts right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new RevenueFacts
        {
            PayingAtFrom = left.PayingAtFrom + right.PayingAtFrom,
            PayingAtTo = left.PayingAtTo + right.PayingAtTo,
            MrrAtFrom = left.MrrAtFrom + right.MrrAtFrom,
            MrrAtTo = left.MrrAtTo + right.MrrAtTo,
            NewCustomers = left.NewCustomers + right.NewCustomers,
            NewMrr = left.NewMrr + right.NewMrr,
            Expansions = left.Expansions + right.Expansions,
            ExpansionMrr = left.ExpansionMrr + right.ExpansionMrr,
            Contractions = left.Contractions + right.Contractions,
            ContractionMrr = left.ContractionMrr + right.ContractionMrr,
            Churns = left.Churns + right.Churns,
            ChurnedMrr = left.ChurnedMrr + right.ChurnedMrr,
            Reactivations = left.Reactivations + right.Reactivations,
            ReactivationMrr = left.ReactivationMrr + right.ReactivationMrr,
            BaseChurnedMrr = left.BaseChurnedMrr + right.BaseChurnedMrr,
            BaseContractionMrr = left.BaseContractionMrr + right.BaseContractionMrr,
            BaseExpansionMrr = left.BaseExpansionMrr + right.BaseExpansionMrr,
            StartCustomersChurned = left.StartCustomersChurned + right.StartCustomersChurned,
            StartCustomersPayingAtTo = left.StartCustomersPayingAtTo + right.StartCustomersPayingAtTo,
            StartCustomersMrrAtTo = left.StartCustomersMrrAtTo + right.StartCustomersMrrAtTo,
        };
    }

    public static RevenueFacts Add(RevenueFacts left, RevenueFacts right) => left + right;
}
