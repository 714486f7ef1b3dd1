using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Questions;

/// <summary>
/// The words people use for each metric, as lower-case word sequences (hyphens and punctuation
/// already split off by <see cref="QuestionTokenizer"/>). The longest phrase wins, so "net revenue
/// churn" is not read as "revenue churn", nor "ltv to cac" as LTV and CAC.
/// </summary>
/// <remarks>
/// Plain "revenue churn" and "MRR churn" mean <see cref="MetricId.GrossRevenueChurn"/>: the
/// unqualified term conventionally means MRR lost to churn and downgrades, not offset by expansion
/// (the net figure can go negative and is always called "net"), and it matches how the catalog
/// defines MRR churn. "Net revenue churn" / "net churn" mean <see cref="MetricId.NetRevenueChurn"/>.
/// Plain "revenue" means MRR; plain "growth" and "growth rate" mean customer growth.
/// </remarks>
internal static class MetricSynonyms
{
    private static readonly (string Phrase, MetricId Metric)[] Table =
    [
        ("churn", MetricId.CustomerChurn), ("churn rate", MetricId.CustomerChurn), ("customer churn", MetricId.CustomerChurn),
        ("customer churn rate", MetricId.CustomerChurn), ("attrition", MetricId.CustomerChurn), ("attrition rate", MetricId.CustomerChurn),
        ("customer attrition", MetricId.CustomerChurn), ("logo churn", MetricId.CustomerChurn), ("churned", MetricId.CustomerChurn),
        ("cancellation", MetricId.CustomerChurn),
        ("cancellations", MetricId.CustomerChurn), ("cancellation rate", MetricId.CustomerChurn), ("churning", MetricId.CustomerChurn),

        ("revenue churn", MetricId.GrossRevenueChurn), ("revenue churn rate", MetricId.GrossRevenueChurn), ("mrr churn", MetricId.GrossRevenueChurn),
        ("gross revenue churn", MetricId.GrossRevenueChurn), ("gross mrr churn", MetricId.GrossRevenueChurn), ("gross churn", MetricId.GrossRevenueChurn),
        ("dollar churn", MetricId.GrossRevenueChurn), ("gross dollar churn", MetricId.GrossRevenueChurn), ("churned mrr", MetricId.GrossRevenueChurn),

        ("net revenue churn", MetricId.NetRevenueChurn), ("net mrr churn", MetricId.NetRevenueChurn), ("net churn", MetricId.NetRevenueChurn),
        ("net dollar churn", MetricId.NetRevenueChurn), ("net revenue churn rate", MetricId.NetRevenueChurn),

        ("nrr", MetricId.Nrr), ("net retention", MetricId.Nrr), ("net revenue retention", MetricId.Nrr), ("net dollar retention", MetricId.Nrr),
        ("ndr", MetricId.Nrr), ("net mrr retention", MetricId.Nrr), ("net retention rate", MetricId.Nrr),

        ("grr", MetricId.Grr), ("gross retention", MetricId.Grr), ("gross revenue retention", MetricId.Grr), ("gross dollar retention", MetricId.Grr),
        ("gdr", MetricId.Grr), ("gross mrr retention", MetricId.Grr), ("gross retention rate", MetricId.Grr),

        ("retention", MetricId.Retention), ("retention rate", MetricId.Retention), ("customer retention", MetricId.Retention),
        ("customer retention rate", MetricId.Retention), ("logo retention", MetricId.Retention), ("retained customers", MetricId.Retention),

        ("nps", MetricId.Nps), ("promoter score", MetricId.Nps), ("net promoter score", MetricId.Nps), ("net promoter", MetricId.Nps),
        ("nps score", MetricId.Nps), ("promoters", MetricId.Nps),

        ("ces", MetricId.Ces), ("effort score", MetricId.Ces), ("customer effort score", MetricId.Ces), ("customer effort", MetricId.Ces),
        ("effort", MetricId.Ces), ("ces score", MetricId.Ces),

        ("csat", MetricId.Csat), ("satisfaction", MetricId.Csat), ("customer satisfaction", MetricId.Csat), ("satisfaction score", MetricId.Csat),
        ("csat score", MetricId.Csat), ("customer satisfaction score", MetricId.Csat), ("satisfied", MetricId.Csat),

        ("cac", MetricId.Cac), ("acquisition cost", MetricId.Cac), ("customer acquisition cost", MetricId.Cac), ("cost of acquisition", MetricId.Cac),
        ("cost per acquisition", MetricId.Cac), ("cost to acquire", MetricId.Cac), ("cost to acquire a customer", MetricId.Cac),
        ("acquisition costs", MetricId.Cac), ("cost per customer", MetricId.Cac), ("cpa", MetricId.Cac),

        ("ltv", MetricId.Ltv), ("lifetime value", MetricId.Ltv), ("customer lifetime value", MetricId.Ltv), ("clv", MetricId.Ltv),
        ("cltv", MetricId.Ltv), ("lifetime", MetricId.Ltv),

        ("ltv cac", MetricId.LtvCac), ("ltv to cac", MetricId.LtvCac), ("ltv cac ratio", MetricId.LtvCac), ("ltv to cac ratio", MetricId.LtvCac),
        ("clv cac", MetricId.LtvCac), ("clv to cac", MetricId.LtvCac), ("ltv over cac", MetricId.LtvCac),
        ("lifetime value to acquisition cost", MetricId.LtvCac), ("lifetime value to cac", MetricId.LtvCac), ("ltvcac", MetricId.LtvCac),

        ("fcr", MetricId.Fcr), ("first contact resolution", MetricId.Fcr), ("first contact resolution rate", MetricId.Fcr),
        ("first call resolution", MetricId.Fcr), ("first touch resolution", MetricId.Fcr), ("one touch resolution", MetricId.Fcr),
        ("resolved on first contact", MetricId.Fcr), ("first contact", MetricId.Fcr),

        ("repeat purchase", MetricId.RepeatPurchase), ("repeat purchases", MetricId.RepeatPurchase), ("repeat purchase rate", MetricId.RepeatPurchase),
        ("repeat purchasing", MetricId.RepeatPurchase), ("repeat buyers", MetricId.RepeatPurchase), ("repeat customers", MetricId.RepeatPurchase),
        ("repeat orders", MetricId.RepeatPurchase), ("repeat rate", MetricId.RepeatPurchase), ("repurchase rate", MetricId.RepeatPurchase),
        ("repurchase", MetricId.RepeatPurchase), ("repeat", MetricId.RepeatPurchase),

        ("activation", MetricId.Activation), ("activation rate", MetricId.Activation), ("activations", MetricId.Activation),
        ("activated", MetricId.Activation), ("onboarding rate", MetricId.Activation),

        ("expansion", MetricId.ExpansionRevenue), ("expansion revenue", MetricId.ExpansionRevenue), ("expansion mrr", MetricId.ExpansionRevenue),
        ("upsell", MetricId.ExpansionRevenue), ("upsells", MetricId.ExpansionRevenue), ("upgrades", MetricId.ExpansionRevenue),
        ("upsell revenue", MetricId.ExpansionRevenue), ("expansions", MetricId.ExpansionRevenue),

        ("quick ratio", MetricId.QuickRatio), ("saas quick ratio", MetricId.QuickRatio), ("growth efficiency", MetricId.QuickRatio),

        ("mrr", MetricId.Mrr), ("monthly recurring revenue", MetricId.Mrr), ("recurring revenue", MetricId.Mrr), ("revenue", MetricId.Mrr),
        ("total mrr", MetricId.Mrr),

        ("arpa", MetricId.Arpa), ("arpu", MetricId.Arpa), ("arpc", MetricId.Arpa), ("average revenue per account", MetricId.Arpa),
        ("average revenue per user", MetricId.Arpa), ("average revenue per customer", MetricId.Arpa), ("revenue per account", MetricId.Arpa),
        ("revenue per customer", MetricId.Arpa), ("revenue per user", MetricId.Arpa),

        ("growth", MetricId.CustomerGrowth), ("growth rate", MetricId.CustomerGrowth), ("customer growth", MetricId.CustomerGrowth),
        ("customer growth rate", MetricId.CustomerGrowth), ("customer base growth", MetricId.CustomerGrowth), ("customer count growth", MetricId.CustomerGrowth),

        ("revenue growth", MetricId.RevenueGrowth), ("revenue growth rate", MetricId.RevenueGrowth), ("mrr growth", MetricId.RevenueGrowth),
        ("mrr growth rate", MetricId.RevenueGrowth),

        ("existing revenue growth", MetricId.ExistingRevenueGrowth), ("existing customer revenue growth", MetricId.ExistingRevenueGrowth),
        ("existing customer growth", MetricId.ExistingRevenueGrowth), ("existing customers revenue growth", MetricId.ExistingRevenueGrowth),
        ("revenue growth from existing customers", MetricId.ExistingRevenueGrowth), ("existing revenue", MetricId.ExistingRevenueGrowth),

        // Counts. Plain "customers" is no metric ("churn of enterprise customers" asks for churn), so
        // the count needs words that ask for one.
        ("how many customers", MetricId.PayingCustomers), ("number of customers", MetricId.PayingCustomers), ("customer count", MetricId.PayingCustomers),
        ("customers count", MetricId.PayingCustomers), ("paying customers", MetricId.PayingCustomers), ("active customers", MetricId.PayingCustomers),
        ("total customers", MetricId.PayingCustomers), ("how many paying customers", MetricId.PayingCustomers), ("number of paying customers", MetricId.PayingCustomers),
        ("how many clients", MetricId.PayingCustomers), ("how many accounts", MetricId.PayingCustomers), ("paying accounts", MetricId.PayingCustomers),
        ("count of customers", MetricId.PayingCustomers),

        ("new customers", MetricId.NewCustomers), ("new customer", MetricId.NewCustomers), ("how many new customers", MetricId.NewCustomers),
        ("number of new customers", MetricId.NewCustomers), ("new logos", MetricId.NewCustomers), ("new paying customers", MetricId.NewCustomers),
        ("customers won", MetricId.NewCustomers), ("customers added", MetricId.NewCustomers), ("new accounts", MetricId.NewCustomers),
        ("how many customers joined", MetricId.NewCustomers), ("how many customers signed", MetricId.NewCustomers), ("how many customers did we win", MetricId.NewCustomers),
        ("how many customers did we gain", MetricId.NewCustomers), ("how many customers did we add", MetricId.NewCustomers),

        ("churned customers", MetricId.ChurnedCustomers), ("churned customer", MetricId.ChurnedCustomers), ("how many customers churned", MetricId.ChurnedCustomers),
        ("how many churned", MetricId.ChurnedCustomers), ("number of churned customers", MetricId.ChurnedCustomers), ("customers churned", MetricId.ChurnedCustomers),
        ("customers lost", MetricId.ChurnedCustomers), ("lost customers", MetricId.ChurnedCustomers), ("how many customers did we lose", MetricId.ChurnedCustomers),
        ("how many customers left", MetricId.ChurnedCustomers), ("customers who churned", MetricId.ChurnedCustomers), ("customers that churned", MetricId.ChurnedCustomers),
        ("churned accounts", MetricId.ChurnedCustomers), ("lost logos", MetricId.ChurnedCustomers), ("how many customers cancelled", MetricId.ChurnedCustomers),
        ("how many customers canceled", MetricId.ChurnedCustomers), ("how many cancelled", MetricId.ChurnedCustomers),
    ];

    /// <summary>Phrases as word arrays, longest first.</summary>
    public static IReadOnlyList<(string[] Words, MetricId Metric)> Phrases { get; } = Table
        .Select(entry => (Words: entry.Phrase.Split(' '), entry.Metric))
        .OrderByDescending(entry => entry.Words.Length)
        .ToList();

    /// <summary>Every word that appears in some phrase.</summary>
    public static IReadOnlySet<string> Words { get; } = Table.SelectMany(entry => entry.Phrase.Split(' ')).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Single words and short names to suggest from when a word is not understood: each metric's
    /// catalog name and one-word synonyms.
    /// </summary>
    public static IReadOnlyDictionary<string, MetricId> SuggestionKeys { get; } = BuildSuggestionKeys();

    /// <summary>A few words people can use for a metric, for help and definitions ("churn, attrition").</summary>
    public static IReadOnlyList<string> ExamplesFor(MetricId metric) => Examples.GetValueOrDefault(metric, []);

    private static readonly Dictionary<MetricId, string[]> Examples = new()
    {
        [MetricId.Nps] = ["NPS", "promoter score"],
        [MetricId.Csat] = ["CSAT", "satisfaction"],
        [MetricId.Ces] = ["CES", "effort score"],
        [MetricId.Mrr] = ["MRR", "revenue"],
        [MetricId.Arpa] = ["ARPA", "ARPU"],
        [MetricId.CustomerChurn] = ["churn", "attrition", "logo churn"],
        [MetricId.Retention] = ["retention"],
        [MetricId.GrossRevenueChurn] = ["revenue churn", "MRR churn"],
        [MetricId.NetRevenueChurn] = ["net revenue churn", "net churn"],
        [MetricId.Nrr] = ["NRR", "net retention"],
        [MetricId.Grr] = ["GRR", "gross retention"],
        [MetricId.ExistingRevenueGrowth] = ["existing-customer revenue growth"],
        [MetricId.ExpansionRevenue] = ["expansion", "upsell"],
        [MetricId.QuickRatio] = ["quick ratio"],
        [MetricId.CustomerGrowth] = ["growth rate", "customer growth"],
        [MetricId.RevenueGrowth] = ["revenue growth", "MRR growth"],
        [MetricId.Cac] = ["CAC", "acquisition cost"],
        [MetricId.Ltv] = ["LTV", "CLV", "lifetime value"],
        [MetricId.LtvCac] = ["LTV:CAC", "LTV to CAC"],
        [MetricId.Fcr] = ["FCR", "first contact resolution"],
        [MetricId.RepeatPurchase] = ["repeat purchases"],
        [MetricId.Activation] = ["activation"],
        [MetricId.PayingCustomers] = ["how many customers", "paying customers"],
        [MetricId.NewCustomers] = ["new customers"],
        [MetricId.ChurnedCustomers] = ["churned customers", "customers lost"],
    };

    private static Dictionary<string, MetricId> BuildSuggestionKeys()
    {
        var keys = new Dictionary<string, MetricId>(StringComparer.Ordinal);
        foreach (var definition in MetricCatalog.All) keys[definition.Name] = definition.Id;
        foreach (var (phrase, metric) in Table)
        {
            if (!phrase.Contains(' ', StringComparison.Ordinal)) keys.TryAdd(phrase, metric);
        }
        return keys;
    }
}
