using GrowthBot.Core.Metrics.Index;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Metrics;

/// <summary>Which facts each metric needs, and which formula turns them into its value.</summary>
internal static class MetricFormulaMap
{
    public static FactSources SourcesOf(MetricId metric) => metric switch
    {
        MetricId.Nps or MetricId.Csat or MetricId.Ces => FactSources.Surveys,
        MetricId.Cac => FactSources.RevenueFlow | FactSources.Spend,
        MetricId.LtvCac => FactSources.RevenueCohort | FactSources.Spend,
        MetricId.Fcr => FactSources.Tickets,
        MetricId.RepeatPurchase => FactSources.Orders,
        MetricId.Activation => FactSources.Signups,
        MetricId.Mrr or MetricId.Arpa or MetricId.PayingCustomers or MetricId.NewCustomers or MetricId.ExpansionRevenue or MetricId.QuickRatio or MetricId.CustomerGrowth or MetricId.RevenueGrowth => FactSources.RevenueFlow,
        _ => FactSources.RevenueCohort,
    };

    public static MetricResult Compute(MetricId metric, GroupFacts facts, double periodMonths, decimal grossMargin) => metric switch
    {
        MetricId.Nps => SurveyFormulas.Nps(facts.NpsTally),
        MetricId.Csat => SurveyFormulas.Csat(facts.CsatTally),
        MetricId.Ces => SurveyFormulas.Ces(facts.CesTally),
        MetricId.Mrr => RevenueFormulas.Mrr(facts.Revenue),
        MetricId.Arpa => RevenueFormulas.Arpa(facts.Revenue),
        MetricId.CustomerChurn => CustomerFormulas.ChurnRate(facts.Revenue),
        MetricId.Retention => CustomerFormulas.RetentionRate(facts.Revenue),
        MetricId.GrossRevenueChurn => RevenueFormulas.GrossRevenueChurn(facts.Revenue),
        MetricId.NetRevenueChurn => RevenueFormulas.NetRevenueChurn(facts.Revenue),
        MetricId.Nrr => RevenueFormulas.NetRevenueRetention(facts.Revenue),
        MetricId.Grr => RevenueFormulas.GrossRevenueRetention(facts.Revenue),
        MetricId.ExistingRevenueGrowth => RevenueFormulas.ExistingCustomerRevenueGrowth(facts.Revenue),
        MetricId.ExpansionRevenue => RevenueFormulas.ExpansionRevenue(facts.Revenue),
        MetricId.QuickRatio => RevenueFormulas.QuickRatio(facts.Revenue),
        MetricId.CustomerGrowth => CustomerFormulas.GrowthRate(facts.Revenue),
        MetricId.RevenueGrowth => RevenueFormulas.RevenueGrowth(facts.Revenue),
        MetricId.Cac => Cac(facts),
        MetricId.Ltv => AcquisitionFormulas.Ltv(facts.Revenue, periodMonths, grossMargin),
        MetricId.LtvCac => AcquisitionFormulas.LtvToCac(AcquisitionFormulas.Ltv(facts.Revenue, periodMonths, grossMargin), Cac(facts)),
        MetricId.Fcr => EngagementFormulas.FirstContactResolution(facts.TicketsResolvedOnFirstContact, facts.TicketsResolved),
        MetricId.RepeatPurchase => EngagementFormulas.RepeatPurchaseRate(facts.ReturningBuyers, facts.CustomersWithOrders),
        MetricId.Activation => EngagementFormulas.ActivationRate(facts.Activated, facts.SignedUp),
        MetricId.PayingCustomers => CustomerFormulas.PayingCustomers(facts.Revenue),
        MetricId.NewCustomers => CustomerFormulas.NewCustomers(facts.Revenue),
        MetricId.ChurnedCustomers => CustomerFormulas.ChurnedCustomers(facts.Revenue),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    private static MetricResult Cac(GroupFacts facts) =>
        AcquisitionFormulas.Cac(EngineUnits.ToDecimal(facts.AcquisitionSpend), facts.Revenue.NewCustomers);
}
