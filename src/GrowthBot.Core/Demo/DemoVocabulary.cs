namespace GrowthBot.Core.Demo;

/// <summary>The segments, channels and comments a demo company uses.</summary>
internal static class DemoVocabulary
{
    public sealed record Segment(string Name, double Share, decimal MinMrr, decimal MaxMrr, double MonthlyChurn);

    public sealed record Channel(string Name, double Share, decimal DailySpend, double ActivationBoost);

    public static readonly Segment[] Segments =
    [
        new("SMB", 0.62, 29m, 149m, 0.035),
        new("Mid-Market", 0.30, 250m, 1_200m, 0.016),
        new("Enterprise", 0.08, 1_500m, 8_000m, 0.007),
    ];

    public static readonly Channel[] Channels =
    [
        new("organic", 0.28, 600m, 0.05),
        new("paid-search", 0.22, 4_200m, -0.05),
        new("social", 0.14, 2_100m, -0.08),
        new("referral", 0.12, 500m, 0.10),
        new("partners", 0.12, 1_500m, 0.04),
        new("outbound", 0.12, 4_800m, 0.00),
    ];

    public static readonly string[] CompanyWords = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent", "Tyrell", "Cyberdyne", "Wonka", "Gringotts", "Aperture", "Pied Piper", "Massive", "Oscorp", "Nakatomi", "Monarch", "Dunder"];

    public static readonly string[] CompanySuffixes = ["Labs", "Inc", "GmbH", "Ltd", "Group", "Systems", "Studio", "Logistics", "Health", "Foods"];

    public static readonly string[] PraiseComments =
    [
        "The weekly reports save my team hours.", "Support answered within minutes, great job!", "Onboarding was smooth and quick.",
        "Love the new dashboard.", "Integrations just work.", "Best tool we've adopted this year.",
    ];

    public static readonly string[] NeutralComments =
    [
        "Does the job, a bit pricey.", "Good overall, exports could be faster.", "Fine, but the mobile app lags behind.",
        "Works, though setup took a while.",
    ];

    public static readonly string[] ComplaintComments =
    [
        "Too expensive for what we use.", "Had to contact support three times for the same issue.", "The billing page is confusing.",
        "Sync keeps failing with our CRM.", "Slow to load on large accounts.", "Missing SSO on our plan.",
    ];
}
