using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Formulas;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.Questions;

/// <summary>
/// Answers in the asker's locale (the <see cref="Requester.Locale"/> an adapter read from the platform):
/// numbers, amounts, percentages and dates in that culture, the words still English.
/// Asked on 26 Nov 2025 at 11:00 in Berlin, like <see cref="QuestionHandlerTests"/>.
/// </summary>
public sealed class LocaleAnswerTests
{
    private const string HomeTeam = "T0HOME";
    private readonly FakeMetricEngine _engine = new();
    private readonly FakeTimeProvider _time = new(ParserTable.Now);
    private readonly QuestionHandler _handler;

    public LocaleAnswerTests()
    {
        var access = new AccessOptions();
        access.SlackHomeTeamIds.Add(HomeTeam);
        _handler = QuestionHandler.Create(_engine, new Accountability(), new MetricEngineOptions { Currency = "EUR" },
            new CompanyOptions { Name = "Acme", TimeZone = "Europe/Berlin" }, new AccessPolicy(access), _time);
        _engine.Results[(MetricId.CustomerChurn, FakeMetricEngine.Utc(2025, 11, 1))] = new MetricResult(2.31m, 11, 476, 476);
        _engine.Results[(MetricId.CustomerChurn, FakeMetricEngine.Utc(2025, 10, 1))] = new MetricResult(2.71m, 13, 480, 480);
        _engine.Results[(MetricId.Mrr, FakeMetricEngine.Utc(2025, 7, 1))] = new MetricResult(110_000.5m, 110_000.5m, null, 1_900);
        _engine.Results[(MetricId.Mrr, FakeMetricEngine.Utc(2025, 4, 1))] = new MetricResult(100_000m, 100_000m, null, 1_850);
    }

    [Theory]
    [InlineData(null, "Customer churn rate — this month so far, Nov 1–26", "2.31%, down 0.4 pts from 2.71% in Oct 1–26, which is good.")]
    [InlineData("en-US", "Customer churn rate — this month so far, Nov 1–26", "2.31%, down 0.4 pts from 2.71% in Oct 1–26, which is good.")]
    [InlineData("de-DE", "Customer churn rate — this month so far, 1. Nov. – 26. Nov.", "2,31 %, down 0,4 pts from 2,71 % in 1. Okt. – 26. Okt., which is good.")]
    [InlineData("fr-FR", "Customer churn rate — this month so far, 1 nov. – 26 nov.", "2,31 %, down 0,4 pts from 2,71 % in 1 oct. – 26 oct., which is good.")]
    [InlineData("ja-JP", "Customer churn rate — this month so far, 11月1日 – 11月26日", "2.31%, down 0.4 pts from 2.71% in 10月1日 – 10月26日, which is good.")]
    public async Task Answer_Percentages_AndPeriods_InTheAskersCulture(string? locale, string header, string line)
    {
        var reply = await Ask("churn this month", locale);

        Assert.Equal(header, reply.Blocks.OfType<HeaderBlock>().First().Text);
        Assert.Contains(line, reply.FallbackText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("de-DE", "110.000,50 EUR, up 10.000,50 EUR (10 %) from 100.000,00 EUR in 1. Apr. – 30. Juni, which is good.", "n = 1.900")]
    [InlineData("en-US", "EUR 110,000.50, up EUR 10,000.50 (10%) from EUR 100,000.00 in Apr 1 – Jun 30, which is good.", "n = 1,900")]
    public async Task Answer_Money_InTheAskersCulture(string locale, string line, string basis)
    {
        var reply = await Ask("MRR last quarter", locale);

        Assert.Contains(line, reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains(basis, reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_Fields_InTheAskersCulture()
    {
        _engine.Results[(MetricId.CustomerChurn, FakeMetricEngine.Utc(2025, 11, 1))] = new MetricResult(2.31m, 11, 1476, 1476);

        var reply = await Ask("explain churn this month", "de-DE");

        var fields = reply.Blocks.OfType<FieldsBlock>().Single().Fields;
        Assert.Contains(new ChatField("Denominator", "1.476"), fields);
        Assert.Contains(new ChatField("Sample size", "1.476"), fields);
        Assert.Contains(new ChatField("Previous period (1. Okt. – 26. Okt.)", "2,71 % (13 of 480, n = 480)"), fields);
    }

    [Theory]
    [InlineData("xx-YY")]
    [InlineData("Klingon, please")]
    [InlineData("")]
    public async Task Answer_UnknownLocale_FallsBackToTodaysStyle(string locale)
    {
        var reply = await Ask("churn this month", locale);

        Assert.Contains("2.31%, down 0.4 pts from 2.71% in Oct 1–26, which is good.", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrendButton_AnswersInThePressersCulture()
    {
        var trend = (await Ask("churn this month", "de-DE")).Blocks.OfType<ActionsBlock>().Single().Actions.Single(action => action.ActionId == "metric.trend");
        var from = new Requester(ChatPlatform.Slack, "U1", HomeTeam, IsGuest: false, Locale: "de-DE");

        var reply = (await _handler.HandleActionAsync(new IncomingAction(ChatPlatform.Slack, "d", "C1", null, from, trend.ActionId, trend.Value, _time.GetUtcNow()), CancellationToken.None))!;

        Assert.Contains("Okt 2025: 2,71 %", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("1. Nov. – 26. Nov., so far: 2,31 %", reply.FallbackText, StringComparison.Ordinal);
    }

    private async Task<ChatMessage> Ask(string text, string? locale)
    {
        var from = new Requester(ChatPlatform.Slack, "U1", HomeTeam, IsGuest: false, Locale: locale);
        var message = new IncomingMessage(ChatPlatform.Slack, Guid.NewGuid().ToString("N"), "C1", null, from, text, _time.GetUtcNow());
        return (await _handler.HandleAsync(message, CancellationToken.None))!;
    }
}
