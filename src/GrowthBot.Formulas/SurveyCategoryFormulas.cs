namespace GrowthBot.Formulas;

/// <summary>The group a survey answer puts a customer in.</summary>
public enum SurveyCategory
{
    /// <summary>NPS 9–10.</summary>
    Promoter,
    /// <summary>NPS 7–8.</summary>
    Passive,
    /// <summary>NPS 0–6.</summary>
    Detractor,
    /// <summary>CSAT 4–5.</summary>
    Satisfied,
    /// <summary>CSAT 3.</summary>
    NeutralCsat,
    /// <summary>CSAT 1–2.</summary>
    Dissatisfied,
    /// <summary>CES 5–7 (7 = very easy).</summary>
    Easy,
    /// <summary>CES 4.</summary>
    NeutralCes,
    /// <summary>CES 1–3.</summary>
    Hard,
}

/// <summary>One customer of a category split: their group (from their latest answer before the period) and their MRR at its start and end.</summary>
public readonly record struct CategoryMember(SurveyCategory Category, decimal StartMrr, decimal EndMrr);

/// <summary>
/// Revenue metrics of one group of a category split, over the customers paying at the period's start
/// (a cohort: customers who start paying during the period are nobody's base). <see cref="TooSmall"/>
/// is true below <see cref="SurveyCategoryFormulas.MinimumGroupSize"/> customers: its rates are still
/// given, but are not to be compared with the other groups'.
/// </summary>
public sealed record CategoryRevenue(
    SurveyCategory Category,
    int Customers,
    int Churned,
    decimal StartMrr,
    decimal EndMrr,
    decimal Expansion,
    decimal? CustomerChurnRate,
    decimal? Nrr,
    decimal? ExpansionRate,
    bool TooSmall);

/// <summary>
/// Scores meet revenue: which survey group a score falls in, and churn, NRR and expansion per group.
/// Point to point over the period: each customer paying at the start (MRR &gt; 0) is in the base;
/// churned = paying nothing at the end; NRR = Σ end MRR ÷ Σ start MRR × 100; expansion rate =
/// Σ max(0, end − start) ÷ Σ start MRR × 100; customer churn rate = churned ÷ customers × 100. Rates
/// are percentages, undefined (null) for an empty group. A movement that is undone within the period
/// (a downgrade and back) does not show, unlike the movement-based NRR of the whole company.
/// </summary>
public static class SurveyCategoryFormulas
{
    /// <summary>Below this many customers a group is reported but called too small to compare.</summary>
    public const int MinimumGroupSize = 10;

    public static SurveyCategory Nps(int score) => score >= 9 ? SurveyCategory.Promoter : score >= 7 ? SurveyCategory.Passive : SurveyCategory.Detractor;

    public static SurveyCategory Csat(int score) => score >= 4 ? SurveyCategory.Satisfied : score == 3 ? SurveyCategory.NeutralCsat : SurveyCategory.Dissatisfied;

    public static SurveyCategory Ces(int score) => score >= 5 ? SurveyCategory.Easy : score == 4 ? SurveyCategory.NeutralCes : SurveyCategory.Hard;

    /// <summary>The groups of <paramref name="categories"/>, in that order, each with its metrics (an empty group too).</summary>
    public static IReadOnlyList<CategoryRevenue> Split(IEnumerable<CategoryMember> members, IReadOnlyList<SurveyCategory> categories)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(categories);
        var totals = categories.ToDictionary(category => category, _ => (Customers: 0, Churned: 0, Start: 0m, End: 0m, Expansion: 0m));
        foreach (var member in members)
        {
            if (member.StartMrr <= 0 || !totals.TryGetValue(member.Category, out var total)) continue;
            var end = Math.Max(0m, member.EndMrr);
            totals[member.Category] = (total.Customers + 1, total.Churned + (end == 0 ? 1 : 0), total.Start + member.StartMrr, total.End + end,
                total.Expansion + Math.Max(0m, end - member.StartMrr));
        }
        return categories.Select(category =>
        {
            var (customers, churned, start, end, expansion) = totals[category];
            return new CategoryRevenue(category, customers, churned, start, end, expansion,
                customers == 0 ? null : (decimal)churned / customers * 100m,
                start == 0 ? null : end / start * 100m,
                start == 0 ? null : expansion / start * 100m,
                customers < MinimumGroupSize);
        }).ToList();
    }

    /// <summary>The groups of a survey's scale, best first: promoters, passives, detractors (and the same for CSAT and CES).</summary>
    public static IReadOnlyList<SurveyCategory> GroupsOfNps { get; } = [SurveyCategory.Promoter, SurveyCategory.Passive, SurveyCategory.Detractor];

    public static IReadOnlyList<SurveyCategory> GroupsOfCsat { get; } = [SurveyCategory.Satisfied, SurveyCategory.NeutralCsat, SurveyCategory.Dissatisfied];

    public static IReadOnlyList<SurveyCategory> GroupsOfCes { get; } = [SurveyCategory.Easy, SurveyCategory.NeutralCes, SurveyCategory.Hard];
}
