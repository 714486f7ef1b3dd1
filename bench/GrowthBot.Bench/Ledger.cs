using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;

namespace GrowthBot.Bench;

/// <summary>
/// A third witness for the revenue metrics at small sizes: the reference walk in
/// GrowthBot.Formulas (<see cref="RevenueLedger"/>) over the raw subscription rows, fed into the
/// public formulas. Slow by design; it tells which side is wrong when the engine and DuckDB differ.
/// </summary>
internal static class Ledger
{
    public static double? Value(Question question, GrowthDataBatch batch, MetricEngineOptions options)
    {
        var id = question.Metric.Id;
        if (id is MetricId.Nps or MetricId.Csat or MetricId.Ces or MetricId.Fcr or MetricId.RepeatPurchase or MetricId.Activation) return null;
        var facts = RevenueLedger.Facts(batch.Subscriptions, question.From, question.To);
        var result = id switch
        {
            MetricId.Mrr => RevenueFormulas.Mrr(facts),
            MetricId.Arpa => RevenueFormulas.Arpa(facts),
            MetricId.CustomerChurn => CustomerFormulas.ChurnRate(facts),
            MetricId.Retention => CustomerFormulas.RetentionRate(facts),
            MetricId.GrossRevenueChurn => RevenueFormulas.GrossRevenueChurn(facts),
            MetricId.NetRevenueChurn => RevenueFormulas.NetRevenueChurn(facts),
            MetricId.Nrr => RevenueFormulas.NetRevenueRetention(facts),
            MetricId.Grr => RevenueFormulas.GrossRevenueRetention(facts),
            MetricId.ExistingRevenueGrowth => RevenueFormulas.ExistingCustomerRevenueGrowth(facts),
            MetricId.ExpansionRevenue => RevenueFormulas.ExpansionRevenue(facts),
            MetricId.QuickRatio => RevenueFormulas.QuickRatio(facts),
            MetricId.CustomerGrowth => CustomerFormulas.GrowthRate(facts),
            MetricId.RevenueGrowth => RevenueFormulas.RevenueGrowth(facts),
            MetricId.Cac => Cac(question, batch, facts),
            MetricId.Ltv => AcquisitionFormulas.Ltv(facts, question.Months, options.GrossMargin),
            MetricId.LtvCac => AcquisitionFormulas.LtvToCac(AcquisitionFormulas.Ltv(facts, question.Months, options.GrossMargin), Cac(question, batch, facts)),
            _ => null,
        };
        return result?.Value is { } value ? (double)value : null;
    }

    private static MetricResult Cac(Question question, GrowthDataBatch batch, RevenueFacts facts)
    {
        var spend = batch.Spend.Where(entry => entry.Date >= question.From && entry.Date < question.To).Sum(entry => entry.Amount);
        return AcquisitionFormulas.Cac(spend, facts.NewCustomers);
    }
}
