using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Freshness;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Core.Surveys;
using Microsoft.Extensions.Time.Testing;
using DataSource = GrowthBot.Core.Freshness.DataSource;

namespace GrowthBot.Slack.Tests.Support;

/// <summary>
/// A metric answer and a digest from Core's own handler and composer, over billing data that last
/// arrived four days before the fake clock's now (the threshold is two days), for the renderers' tests.
/// </summary>
internal static class StaleDataAnswers
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    public const string Warning = "⚠️ Billing data is 4 days old (newest from Nov 19, 2026; expected at least every 2 days)";

    public static ChatMessage Answer()
    {
        var time = new FakeTimeProvider(Now);
        var engine = Engine(time);
        var handler = QuestionHandler.Create(engine, new Accountability(), new MetricEngineOptions(), new CompanyOptions { TimeZone = "UTC" },
            new AccessPolicy(Staff()), time, freshness: new Freshness(time));
        var from = new Requester(ChatPlatform.Slack, "U0STAFF", null, IsGuest: false);
        return handler.Reply(new IncomingMessage(ChatPlatform.Slack, "Ev1", "D1", null, from, "mrr this month", Now)).Message;
    }

    private static AccessOptions Staff()
    {
        var access = new AccessOptions();
        access.AllowedUserIds.Add("U0STAFF");
        return access;
    }

    public static ChatMessage Digest()
    {
        var time = new FakeTimeProvider(Now);
        var composer = new DigestComposer(Engine(time), new NoComments(), new NoChart(), new DigestOptions(), "USD", time, new Freshness(time));
        var week = DigestCalendar.PeriodFor(DigestSchedule.Default, TimeZoneInfo.Utc, Now);
        return composer.Compose(new DigestRequest("Finance", [MetricId.Mrr, MetricId.Nrr], week, new Dictionary<MetricId, decimal>(), DigestMode.Scheduled, Now)).Message;
    }

    private static MetricEngine Engine(TimeProvider time)
    {
        var batch = new GrowthDataBatch();
        batch.Subscriptions.AddRange([new("a", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), 100m), new("b", new DateTime(2026, 11, 18, 0, 0, 0, DateTimeKind.Utc), 50m)]);
        var engine = new MetricEngine(new MetricEngineOptions(), TimeZoneInfo.Utc, time);
        engine.Apply(batch);
        return engine;
    }

    private sealed class Freshness(TimeProvider time) : IDataFreshness
    {
        public IReadOnlyList<SourceStatus> Status() =>
            SourceFreshness.StatusOf(new Dictionary<DataSource, DateTimeOffset> { [DataSource.Billing] = Now.AddDays(-4) }, new FreshnessOptions(), time.GetUtcNow());
    }

    private sealed class NoComments : ISurveyComments
    {
        public IReadOnlyList<SurveyComment> Recent(DateTimeOffset since, DateTimeOffset until, int limit = 50, IReadOnlyCollection<SurveyKind>? kinds = null) => [];
    }

    private sealed class NoChart : ITrendChartRenderer
    {
        public byte[] RenderPng(TrendChart chart) => [0x89, 0x50, 0x4E, 0x47];
    }
}
