namespace GrowthBot.Bench.Questions;

/// <summary>One timed question; <see cref="Before"/> is asked untimed first in the same conversation (for follow-ups).</summary>
internal sealed record BenchQuestion(string Text, string? Before = null);

/// <summary>What staff ask: single values, comparisons, breakdowns, series, typos, follow-ups, meta questions and nonsense.</summary>
internal static class BenchQuestions
{
    public static IReadOnlyList<BenchQuestion> All { get; } =
    [
        new("what's our churn this month?"),
        new("NPS last quarter"),
        new("NPS and CSAT this quarter vs last quarter"),
        new("MRR"),
        new("NRR by segment last month"),
        new("CAC by channel since March"),
        new("LTV:CAC YTD"),
        new("FCR last 30 days"),
        new("repeat purchases in October"),
        new("activation last week"),
        new("quick ratio Q3"),
        new("explain revenue churn last month"),
        new("churn over the last 6 months"),
        new("weekly NPS"),
        new("chrun lsat month??"),
        new("and by segment?", Before: "churn this month"),
        new("how is churn calculated?"),
        new("asdfgh"),
    ];
}
