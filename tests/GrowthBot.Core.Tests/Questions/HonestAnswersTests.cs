using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Core.Tests.Digests;
using GrowthBot.Formulas;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.Questions;

/// <summary>Answers that say what they don't know: small samples, stale data, what "revenue" means.</summary>
public sealed class HonestAnswersTests
{
    private static MetricDefinition Def(MetricId id) => MetricCatalog.Get(id);

    [Fact]
    public void Describe_NpsFromTwoTensToTwoZeros_SaysItCannotTellAndGivesN()
    {
        var before = SurveyFormulas.Nps(SurveyFormulas.Tally([10, 10], SurveyFormulas.NpsMax));
        var now = SurveyFormulas.Nps(SurveyFormulas.Tally([0, 0], SurveyFormulas.NpsMax));

        var text = ChangeText.Describe(Def(MetricId.Nps), now, before, "May", "USD");

        Assert.Contains("with n = 2 now and n = 2 before, there are too few answers to tell a real change from noise", text, StringComparison.Ordinal);
        Assert.DoesNotContain("±", text, StringComparison.Ordinal);
        Assert.DoesNotContain("likely a real change", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MetricId.Csat, 5, 1)]
    [InlineData(MetricId.Ces, 7, 1)]
    public void Describe_OneAnswerEachPeriod_SaysItCannotTell(MetricId metric, int before, int now)
    {
        MetricResult Score(int score) => metric == MetricId.Csat
            ? SurveyFormulas.Csat(SurveyFormulas.Tally([score], SurveyFormulas.CsatMax))
            : SurveyFormulas.Ces(SurveyFormulas.Tally([score], SurveyFormulas.CesMax));

        var text = ChangeText.Describe(Def(metric), Score(now), Score(before), "May", "USD");

        Assert.Contains("with n = 1 now and n = 1 before, there are too few answers", text, StringComparison.Ordinal);
        Assert.DoesNotContain("±0.0", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_EnoughAnswersAllAlike_GivesAVerdictWithANonZeroMargin()
    {
        var before = SurveyFormulas.Nps(SurveyFormulas.Tally(Enumerable.Repeat(10, 40), SurveyFormulas.NpsMax));
        var now = SurveyFormulas.Nps(SurveyFormulas.Tally(Enumerable.Repeat(0, 40), SurveyFormulas.NpsMax));

        var text = ChangeText.Describe(Def(MetricId.Nps), now, before, "May", "USD");

        Assert.Contains("beyond the margin of error", text, StringComparison.Ordinal);
        Assert.DoesNotContain("±0.0", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RevenueLastQuarter_SaysPlainlyItIsMrrAtTheEnd()
    {
        var parsed = QuestionParser.Parse("revenue last quarter", ParserTable.Now, ParserTable.Berlin, null);

        Assert.Equal([MetricId.Mrr], parsed.Metrics);
        Assert.Contains(parsed.NoteList, note => note.Contains("MRR at the end of the period", StringComparison.Ordinal));
        Assert.DoesNotContain(QuestionParser.Parse("mrr last quarter", ParserTable.Now, ParserTable.Berlin, null).NoteList,
            note => note.Contains("MRR at the end", StringComparison.Ordinal));
    }

    [Fact]
    public void Compose_BillingDataEndedBeforeTheWeek_WarnsAtTheTop_AndShowsNoPerfectRetention()
    {
        var due = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        var week = DigestCalendar.PeriodFor(DigestSchedule.Default, TimeZoneInfo.Utc, due);
        var batch = new GrowthDataBatch();
        batch.Subscriptions.AddRange([new("a", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), 100m), new("b", new DateTime(2026, 7, 14, 0, 0, 0, DateTimeKind.Utc), 50m)]);
        using var engine = new MetricEngine(new MetricEngineOptions(), TimeZoneInfo.Utc, new FakeTimeProvider(due));
        engine.Apply(batch);
        var composer = new DigestComposer(engine, new FakeComments(), new FakeChart(), new DigestOptions(), "USD", new FakeTimeProvider(due));

        var digest = composer.Compose(new DigestRequest("Service", [MetricId.Retention, MetricId.CustomerChurn, MetricId.Nrr], week, new Dictionary<MetricId, decimal>(), DigestMode.Scheduled, due));

        var top = Assert.IsType<TextBlock>(digest.Message.Blocks[1]);
        Assert.StartsWith("⚠️ Billing data ends on Jul 14, 2026.", top.Text, StringComparison.Ordinal);
        Assert.Empty(digest.Shown);
        Assert.Equal(3, digest.NoData.Count);
    }

    [Fact]
    public void Answer_ChurnAfterTheDataEnds_SaysHowOldTheDataIs()
    {
        var now = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
        var batch = new GrowthDataBatch();
        batch.Subscriptions.AddRange([new("a", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), 100m), new("b", new DateTime(2026, 7, 14, 0, 0, 0, DateTimeKind.Utc), 50m)]);
        using var engine = new MetricEngine(new MetricEngineOptions(), TimeZoneInfo.Utc, new FakeTimeProvider(now));
        engine.Apply(batch);
        var answerer = new QuestionAnswerer(engine, new Accountability(), "USD", TimeZoneInfo.Utc);
        var question = QuestionParser.Parse("churn this month", now, TimeZoneInfo.Utc, null);

        var reply = answerer.Answer("churn this month", question, now);

        var text = string.Join("\n", reply.Message.Blocks.OfType<TextBlock>().Select(block => block.Text));
        Assert.Contains("no data", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("billing data ends on Jul 14, 2026", text, StringComparison.Ordinal);
        Assert.DoesNotContain("0%", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_Nrr_ShowsTheFormulaComputedWithItsTerms()
    {
        // Start 1 000 (a 600, b 400) on Jan 1; in January b drops to 300 and a rises to 700: NRR 1 000 / 1 000.
        var now = new DateTimeOffset(2026, 2, 10, 12, 0, 0, TimeSpan.Zero);
        var batch = new GrowthDataBatch();
        batch.Subscriptions.AddRange(
        [
            new("a", new DateTime(2025, 12, 1, 0, 0, 0, DateTimeKind.Utc), 600m), new("a", new DateTime(2026, 1, 20, 0, 0, 0, DateTimeKind.Utc), 700m),
            new("b", new DateTime(2025, 12, 1, 0, 0, 0, DateTimeKind.Utc), 400m), new("b", new DateTime(2026, 1, 10, 0, 0, 0, DateTimeKind.Utc), 300m),
            new("c", new DateTime(2026, 2, 3, 0, 0, 0, DateTimeKind.Utc), 50m),
        ]);
        using var engine = new MetricEngine(new MetricEngineOptions(), TimeZoneInfo.Utc, new FakeTimeProvider(now));
        engine.Apply(batch);
        var answerer = new QuestionAnswerer(engine, new Accountability(), "USD", TimeZoneInfo.Utc);
        var question = QuestionParser.Parse("explain nrr last month", now, TimeZoneInfo.Utc, null);

        var text = answerer.Answer("explain nrr last month", question, now).Message.FallbackText;

        Assert.Contains("How it was computed: Net revenue retention = (MRR at the start USD 1,000.00 − churned MRR USD 0.00 − contraction MRR USD 100.00 + expansion MRR USD 100.00) ÷ MRR at the start × 100 = 100%.", text, StringComparison.Ordinal);
        Assert.Contains("Each customer paying at the start is judged by their MRR at the end", text, StringComparison.Ordinal);
    }
}
