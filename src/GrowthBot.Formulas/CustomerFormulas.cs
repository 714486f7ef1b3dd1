namespace GrowthBot.Formulas;

/// <summary>Customer-count metrics from <see cref="RevenueFacts"/>: rates in %, and the counts they are made of.</summary>
public static class CustomerFormulas
{
    /// <summary>
    /// Customer churn rate = customers paying at <c>from</c> who are not paying at <c>to</c> ÷
    /// customers paying at <c>from</c>. A mid-period sign-up who churns is not counted (they
    /// were not in the starting base); a starting customer who churns and is back by the end of
    /// the period is not churned (as ChartMogul counts), so churn + retention = 100% on the same
    /// base. Undefined with no paying customers at <c>from</c>.
    /// </summary>
    public static MetricResult ChurnRate(RevenueFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return MetricResult.Percent(facts.StartCustomersChurned, facts.PayingAtFrom, facts.PayingAtFrom);
    }

    /// <summary>
    /// Customer retention rate = (customers paying at <c>to</c> − new customers during the
    /// period) ÷ customers paying at <c>from</c>. "New" here is every customer paying at
    /// <c>to</c> who was not paying at <c>from</c> (first-time sign-ups and reactivations that
    /// stayed); a mid-period sign-up who churned again is in neither term, so the rate is exactly
    /// the share of the starting base still paying at the end. Undefined with no starting base.
    /// </summary>
    public static MetricResult RetentionRate(RevenueFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return MetricResult.Percent(facts.PayingAtTo - facts.JoinersPayingAtTo, facts.PayingAtFrom, facts.PayingAtFrom);
    }

    /// <summary>
    /// Customer growth rate = (new + reactivated − churned customers) ÷ customers paying at
    /// <c>from</c>. Movements are counted as they happen, so a mid-period sign-up who churns adds
    /// one and takes one away, and the numerator always equals paying at <c>to</c> − paying at
    /// <c>from</c>. Undefined with no starting base.
    /// </summary>
    public static MetricResult GrowthRate(RevenueFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return MetricResult.Percent(facts.NewCustomers + facts.Reactivations - facts.Churns, facts.PayingAtFrom, facts.PayingAtFrom);
    }

    /// <summary>
    /// Paying customers at <c>to</c>: customers whose MRR is above 0 after every change dated
    /// before <c>to</c> (the same count ARPA divides by). The value is the count itself.
    /// </summary>
    public static MetricResult PayingCustomers(RevenueFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return new MetricResult(facts.PayingAtTo, facts.PayingAtTo, null, facts.PayingAtTo);
    }

    /// <summary>
    /// New customers in the period: first-time "new" movements (0 → x, never paid before), one per
    /// customer at most; returns of earlier churners are reactivations, not new. The same count CAC
    /// divides by, and it includes sign-ups who left again before the end.
    /// </summary>
    public static MetricResult NewCustomers(RevenueFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return new MetricResult(facts.NewCustomers, facts.NewCustomers, null, facts.NewCustomers);
    }

    /// <summary>
    /// Churned customers in the period: customers paying at <c>from</c> who are not paying at
    /// <c>to</c> — exactly the top of <see cref="ChurnRate"/>, with its bottom (paying at
    /// <c>from</c>) as the denominator. One who left and was back by the end is not churned; a
    /// mid-period sign-up who left is not in the starting base, so not counted.
    /// </summary>
    public static MetricResult ChurnedCustomers(RevenueFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return new MetricResult(facts.StartCustomersChurned, facts.StartCustomersChurned, facts.PayingAtFrom, facts.PayingAtFrom);
    }
}
