using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Tests.Questions;

/// <summary>Scores meet revenue in digests: the line splitting churn, NRR and expansion by survey group.</summary>
public sealed class CategorySplitDigestSectionTests : IDisposable
{
    private static DateTime Day(int year, int month, int day) => new(year, month, day, 0, 0, 0, DateTimeKind.Utc);

    private readonly MetricEngine _engine = new(new MetricEngineOptions());

    public void Dispose() => _engine.Dispose();

    private static DigestRequest Week(params MetricId[] metrics) => WeekOf(new DateTime(2026, 11, 23), metrics);

    private static DigestRequest WeekOf(DateTime monday, params MetricId[] metrics) =>
        new("Finance", metrics, new DigestPeriod(DigestCadence.Weekly, monday, TimeZoneInfo.Utc), new Dictionary<MetricId, decimal>());

    /// <summary>Paying since January: ten promoters at 100 (p0 upgrades to 150 and p1 cancels in the week), two detractors at 200 (d0 drops to 100), one who never answered.</summary>
    private void Seed(SurveyKind survey, int promoterScore, int detractorScore)
    {
        var batch = new GrowthDataBatch();
        void Paying(string id, decimal mrr)
        {
            batch.Customers.Add(new Customer(id, id, "SMB", "organic", Day(2026, 1, 1), null));
            batch.Subscriptions.Add(new SubscriptionChange(id, Day(2026, 1, 1), mrr));
        }
        for (var i = 0; i < 10; i++)
        {
            Paying($"p{i}", 100m);
            batch.Responses.Add(new SurveyResponse($"rp{i}", survey, $"p{i}", promoterScore, null, Day(2026, 6, 1)));
        }
        for (var i = 0; i < 2; i++)
        {
            Paying($"d{i}", 200m);
            batch.Responses.Add(new SurveyResponse($"rd{i}", survey, $"d{i}", detractorScore, null, Day(2026, 6, 1)));
        }
        Paying("silent", 50m);
        batch.Subscriptions.Add(new SubscriptionChange("p0", Day(2026, 11, 25), 150m));
        batch.Subscriptions.Add(new SubscriptionChange("p1", Day(2026, 11, 25), 0m));
        batch.Subscriptions.Add(new SubscriptionChange("d0", Day(2026, 11, 26), 100m));
        _engine.Apply(batch);
    }

    [Fact]
    public void Blocks_ChurnNrrExpansionDigest_SplitsThemByNpsGroup_WithSizes()
    {
        Seed(SurveyKind.Nps, 10, 2);
        var section = new CategorySplitDigestSection(_engine);

        var text = Assert.IsType<ContextBlock>(Assert.Single(section.Blocks(Week(MetricId.Mrr, MetricId.CustomerChurn, MetricId.Nrr, MetricId.ExpansionRevenue)))).Text;

        // Promoters: 1 of 10 churned = 10 %; NRR (8×100 + 150 + 0) ÷ 1,000 = 95 %; expansion 50 ÷ 1,000 = 5 %.
        // Detractors: none churned; NRR (100 + 200) ÷ 400 = 75 %; no expansion; 2 customers, too small.
        Assert.Equal(
            "By NPS group this week (latest answer before it; customers paying at its start): " +
            "Promoters Churn 10.0%, NRR 95.0%, Expansion 5.0% (10); " +
            "Passives Churn no data, NRR no data, Expansion no data (0, too small to compare); " +
            "Detractors Churn 0.0%, NRR 75.0%, Expansion 0.0% (2, too small to compare). " +
            "1 paying customer had not answered.", text);
    }

    [Fact]
    public void Blocks_OnlyCsatAnswered_SplitsByCsatGroup_ForTheDigestsRevenueMetricsOnly()
    {
        Seed(SurveyKind.Csat, 5, 1);
        var section = new CategorySplitDigestSection(_engine);

        var text = Assert.IsType<ContextBlock>(Assert.Single(section.Blocks(Week(MetricId.Nrr)))).Text;

        Assert.StartsWith("By CSAT group this week", text, StringComparison.Ordinal);
        Assert.Contains("Satisfied NRR 95.0% (10)", text, StringComparison.Ordinal);
        Assert.Contains("Dissatisfied NRR 75.0% (2, too small to compare)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Churn", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocks_NpsAndCsatBothAnswered_SplitsByEachSurveyFromItsOwnAnswers()
    {
        Seed(SurveyKind.Nps, 10, 2);
        // The same customers also answered CSAT, the other way round: p0–p9 dissatisfied (1), d0–d1 satisfied (5).
        var csat = new GrowthDataBatch();
        for (var i = 0; i < 10; i++) csat.Responses.Add(new SurveyResponse($"cp{i}", SurveyKind.Csat, $"p{i}", 1, null, Day(2026, 6, 2)));
        for (var i = 0; i < 2; i++) csat.Responses.Add(new SurveyResponse($"cd{i}", SurveyKind.Csat, $"d{i}", 5, null, Day(2026, 6, 2)));
        _engine.Apply(csat);
        var section = new CategorySplitDigestSection(_engine);

        var lines = section.Blocks(Week(MetricId.Nrr)).Select(block => Assert.IsType<ContextBlock>(block).Text).ToList();

        Assert.Equal(2, lines.Count);
        Assert.StartsWith("By NPS group this week", lines[0], StringComparison.Ordinal);
        Assert.Contains("Promoters NRR 95.0% (10)", lines[0], StringComparison.Ordinal);
        Assert.Contains("Detractors NRR 75.0% (2, too small to compare)", lines[0], StringComparison.Ordinal);
        // CSAT from CSAT's answers: the NPS promoters are its dissatisfied group, and the other way round.
        Assert.StartsWith("By CSAT group this week", lines[1], StringComparison.Ordinal);
        Assert.Contains("Satisfied NRR 75.0% (2, too small to compare)", lines[1], StringComparison.Ordinal);
        Assert.Contains("Dissatisfied NRR 95.0% (10)", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Blocks_NoRevenueMetric_OrNoSurveyAnswered_HasNone()
    {
        var section = new CategorySplitDigestSection(_engine);
        Seed(SurveyKind.Nps, 10, 2);
        Assert.Empty(section.Blocks(Week(MetricId.Mrr, MetricId.Nps)));
        // Billing data ends Nov 26: a week ending a month later would show churn made up from missing rows.
        Assert.Empty(section.Blocks(WeekOf(new DateTime(2026, 12, 21), MetricId.CustomerChurn)));

        using var empty = new MetricEngine(new MetricEngineOptions());
        var batch = new GrowthDataBatch();
        batch.Customers.Add(new Customer("a", "a", "SMB", "organic", Day(2026, 1, 1), null));
        batch.Subscriptions.Add(new SubscriptionChange("a", Day(2026, 1, 1), 100m));
        empty.Apply(batch);
        Assert.Empty(new CategorySplitDigestSection(empty).Blocks(Week(MetricId.CustomerChurn)));
    }
}
