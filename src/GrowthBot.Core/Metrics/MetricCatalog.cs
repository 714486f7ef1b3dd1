namespace GrowthBot.Core.Metrics;

/// <summary>The definitions of every metric, and look-up by name.</summary>
public static class MetricCatalog
{
    private static readonly Team[] CustomerFacing = [Team.Marketing, Team.Sales, Team.Service];

    public static IReadOnlyList<MetricDefinition> All { get; } =
    [
        new(MetricId.Nps, "nps", "Net Promoter Score", MetricUnit.NpsScore, Direction.HigherIsBetter,
            "% promoters (9–10) − % detractors (0–6) of NPS answers in the period, with its 95% margin of error.", CustomerFacing),
        new(MetricId.Csat, "csat", "Customer satisfaction (CSAT)", MetricUnit.Percent, Direction.HigherIsBetter,
            "% of 1–5 CSAT answers in the period that are 4 or 5.", CustomerFacing),
        new(MetricId.Ces, "ces", "Customer effort score (CES)", MetricUnit.MeanScore, Direction.HigherIsBetter,
            "Mean of the 1–7 CES answers in the period (7 = it was easy).", CustomerFacing),
        new(MetricId.Mrr, "mrr", "MRR", MetricUnit.Money, Direction.HigherIsBetter,
            "Monthly recurring revenue at the end of the period.", [Team.Finance]),
        new(MetricId.Arpa, "arpa", "Average revenue per account", MetricUnit.Money, Direction.HigherIsBetter,
            "MRR ÷ paying customers at the end of the period.", [Team.Finance, Team.Sales]),
        new(MetricId.CustomerChurn, "customer-churn", "Customer churn rate", MetricUnit.Percent, Direction.LowerIsBetter,
            "Customers paying at the start who are not paying at the end ÷ customers paying at the start (one who left and was back by the end is not churned).", CustomerFacing),
        new(MetricId.Retention, "retention", "Customer retention rate", MetricUnit.Percent, Direction.HigherIsBetter,
            "Customers paying at the start who are still paying at the end ÷ customers paying at the start (100% − customer churn).", CustomerFacing),
        new(MetricId.GrossRevenueChurn, "gross-revenue-churn", "Gross revenue churn", MetricUnit.Percent, Direction.LowerIsBetter,
            "(Churned + contraction MRR) ÷ MRR at the start, over the customers paying at the start, each judged by their MRR at the end against the start.", CustomerFacing),
        new(MetricId.NetRevenueChurn, "net-revenue-churn", "Net revenue churn", MetricUnit.Percent, Direction.LowerIsBetter,
            "(Churned + contraction − expansion MRR) ÷ MRR at the start, over the customers paying at the start, each judged by their MRR at the end against the start.", CustomerFacing),
        new(MetricId.Nrr, "nrr", "Net revenue retention", MetricUnit.Percent, Direction.HigherIsBetter,
            "100% − net revenue churn: (MRR at the start − churned − contraction + expansion MRR) ÷ MRR at the start.", [Team.Finance, Team.Sales, Team.Service]),
        new(MetricId.Grr, "grr", "Gross revenue retention", MetricUnit.Percent, Direction.HigherIsBetter,
            "100% − gross revenue churn: (MRR at the start − churned − contraction MRR) ÷ MRR at the start.", [Team.Finance, Team.Service]),
        new(MetricId.ExistingRevenueGrowth, "existing-revenue-growth", "Existing-customer revenue growth", MetricUnit.Percent, Direction.HigherIsBetter,
            "(MRR at the end of the customers paying at the start − MRR at the start) ÷ MRR at the start (NRR − 100).", CustomerFacing),
        new(MetricId.ExpansionRevenue, "expansion-revenue", "Expansion revenue", MetricUnit.Money, Direction.HigherIsBetter,
            "MRR added by every upgrade and expansion movement during the period (new customers' too).", [Team.Sales, Team.Finance]),
        new(MetricId.QuickRatio, "quick-ratio", "SaaS quick ratio", MetricUnit.Ratio, Direction.HigherIsBetter,
            "(New + expansion + reactivation MRR) ÷ (churned + contraction MRR), every movement in the period.", [Team.Finance]),
        new(MetricId.CustomerGrowth, "customer-growth", "Customer growth rate", MetricUnit.Percent, Direction.HigherIsBetter,
            "(New + reactivated − churned customers) ÷ customers paying at the start.", [Team.Marketing, Team.Sales, Team.Finance]),
        new(MetricId.RevenueGrowth, "revenue-growth", "Revenue growth rate", MetricUnit.Percent, Direction.HigherIsBetter,
            "(New + expansion + reactivation − contraction − churned MRR) ÷ MRR at the start.", [Team.Finance, Team.Sales]),
        new(MetricId.Cac, "cac", "Customer acquisition cost", MetricUnit.Money, Direction.LowerIsBetter,
            "Marketing + sales + onboarding spend in the period ÷ new customers in the period; by channel, that channel's spend ÷ its new customers.", CustomerFacing),
        new(MetricId.Ltv, "ltv", "Customer lifetime value", MetricUnit.Money, Direction.HigherIsBetter,
            "ARPA × gross margin ÷ monthly customer churn rate (the period's churn made monthly over its calendar months).", [Team.Sales, Team.Service]),
        new(MetricId.LtvCac, "ltv-cac", "LTV:CAC", MetricUnit.Ratio, Direction.HigherIsBetter,
            "Lifetime value ÷ acquisition cost.", CustomerFacing),
        new(MetricId.Fcr, "fcr", "First-contact resolution", MetricUnit.Percent, Direction.HigherIsBetter,
            "Tickets resolved in the period with one contact ÷ tickets resolved in the period.", [Team.Service, Team.Sales]),
        new(MetricId.RepeatPurchase, "repeat-purchase", "Repeat purchase rate", MetricUnit.Percent, Direction.HigherIsBetter,
            "Customers who ordered in the period and had ordered before it ÷ customers who ordered in the period.", [Team.Marketing, Team.Sales]),
        new(MetricId.Activation, "activation", "Activation rate", MetricUnit.Percent, Direction.HigherIsBetter,
            "Sign-ups in the period who activated within the activation window ÷ sign-ups in the period whose window has closed (recent sign-ups are left out until it does).", [Team.Product]),
        new(MetricId.PayingCustomers, "customers", "Paying customers", MetricUnit.Count, Direction.HigherIsBetter,
            "Customers paying (MRR above 0) at the end of the period: the count ARPA divides by.", [Team.Finance, Team.Sales]),
        new(MetricId.NewCustomers, "new-customers", "New customers", MetricUnit.Count, Direction.HigherIsBetter,
            "Customers who paid for the first time during the period (returns of earlier churners are reactivations, not new): the count CAC divides by.", [Team.Finance, Team.Sales]),
        new(MetricId.ChurnedCustomers, "churned-customers", "Churned customers", MetricUnit.Count, Direction.LowerIsBetter,
            "Customers paying at the start who are not paying at the end (one who left and was back by the end is not churned): the top of the customer churn rate.", [Team.Finance, Team.Sales]),
    ];

    private static readonly Dictionary<string, MetricDefinition> ByName =
        All.ToDictionary(definition => definition.Name, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<MetricId, MetricDefinition> ById = All.ToDictionary(definition => definition.Id);

    public static IEnumerable<string> Names => All.Select(definition => definition.Name);

    public static MetricDefinition Get(MetricId id) => ById[id];

    public static bool TryFind(string name, out MetricDefinition definition) =>
        ByName.TryGetValue(name?.Trim() ?? string.Empty, out definition!);
}
