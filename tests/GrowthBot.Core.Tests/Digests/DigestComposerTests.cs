using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Tests.Questions;
using GrowthBot.Formulas;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.Digests;

/// <summary>Composition on fixed numbers: Marketing's digest for week 47 of 2026, in Berlin.</summary>
public sealed class DigestComposerTests
{
    private static readonly DateTimeOffset Due = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly DigestPeriod Week = DigestCalendar.PeriodFor(DigestSchedule.Default, DigestCalendarTests.Berlin, Due);

    private readonly FakeMetricEngine _engine = new();
    private readonly FakeComments _comments = new();
    private readonly FakeChart _chart = new();
    private readonly Dictionary<MetricId, decimal> _targets = [];

    public DigestComposerTests()
    {
        Set(MetricId.Nps, new MetricResult(40, 40, 400, 400, 4), new MetricResult(30, 30, 380, 380, 4));
        Set(MetricId.CustomerChurn, Value(2.0m), Value(2.5m));
        Set(MetricId.Csat, new MetricResult(80, 160, 200, 200), new MetricResult(79, 158, 200, 200));
        Set(MetricId.Ces, new MetricResult(5.5m, 550, 100, 100), new MetricResult(5.4m, 540, 100, 100));
        Set(MetricId.Retention, Value(95), Value(94));
        Set(MetricId.GrossRevenueChurn, Value(3), Value(2));
        Set(MetricId.NetRevenueChurn, Value(1), Value(1.1m));
        Set(MetricId.Cac, Value(500), Value(400));
        Set(MetricId.LtvCac, Value(3), Value(3));
        Set(MetricId.CustomerGrowth, Value(5), MetricResult.Undefined());
        _engine.Results[(MetricId.Nps, Week.YearEarlier().From)] = new MetricResult(25, 25, 300, 300, 5);
        for (var back = 2; back < 12; back++) _engine.Results[(MetricId.Nps, Week.Earlier(back).From)] = new MetricResult(20 + back, 1, 1, 100, 5);
    }

    [Fact]
    public void Compose_OrdersByRelativeMovement_AndShowsAtMostSix()
    {
        var digest = Compose();

        Assert.Equal([MetricId.GrossRevenueChurn, MetricId.Nps, MetricId.Cac, MetricId.CustomerChurn, MetricId.NetRevenueChurn, MetricId.Ces],
            digest.Shown.Select(line => line.Metric.Id));
        Assert.Equal([MetricId.Csat, MetricId.Retention, MetricId.LtvCac, MetricId.CustomerGrowth], digest.LeftOut.Select(metric => metric.Id));
        Assert.Equal([MetricId.ExistingRevenueGrowth, MetricId.RepeatPurchase], digest.NoData.Select(metric => metric.Id).Order());
        Assert.Contains("Also tracked, moved less: Customer satisfaction (CSAT), Customer retention rate", digest.Message.FallbackText, StringComparison.Ordinal);
        Assert.Equal(0.5m, digest.Shown[0].Movement);
    }

    [Fact]
    public void Compose_MaxMetricsSetting_CapsTheDigest()
    {
        var digest = Compose(options: new DigestOptions { MaxMetrics = 2 });

        Assert.Equal(2, digest.Shown.Count);
        Assert.Contains("The 2 of 10 metrics that moved most", digest.Message.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_EachMetric_ComparesWithTheWeekBeforeAndAYearEarlier()
    {
        var digest = Compose();
        var text = digest.Message.FallbackText;

        Assert.Contains("Net Promoter Score: +40 — up 10 points from +30 in Nov 9–15, which is good", text, StringComparison.Ordinal);
        Assert.Contains("Same week last year: +25 (+15 since)", text, StringComparison.Ordinal);
        Assert.Contains("Customer churn rate: 2% — down 0.5 pts from 2.5% in Nov 9–15, which is good.", text, StringComparison.Ordinal);
        Assert.Contains(_engine.Queries, query => query.Metric == MetricId.Nps && query.From == Week.From.AddDays(-364));
    }

    [Fact]
    public void Compose_SurveyScore_SaysWhetherTheChangeIsBeyondTheMarginOfError()
    {
        var text = Compose().Message.FallbackText;

        // NPS moved 10 points; the two margins of ±4 combine to ±5.7, so it is beyond.
        Assert.Contains("that is beyond the margin of error (±5.7), so it is likely a real change", text, StringComparison.Ordinal);
        // CES moved 0.1 on 100 answers each; well within its margin.
        Assert.Contains("Customer effort score (CES): 5.50 / 7 — up 0.10 from 5.40 / 7 in Nov 9–15, which is good; that is within the margin of error", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_Targets_AreDirectionAware()
    {
        _targets[MetricId.Nps] = 45;
        _targets[MetricId.CustomerChurn] = 2.2m;
        _targets[MetricId.Cac] = 450;

        var digest = Compose();
        var text = digest.Message.FallbackText;

        Assert.Contains("Target: 5 points to go (target +45)", text, StringComparison.Ordinal);
        Assert.Contains("Target: met (target 2.2%)", text, StringComparison.Ordinal);
        Assert.Contains("Target: USD 50.00", text, StringComparison.Ordinal);
        Assert.Contains("to go (target USD 450.00)", text, StringComparison.Ordinal);
        Assert.Equal(45, digest.Shown.Single(line => line.Metric.Id == MetricId.Nps).Target);
    }

    [Fact]
    public void Compose_Trend_HasTwelveWeeks_AndOneChartForTheMetricsShown()
    {
        var digest = Compose();

        var nps = digest.Shown.Single(line => line.Metric.Id == MetricId.Nps);
        Assert.Equal(12, nps.Trend.Count);
        Assert.Equal([22m, 30m, 40m], nps.Trend.Skip(9));
        var chart = Assert.Single(_chart.Drawn);
        Assert.Equal(12, chart.PeriodLabels.Count);
        Assert.Equal("Nov 16", chart.PeriodLabels[^1]);
        Assert.Equal("Aug 31", chart.PeriodLabels[0]);
        Assert.Equal(6, chart.Series.Count);
        var image = Assert.Single(digest.Message.Blocks.OfType<ImageBlock>());
        Assert.Contains("Net Promoter Score from +31 to +40", image.AltText, StringComparison.Ordinal);
        Assert.Contains("Last 12 weeks: ", digest.Message.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_Comments_AreFromTheTeamsSurveys_AtMostThree_NewestFirst()
    {
        for (var i = 0; i < 5; i++) _comments.Comments.Add(FakeComments.Comment(SurveyKind.Nps, 3 + i, $"Comment {i}", Week.From.AddDays(i)));
        _comments.Comments.Add(FakeComments.Comment(SurveyKind.Nps, 9, "From the week before", Week.From.AddDays(-1)));

        var digest = Compose();

        Assert.Equal(["Comment 4", "Comment 3", "Comment 2"], digest.Comments.Select(comment => comment.Comment));
        Assert.Equal([SurveyKind.Nps, SurveyKind.Ces, SurveyKind.Csat], Assert.Single(_comments.Asked).Surveys.Order());
        Assert.Contains("What customers said this week:\n• “Comment 4” — NPS 7, Nov 20", digest.Message.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_ResponseCounts_ForTheTeamsSurveys()
    {
        var text = Compose().Message.FallbackText;

        Assert.Contains("Survey responses this week: 400 NPS (380 the week before), 200 CSAT (200 the week before), 100 CES (100 the week before).", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_TeamWithoutSurveys_HasNoCommentsAndNoResponseLine()
    {
        var text = Compose(metrics: new Accountability().MetricsFor(Team.Finance)).Message.FallbackText;

        Assert.Empty(_comments.Asked);
        Assert.DoesNotContain("Survey responses", text, StringComparison.Ordinal);
        Assert.DoesNotContain("customers said", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_UndefinedValues_SayNoData_NeverZero()
    {
        var digest = Compose(metrics: [MetricId.RepeatPurchase, MetricId.CustomerGrowth]);
        var text = digest.Message.FallbackText;

        Assert.Contains("Customer growth rate: 5% — no data for Nov 9–15 to compare with.", text, StringComparison.Ordinal);
        Assert.Contains("No data this week for: Repeat purchase rate.", text, StringComparison.Ordinal);
        Assert.Equal([MetricId.CustomerGrowth], digest.Shown.Select(line => line.Metric.Id));
        Assert.DoesNotContain(": 0%", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DigestMode.Scheduled, "Marketing digest — week 47, Nov 16–22")]
    [InlineData(DigestMode.Late, "Marketing digest — week 47, Nov 16–22 (late)")]
    [InlineData(DigestMode.Preview, "Preview: Marketing digest — week 47, Nov 16–22")]
    public void Compose_Header_SaysWhatKindOfDigestItIs(DigestMode mode, string header)
    {
        var digest = Compose(mode: mode);

        Assert.Equal(header, Assert.IsType<HeaderBlock>(digest.Message.Blocks[0]).Text);
        if (mode == DigestMode.Late) Assert.Contains("Sent late: it was due Mon Nov 23, 09:00.", digest.Message.FallbackText, StringComparison.Ordinal);
        if (mode == DigestMode.Preview) Assert.Contains("This is a preview", digest.Message.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_StaysWellInsideSlackMessageLimits()
    {
        for (var i = 0; i < 5; i++) _comments.Comments.Add(FakeComments.Comment(SurveyKind.Csat, 1, new string('x', 2000), Week.From.AddHours(i)));
        foreach (var metric in MetricCatalog.All) _targets[metric.Id] = 1;

        var digest = Compose(metrics: MetricCatalog.All.Select(metric => metric.Id).ToList(), options: new DigestOptions { MaxMetrics = 12 });

        Assert.True(digest.Message.Blocks.Count <= 45, $"{digest.Message.Blocks.Count} blocks");
        Assert.All(digest.Message.Blocks.OfType<TextBlock>(), block => Assert.True(block.Text.Length < 3000));
        Assert.Contains("…” — CSAT 1", digest.Message.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public void Movement_IsRelative_AndUndefinedWithoutBothValues()
    {
        Assert.Equal(0.25m, DigestComposer.Movement(5, 4));
        Assert.Equal(0.25m, DigestComposer.Movement(3, 4));
        Assert.Equal(1m, DigestComposer.Movement(2, 0));
        Assert.Equal(0m, DigestComposer.Movement(0, 0));
        Assert.Null(DigestComposer.Movement(null, 4));
        Assert.Null(DigestComposer.Movement(4, null));
    }

    [Theory]
    [InlineData("de-DE", "Marketing digest — week 47, 16. Nov. – 22. Nov.", "Net Promoter Score: +40 — up 10 points from +30 in 9. Nov. – 15. Nov.", "Customer churn rate: 2 % — down 0,5 pts from 2,5 %", "Sent late: it was due Mon 23. Nov., 09:00.")]
    [InlineData("ja-JP", "Marketing digest — week 47, 11月16日 – 11月22日", "Net Promoter Score: +40 — up 10 points from +30 in 11月9日 – 11月15日", "Customer churn rate: 2% — down 0.5 pts from 2.5%", "Sent late: it was due Mon 11月23日, 09:00.")]
    [InlineData("en-US", "Marketing digest — week 47, Nov 16–22", "Net Promoter Score: +40 — up 10 points from +30 in Nov 9–15", "Customer churn rate: 2% — down 0.5 pts from 2.5%", "Sent late: it was due Mon Nov 23, 09:00.")]
    public void Compose_WithACulture_WritesNumbersAndDatesInIt(string locale, string header, string nps, string churn, string late)
    {
        _targets[MetricId.Cac] = 1234.5m;

        var digest = Compose(mode: DigestMode.Late, culture: System.Globalization.CultureInfo.GetCultureInfo(locale));

        Assert.Equal(header + " (late)", Assert.IsType<HeaderBlock>(digest.Message.Blocks[0]).Text);
        Assert.Contains(nps, digest.Message.FallbackText, StringComparison.Ordinal);
        Assert.Contains(churn, digest.Message.FallbackText, StringComparison.Ordinal);
        Assert.Contains(late, digest.Message.FallbackText, StringComparison.Ordinal);
        var target = locale == "de-DE" ? "target 1.234,50 USD" : "target USD 1,234.50";
        Assert.Contains(target, digest.Message.FallbackText, StringComparison.Ordinal);
    }

    private Digest Compose(IReadOnlyList<MetricId>? metrics = null, DigestOptions? options = null, DigestMode mode = DigestMode.Scheduled, System.Globalization.CultureInfo? culture = null)
    {
        var composer = new DigestComposer(_engine, _comments, _chart, options ?? new DigestOptions(), "USD", new FakeTimeProvider(Due));
        var request = new DigestRequest("Marketing", metrics ?? new Accountability().MetricsFor(Team.Marketing), Week, _targets, mode, Due, culture);
        return composer.Compose(request);
    }

    private void Set(MetricId metric, MetricResult current, MetricResult previous)
    {
        _engine.Results[(metric, Week.From)] = current;
        _engine.Results[(metric, Week.Earlier(1).From)] = previous;
    }

    private static MetricResult Value(decimal value) => new(value, value, 100, 100);
}
