using GrowthBot.Core.Metrics.Index;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Metrics;

/// <summary>
/// The formula each metric is computed with, filled with the facts that went in. The terms are
/// the ones the formulas in <see cref="MetricFormulaMap"/> use, so a reader can redo the sum.
/// </summary>
internal static class MetricWorkingsMap
{
    /// <summary>Why the starting-base metrics may differ from the movement metrics.</summary>
    private const string StartingBase =
        "Each customer paying at the start is judged by their MRR at the end against their MRR at the start (a customer who left and was back by the end counts by what they pay at the end); customers who joined during the period are not in it.";

    private const string EveryMovement =
        "It counts every MRR movement in the period as it happened, including those of customers who joined during it and changes undone before the end, so its figures can differ from the churned, contraction and expansion MRR of revenue churn and NRR, which compare each starting customer's MRR at the end with the start.";

    public static MetricWorkings? Of(MetricId metric, GroupFacts facts, double months, decimal grossMargin)
    {
        var r = facts.Revenue;
        var start = Money("MRR at the start", r.MrrAtFrom);
        var churned = Money("churned MRR", r.BaseChurnedMrr);
        var contraction = Money("contraction MRR", r.BaseContractionMrr);
        var expansion = Money("expansion MRR", r.BaseExpansionMrr);
        var payingAtStart = Count("customers paying at the start", r.PayingAtFrom);
        var stillPaying = Count("of them paying at the end", r.StartCustomersPayingAtTo);
        return metric switch
        {
            MetricId.Mrr => new("{0}", [Money("MRR at the end", r.MrrAtTo)]),
            MetricId.Arpa => new("{0} ÷ {1}", [Money("MRR at the end", r.MrrAtTo), Count("paying customers at the end", r.PayingAtTo)]),
            MetricId.CustomerChurn => new("({0} − {1}) ÷ {0} × 100", [payingAtStart, stillPaying],
                "A customer who left and was back by the end of the period is not churned; churn + retention = 100%."),
            MetricId.Retention => new("{1} ÷ {0} × 100", [payingAtStart, stillPaying],
                "Customers who joined during the period are not counted; churn + retention = 100%."),
            MetricId.GrossRevenueChurn => new("({0} + {1}) ÷ {2} × 100", [churned, contraction, start], StartingBase),
            MetricId.NetRevenueChurn => new("({0} + {1} − {2}) ÷ {3} × 100", [churned, contraction, expansion, start], StartingBase),
            MetricId.Nrr => new("({0} − {1} − {2} + {3}) ÷ {0} × 100", [start, churned, contraction, expansion], StartingBase),
            MetricId.Grr => new("({0} − {1} − {2}) ÷ {0} × 100", [start, churned, contraction], StartingBase),
            MetricId.ExistingRevenueGrowth => new("({0} − {1} − {2}) ÷ {3} × 100", [expansion, churned, contraction, start], StartingBase + " It equals NRR − 100."),
            MetricId.ExpansionRevenue => new("{0}, from {1}", [Money("expansion MRR", r.ExpansionMrr), Count("expansions", r.Expansions)], EveryMovement),
            MetricId.QuickRatio => new("({0} + {1} + {2}) ÷ ({3} + {4})",
                [Money("new MRR", r.NewMrr), Money("expansion MRR", r.ExpansionMrr), Money("reactivation MRR", r.ReactivationMrr),
                 Money("churned MRR", r.ChurnedMrr), Money("contraction MRR", r.ContractionMrr)], EveryMovement),
            MetricId.CustomerGrowth => new("({0} + {1} − {2}) ÷ {3} × 100",
                [Count("new customers", r.NewCustomers), Count("reactivated", r.Reactivations), Count("churns", r.Churns), payingAtStart],
                "Movements are counted as they happened, so the top is paying at the end − paying at the start."),
            MetricId.RevenueGrowth => new("({0} + {1} + {2} − {3} − {4}) ÷ {5} × 100",
                [Money("new MRR", r.NewMrr), Money("expansion MRR", r.ExpansionMrr), Money("reactivation MRR", r.ReactivationMrr),
                 Money("contraction MRR", r.ContractionMrr), Money("churned MRR", r.ChurnedMrr), start], EveryMovement),
            MetricId.Cac => new("{0} ÷ {1}", [Money("acquisition spend", EngineUnits.ToDecimal(facts.AcquisitionSpend)), Count("new customers", r.NewCustomers)]),
            MetricId.Ltv => Ltv(r, months, grossMargin),
            MetricId.LtvCac => null,
            MetricId.PayingCustomers => new("{0}", [Count("customers paying at the end", r.PayingAtTo)],
                "A customer is paying when their MRR is above 0; the same count ARPA divides by."),
            MetricId.NewCustomers => new("{0}", [Count("first-time new movements", r.NewCustomers)],
                "Customers who paid for the first time in the period, including any who left again before the end; returns of earlier churners are reactivations. The same count CAC divides by."),
            MetricId.ChurnedCustomers => new("{0} − {1}", [payingAtStart, stillPaying],
                "A customer who left and was back by the end of the period is not churned, and customers who joined during the period are not in the base: the top of the customer churn rate."),
            MetricId.Nps => Nps(facts.NpsTally),
            MetricId.Csat => new("{0} ÷ {1} × 100", [Count("answers of 4 or 5", Sum(facts.CsatTally, 4, SurveyFormulas.CsatMax)), Count("answers", Sum(facts.CsatTally, 1, SurveyFormulas.CsatMax))]),
            MetricId.Ces => new("{0} ÷ {1}", [new MetricTerm("sum of scores", CesSum(facts.CesTally), TermUnit.Number), Count("answers", Sum(facts.CesTally, 1, SurveyFormulas.CesMax))]),
            MetricId.Fcr => new("{0} ÷ {1} × 100", [Count("tickets resolved on first contact", facts.TicketsResolvedOnFirstContact), Count("tickets resolved", facts.TicketsResolved)]),
            MetricId.RepeatPurchase => new("{0} ÷ {1} × 100", [Count("buyers who had bought before", facts.ReturningBuyers), Count("buyers in the period", facts.CustomersWithOrders)],
                "A repeat buyer ordered in the period and had ordered before it started."),
            MetricId.Activation => new("{0} ÷ {1} × 100", [Count("activated within the window", facts.Activated), Count("sign-ups whose window has closed", facts.SignedUp)]),
            _ => null,
        };
    }

    private static MetricWorkings? Ltv(RevenueFacts r, double months, decimal grossMargin)
    {
        var arpa = RevenueFormulas.Arpa(r).Value;
        var churn = CustomerFormulas.ChurnRate(r).Value;
        if (arpa is null || churn is null) return null;
        var monthly = AcquisitionFormulas.MonthlyChurnShare(churn.Value / 100m, months);
        return new("{0} × {1} ÷ {2}, where {2} = 1 − (1 − {3})^(1 ÷ {4})",
            [Money("ARPA", arpa.Value), new MetricTerm("gross margin", grossMargin * 100m, TermUnit.Percent),
             new MetricTerm("monthly churn", (monthly ?? 0m) * 100m, TermUnit.Percent), new MetricTerm("period churn", churn.Value, TermUnit.Percent),
             new MetricTerm("calendar months", (decimal)Math.Round(months, 4), TermUnit.Number)],
            "The period's customer churn (a customer back by the end is not churned) made monthly over its calendar months.");
    }

    private static MetricWorkings Nps(long[] tally)
    {
        var promoters = Sum(tally, 9, 10);
        var detractors = Sum(tally, 0, 6);
        return new("({0} − {1}) ÷ {2} × 100", [Count("promoters (9–10)", promoters), Count("detractors (0–6)", detractors), Count("answers", Sum(tally, 0, 10))]);
    }

    private static long Sum(long[] tally, int low, int high)
    {
        long sum = 0;
        for (var score = low; score <= high && score < tally.Length; score++) sum += tally[score];
        return sum;
    }

    private static decimal CesSum(long[] tally)
    {
        long sum = 0;
        for (var score = 1; score <= SurveyFormulas.CesMax && score < tally.Length; score++) sum += score * tally[score];
        return sum;
    }

    private static MetricTerm Money(string name, decimal value) => new(name, value, TermUnit.Money);

    private static MetricTerm Count(string name, long value) => new(name, value, TermUnit.Count);
}
