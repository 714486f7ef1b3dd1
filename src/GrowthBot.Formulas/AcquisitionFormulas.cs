namespace GrowthBot.Formulas;

/// <summary>Customer acquisition cost and lifetime value.</summary>
public static class AcquisitionFormulas
{
    /// <summary>
    /// CAC = marketing + sales + onboarding spend in the period ÷ new paying customers in the
    /// period (first-time "new" movements, not reactivations). By channel: that channel's spend
    /// ÷ new customers whose acquisition channel it is. Undefined with no new customers.
    /// </summary>
    public static MetricResult Cac(decimal acquisitionSpend, long newCustomers) =>
        MetricResult.Ratio(acquisitionSpend, newCustomers, newCustomers);

    /// <summary>
    /// The monthly customer churn rate (a share, 0..1) equivalent to <paramref name="periodChurnShare"/>
    /// observed over <paramref name="periodMonths"/> calendar months, compounding:
    /// 1 − (1 − c)^(1/months). Months are counted on the calendar (March is 1, Q2 is 3, a week is
    /// its days ÷ the days of its month), so a one-month period returns its own churn exactly.
    /// Null when the period is empty.
    /// </summary>
    public static decimal? MonthlyChurnShare(decimal periodChurnShare, double periodMonths)
    {
        if (!double.IsFinite(periodMonths) || periodMonths <= 0 || periodChurnShare < 0m) return null;
        if (periodChurnShare >= 1m) return 1m;
        // Exactly one month needs no power: it is the period's own churn, to the last digit.
        if (periodMonths == 1) return periodChurnShare;
        return (decimal)(1 - Math.Pow(1 - (double)periodChurnShare, 1 / periodMonths));
    }

    /// <summary>
    /// LTV = ARPA × gross margin ÷ monthly customer churn rate, in money. ARPA is taken at the end
    /// of the period; the churn is the period's customer churn (<see cref="CustomerFormulas.ChurnRate"/>,
    /// reactivations by the end not churned) made monthly over <paramref name="periodMonths"/>
    /// calendar months (<see cref="MonthlyChurnShare"/>); <paramref name="grossMargin"/> is a share
    /// (1 = 100%). Undefined when there is no ARPA or nobody churned (an infinite lifetime is no number).
    /// </summary>
    public static MetricResult Ltv(RevenueFacts facts, double periodMonths, decimal grossMargin)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var arpa = RevenueFormulas.Arpa(facts).Value;
        var churn = CustomerFormulas.ChurnRate(facts).Value;
        if (arpa is null || churn is null) return MetricResult.Undefined(sampleSize: facts.PayingAtFrom);
        var monthlyChurn = MonthlyChurnShare(churn.Value / 100m, periodMonths);
        var margin = arpa.Value * grossMargin;
        return monthlyChurn is null or 0m
            ? MetricResult.Undefined(margin, monthlyChurn, facts.PayingAtFrom)
            : MetricResult.Ratio(margin, monthlyChurn.Value, facts.PayingAtFrom);
    }

    /// <summary>LTV:CAC, a plain number (3 means LTV is three times CAC). Undefined if either is.</summary>
    public static MetricResult LtvToCac(MetricResult ltv, MetricResult cac)
    {
        ArgumentNullException.ThrowIfNull(ltv);
        ArgumentNullException.ThrowIfNull(cac);
        return ltv.Value is null || cac.Value is null
            ? MetricResult.Undefined(ltv.Value, cac.Value, Math.Min(ltv.SampleSize, cac.SampleSize))
            : MetricResult.Ratio(ltv.Value.Value, cac.Value.Value, Math.Min(ltv.SampleSize, cac.SampleSize));
    }
}
