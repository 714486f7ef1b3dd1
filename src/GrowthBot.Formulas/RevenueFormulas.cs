namespace GrowthBot.Formulas;

/// <summary>
/// MRR and the revenue-movement metrics, from <see cref="RevenueFacts"/>. Rates are percentages
/// (12.5 means 12.5%); money is in the company's one currency; ratios are plain numbers. Every
/// rate over "MRR at from" is undefined when nothing was paying at the start of the period.
/// </summary>
public static class RevenueFormulas
{
    /// <summary>MRR at the end of the period (at <c>to</c>). The sample size is the paying customers.</summary>
    public static MetricResult Mrr(RevenueFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return new MetricResult(facts.MrrAtTo, facts.MrrAtTo, null, facts.PayingAtTo);
    }

    /// <summary>Average revenue per account = MRR ÷ paying customers, at <c>to</c>. Undefined with no paying customers.</summary>
    public static MetricResult Arpa(RevenueFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return MetricResult.Ratio(facts.MrrAtTo, facts.PayingAtTo, facts.PayingAtTo);
    }

    /// <summary>
    /// Gross revenue churn = (churned + contraction MRR) ÷ MRR at <c>from</c>, in %, over the
    /// starting base (customers paying at <c>from</c>), each judged by their MRR at <c>to</c>
    /// against their MRR at <c>from</c>: MRR a mid-period sign-up brings and takes away again
    /// was never part of the MRR it is divided by. Always 0..100.
    /// </summary>
    public static MetricResult GrossRevenueChurn(RevenueFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return MetricResult.Percent(BaseLostMrr(facts), facts.MrrAtFrom, facts.PayingAtFrom);
    }

    /// <summary>
    /// Net revenue churn = (churned + contraction − expansion − reactivation MRR) ÷ MRR at
    /// <c>from</c>, in %, over the starting base judged start against end. Reactivation enters
    /// through that comparison: a starting customer who churns and is reactivated within the
    /// period is measured by the MRR they come back with (100 → 0 → 120 is +20 expansion), so
    /// no separate reactivation term remains. Negative when expansion outgrows the losses
    /// ("negative churn"). It equals −(existing-customer revenue growth).
    /// </summary>
    public static MetricResult NetRevenueChurn(RevenueFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return MetricResult.Percent(NetLostMrr(facts), facts.MrrAtFrom, facts.PayingAtFrom);
    }

    /// <summary>
    /// Net revenue retention = 100% − net revenue churn: the starting base's MRR at <c>to</c> ÷
    /// its MRR at <c>from</c>. The numerator is the MRR kept net of movements.
    /// </summary>
    public static MetricResult NetRevenueRetention(RevenueFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return MetricResult.Percent(facts.MrrAtFrom - NetLostMrr(facts), facts.MrrAtFrom, facts.PayingAtFrom);
    }

    /// <summary>Gross revenue retention = 100% − gross revenue churn, over the starting base. 0..100.</summary>
    public static MetricResult GrossRevenueRetention(RevenueFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return MetricResult.Percent(facts.MrrAtFrom - BaseLostMrr(facts), facts.MrrAtFrom, facts.PayingAtFrom);
    }

    /// <summary>
    /// Existing-customer revenue growth = (MRR at <c>to</c> of the customers paying at
    /// <c>from</c> − MRR at <c>from</c>) ÷ MRR at <c>from</c>, in %. Sign-ups during the period
    /// do not count, even if they are still paying.
    /// </summary>
    public static MetricResult ExistingCustomerRevenueGrowth(RevenueFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return MetricResult.Percent(facts.StartCustomersMrrAtTo - facts.MrrAtFrom, facts.MrrAtFrom, facts.PayingAtFrom);
    }

    /// <summary>Expansion revenue = the MRR added by expansions during the period. The sample size is the number of expansions.</summary>
    public static MetricResult ExpansionRevenue(RevenueFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return new MetricResult(facts.ExpansionMrr, facts.ExpansionMrr, null, facts.Expansions);
    }

    /// <summary>
    /// SaaS quick ratio = (new + expansion + reactivation MRR) ÷ (churned + contraction MRR), a
    /// plain number. Undefined when nothing was lost (a period with no losses has no ratio).
    /// </summary>
    public static MetricResult QuickRatio(RevenueFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var gained = facts.NewMrr + facts.ExpansionMrr + facts.ReactivationMrr;
        var lost = facts.ChurnedMrr + facts.ContractionMrr;
        return MetricResult.Ratio(gained, lost, facts.NewCustomers + facts.Expansions + facts.Reactivations + facts.Churns + facts.Contractions);
    }

    /// <summary>
    /// Revenue growth rate, the revenue half of the customer growth rate: (new + expansion +
    /// reactivation − contraction − churned MRR) ÷ MRR at <c>from</c>, in %.
    /// </summary>
    public static MetricResult RevenueGrowth(RevenueFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var net = facts.NewMrr + facts.ExpansionMrr + facts.ReactivationMrr - facts.ContractionMrr - facts.ChurnedMrr;
        return MetricResult.Percent(net, facts.MrrAtFrom, facts.PayingAtFrom);
    }

    private static decimal BaseLostMrr(RevenueFacts facts) => facts.BaseChurnedMrr + facts.BaseContractionMrr;

    private static decimal NetLostMrr(RevenueFacts facts) =>
        BaseLostMrr(facts) - facts.BaseExpansionMrr;
}
