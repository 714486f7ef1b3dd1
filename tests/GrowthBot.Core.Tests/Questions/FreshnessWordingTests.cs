using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Freshness;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Core.Tests.Digests;
using Microsoft.Extensions.Time.Testing;
using DataSource = GrowthBot.Core.Freshness.DataSource;

namespace GrowthBot.Core.Tests.Questions;

/// <summary>Every answer and digest knows how old its data is, and says so in one line when that is past the source's threshold.</summary>
public sealed class FreshnessWordingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A hand-written freshness port: each source's last arrival, with the default thresholds (2, 2 and 7 days).</summary>
    internal sealed class FakeFreshness(TimeProvider time, Dictionary<DataSource, DateTimeOffset> last) : IDataFreshness
    {
        public IReadOnlyList<SourceStatus> Status() => SourceFreshness.StatusOf(last, new FreshnessOptions(), time.GetUtcNow());
    }

    private static MetricEngine Engine(TimeProvider time, DateTime lastMovement)
    {
        var batch = new GrowthDataBatch();
        batch.Subscriptions.AddRange([new("a", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), 100m), new("b", lastMovement, 50m)]);
        var engine = new MetricEngine(new MetricEngineOptions(), TimeZoneInfo.Utc, time);
        engine.Apply(batch);
        return engine;
    }

    private static string Ask(string question, IMetricEngine engine, IDataFreshness freshness, DateTimeOffset now)
    {
        var answerer = new QuestionAnswerer(engine, new Accountability(), "USD", TimeZoneInfo.Utc, freshness: freshness);
        return answerer.Answer(question, QuestionParser.Parse(question, now, TimeZoneInfo.Utc, null), now).Message.FallbackText;
    }

    [Fact]
    public void Answer_BillingLastArrivedThreeDaysAgo_SaysSoInOneLine()
    {
        var time = new FakeTimeProvider(Now);
        using var engine = Engine(time, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        var freshness = new FakeFreshness(time, new() { [DataSource.Billing] = Now.AddDays(-3) });

        var text = Ask("mrr this month", engine, freshness, Now);

        Assert.Contains("⚠️ Billing data is 3 days old (newest from Dec 3, 2026; expected at least every 2 days): this figure may miss what happened since.", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), line => line.Contains("⚠️", StringComparison.Ordinal));
    }

    [Fact]
    public void Answer_BillingArrivedYesterday_HasItsAgeButNoWarning()
    {
        var time = new FakeTimeProvider(Now);
        using var engine = Engine(time, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        var freshness = new FakeFreshness(time, new() { [DataSource.Billing] = Now.AddDays(-1) });
        var answerer = new QuestionAnswerer(engine, new Accountability(), "USD", TimeZoneInfo.Utc, freshness: freshness);

        var reply = answerer.Answer("mrr this month", QuestionParser.Parse("mrr this month", Now, TimeZoneInfo.Utc, null), Now);

        var age = Assert.Single(reply.Answers).Answer!.Age!;
        Assert.Equal((DataSource.Billing, Now.AddDays(-1), false), (age.Source, age.LastAt, age.Stale));
        Assert.DoesNotContain("⚠️", reply.Message.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_TheSameAnswerLaterOnTheClock_TurnsStale()
    {
        var time = new FakeTimeProvider(Now);
        using var engine = Engine(time, new DateTime(2026, 12, 5, 0, 0, 0, DateTimeKind.Utc));
        var freshness = new FakeFreshness(time, new() { [DataSource.Billing] = Now.AddHours(-1) });
        var fresh = Ask("mrr this month", engine, freshness, Now);

        time.Advance(TimeSpan.FromDays(2));
        var later = Ask("mrr this month", engine, freshness, time.GetUtcNow());

        Assert.DoesNotContain("⚠️", fresh, StringComparison.Ordinal);
        Assert.True(later.Contains("Billing data is 2 days old", StringComparison.Ordinal), later);
    }

    [Fact]
    public void Answer_DataEndsBeforeThePeriodAndNothingArrives_OneMergedLineNotTwo()
    {
        var time = new FakeTimeProvider(Now);
        using var engine = Engine(time, new DateTime(2026, 10, 14, 0, 0, 0, DateTimeKind.Utc));
        var freshness = new FakeFreshness(time, new() { [DataSource.Billing] = new DateTimeOffset(2026, 10, 14, 0, 0, 0, TimeSpan.Zero) });

        var text = Ask("mrr this month", engine, freshness, Now);

        Assert.Contains("⚠️ Billing data ends on Oct 14, 2026 and nothing new has arrived for 53 days: the rest of the period has no data", text, StringComparison.Ordinal);
        Assert.DoesNotContain("days old", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), line => line.Contains("⚠️", StringComparison.Ordinal));
    }

    [Fact]
    public void Answer_SurveysWithinTheirSevenDays_NoWarning_ButStaleBillingElsewhere_Warns()
    {
        var time = new FakeTimeProvider(Now);
        using var engine = Engine(time, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        var freshness = new FakeFreshness(time, new() { [DataSource.Billing] = Now.AddDays(-5), [DataSource.Surveys] = Now.AddDays(-5) });
        var batch = new GrowthDataBatch();
        batch.Responses.Add(new SurveyResponse("r1", SurveyKind.Nps, "a", 9, null, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc)));
        engine.Apply(batch);

        var nps = Ask("nps this month", engine, freshness, Now);
        var mrr = Ask("mrr this month", engine, freshness, Now);

        Assert.DoesNotContain("⚠️", nps, StringComparison.Ordinal);
        Assert.Contains("Billing data is 5 days old", mrr, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_StaleBilling_WarningComesFirst()
    {
        var due = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(due);
        using var engine = Engine(time, new DateTime(2026, 11, 18, 0, 0, 0, DateTimeKind.Utc));
        var freshness = new FakeFreshness(time, new() { [DataSource.Billing] = due.AddDays(-4) });
        var composer = new DigestComposer(engine, new FakeComments(), new FakeChart(), new DigestOptions(), "USD", time, freshness);
        var week = DigestCalendar.PeriodFor(DigestSchedule.Default, TimeZoneInfo.Utc, due);

        var digest = composer.Compose(new DigestRequest("Finance", [MetricId.Mrr, MetricId.Nrr], week, new Dictionary<MetricId, decimal>(), DigestMode.Scheduled, due));

        var first = Assert.IsType<TextBlock>(digest.Message.Blocks[1]);
        Assert.StartsWith("⚠️ Billing data is 4 days old (newest from Nov 19, 2026; expected at least every 2 days).", first.Text, StringComparison.Ordinal);
        Assert.Single(digest.Message.Blocks, block => block is TextBlock text && text.Text.Contains("⚠️", StringComparison.Ordinal));
    }

    [Fact]
    public void Compose_GapAndStaleSameSource_OneSentence()
    {
        var due = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(due);
        using var engine = Engine(time, new DateTime(2026, 7, 14, 0, 0, 0, DateTimeKind.Utc));
        var freshness = new FakeFreshness(time, new() { [DataSource.Billing] = new DateTimeOffset(2026, 7, 14, 0, 0, 0, TimeSpan.Zero) });
        var composer = new DigestComposer(engine, new FakeComments(), new FakeChart(), new DigestOptions(), "USD", time, freshness);
        var week = DigestCalendar.PeriodFor(DigestSchedule.Default, TimeZoneInfo.Utc, due);

        var digest = composer.Compose(new DigestRequest("Service", [MetricId.Retention, MetricId.Nrr], week, new Dictionary<MetricId, decimal>(), DigestMode.Scheduled, due));

        var first = Assert.IsType<TextBlock>(digest.Message.Blocks[1]);
        Assert.StartsWith("⚠️ Billing data ends on Jul 14, 2026 and nothing new has arrived for 132 days.", first.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("days old", first.Text, StringComparison.Ordinal);
    }
}
