using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Formulas;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.Questions;

/// <summary>The question handler end to end over a hand-written engine, asked on 26 Nov 2025 at 11:00 in Berlin.</summary>
public sealed class QuestionHandlerTests
{
    private const string HomeTeam = "T0HOME";
    private readonly FakeMetricEngine _engine = new();
    private readonly FakeTimeProvider _time = new(ParserTable.Now);
    private readonly QuestionHandler _handler;

    public QuestionHandlerTests()
    {
        var access = new AccessOptions();
        access.SlackHomeTeamIds.Add(HomeTeam);
        var accountability = new Accountability(new Dictionary<MetricId, IReadOnlyList<Team>> { [MetricId.Ces] = [Team.Service] });
        _handler = QuestionHandler.Create(_engine, accountability, new MetricEngineOptions { Currency = "EUR" },
            new CompanyOptions { Name = "Acme", TimeZone = "Europe/Berlin" }, new AccessPolicy(access), _time);
        // Churn: Nov 1–26 so far 2.31% (11 of 476); the same days of October 2.71% (13 of 480).
        _engine.Results[(MetricId.CustomerChurn, FakeMetricEngine.Utc(2025, 11, 1))] = new MetricResult(2.31m, 11, 476, 476);
        _engine.Results[(MetricId.CustomerChurn, FakeMetricEngine.Utc(2025, 10, 1))] = new MetricResult(2.71m, 13, 480, 480);
    }

    [Fact]
    public async Task Answer_ShowsValueUnitPeriodAndChangeWithDirection()
    {
        var reply = await Ask("what's our churn this month?");

        Assert.Equal("Customer churn rate — this month so far, Nov 1–26", Header(reply));
        Assert.Contains("2.31%, down 0.4 pts from 2.71% in Oct 1–26, which is good.", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("11 of 476, n = 476", reply.FallbackText, StringComparison.Ordinal);
        Assert.DoesNotContain("didn't name a period", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_WithoutPeriod_SaysItIsThisMonthSoFar()
    {
        var reply = await Ask("churn");

        Assert.Contains("You didn't name a period, so this is this month so far.", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains(new MetricQuery(MetricId.CustomerChurn, FakeMetricEngine.Utc(2025, 11, 1), ParserTable.Now.UtcDateTime), _engine.Queries);
        Assert.Contains(new MetricQuery(MetricId.CustomerChurn, FakeMetricEngine.Utc(2025, 10, 1), new DateTime(2025, 10, 26, 10, 0, 0, DateTimeKind.Utc)), _engine.Queries);
    }

    [Fact]
    public async Task Answer_WithItsComparison_AsksTheTwoPeriodsOneAfterTheOther()
    {
        // A parallel loop's caller spins while the other period is computed: CPU the webhooks need.
        await Ask("what's our churn this month?");

        Assert.Equal(2, _engine.Queries.Count);
        Assert.Equal(0, _engine.AskedInParallelLoops);
    }

    [Fact]
    public async Task Answer_WithATrend_AsksItsStepsInAParallelLoop()
    {
        await Ask("churn over the last 6 months");

        Assert.True(_engine.Queries.Count > 2);
        Assert.Equal(_engine.Queries.Count, _engine.AskedInParallelLoops);
    }

    [Fact]
    public async Task Answer_Undefined_SaysNoDataNeverZero()
    {
        var reply = await Ask("NPS last month");

        Assert.Contains("No data for Net Promoter Score for last month, Oct 1–31: nothing was recorded for it in that period.", reply.FallbackText, StringComparison.Ordinal);
        Assert.DoesNotContain("+0", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_UpForALowerIsBetterMetric_IsBad()
    {
        _engine.Results[(MetricId.CustomerChurn, FakeMetricEngine.Utc(2025, 10, 1))] = new MetricResult(1.5m, 7, 480, 480);

        var reply = await Ask("churn this month");

        Assert.Contains("up 0.81 pts from 1.5% in Oct 1–26, which is bad", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_MoneyChange_ShowsAmountAndPercent()
    {
        _engine.Results[(MetricId.Mrr, FakeMetricEngine.Utc(2025, 7, 1))] = new MetricResult(110_000m, 110_000m, null, 900);
        _engine.Results[(MetricId.Mrr, FakeMetricEngine.Utc(2025, 4, 1))] = new MetricResult(100_000m, 100_000m, null, 850);

        var reply = await Ask("MRR last quarter");

        Assert.Contains("EUR 110,000.00, up EUR 10,000.00 (10%) from EUR 100,000.00 in Apr 1 – Jun 30, which is good.", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_SurveyChangeBeyondTheMargin_SaysItIsLikelyReal()
    {
        _engine.Results[(MetricId.Nps, FakeMetricEngine.Utc(2025, 10, 1))] = SurveyFormulas.Nps(Tally(promoters: 300, passives: 100, detractors: 100));
        _engine.Results[(MetricId.Nps, FakeMetricEngine.Utc(2025, 9, 1))] = SurveyFormulas.Nps(Tally(promoters: 200, passives: 100, detractors: 200));

        var reply = await Ask("NPS last month");

        Assert.Contains("+40, up 40 points from 0 in Sep 1–30, which is good; that is beyond the margin of error", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("so it is likely a real change", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_SurveyChangeWithinTheMargin_SaysItMayBeNoise()
    {
        // 40 answers in each month: enough for a verdict (30 or more in each period).
        _engine.Results[(MetricId.Nps, FakeMetricEngine.Utc(2025, 10, 1))] = SurveyFormulas.Nps(Tally(promoters: 22, passives: 10, detractors: 8));
        _engine.Results[(MetricId.Nps, FakeMetricEngine.Utc(2025, 9, 1))] = SurveyFormulas.Nps(Tally(promoters: 20, passives: 10, detractors: 10));

        var reply = await Ask("NPS last month");

        Assert.Contains("+35, up 10 points from +25 in Sep 1–30, which is good; that is within the margin of error", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("so it may be noise", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_CsatChange_IsJudgedAgainstItsMarginInPoints()
    {
        _engine.Results[(MetricId.Csat, FakeMetricEngine.Utc(2025, 10, 1))] = new MetricResult(80m, 80, 100, 100);
        _engine.Results[(MetricId.Csat, FakeMetricEngine.Utc(2025, 9, 1))] = new MetricResult(78m, 78, 100, 100);

        var reply = await Ask("CSAT last month");

        Assert.Contains("up 2 pts from 78% in Sep 1–30, which is good; that is within the margin of error (±11.3 pts)", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_ShowsNumeratorDenominatorSampleSizeAndDefinition()
    {
        var reply = await Ask("explain churn this month");

        var fields = reply.Blocks.OfType<FieldsBlock>().Single().Fields;
        Assert.Contains(new ChatField("Numerator", "11"), fields);
        Assert.Contains(new ChatField("Denominator", "476"), fields);
        Assert.Contains(new ChatField("Sample size", "476"), fields);
        Assert.Contains(new ChatField("Previous period (Oct 1–26)", "2.71% (13 of 480, n = 480)"), fields);
        Assert.Contains($"How it is calculated: {MetricCatalog.Get(MetricId.CustomerChurn).Definition} Lower is better.", reply.FallbackText, StringComparison.Ordinal);
        Assert.DoesNotContain(Actions(reply), action => action.ActionId == "metric.explain");
    }

    [Fact]
    public async Task Answer_HasExplainAndTrendButtonsWithCompactValues()
    {
        var reply = await Ask("churn, retention and NRR by segment last month");

        var actions = Actions(reply);
        Assert.Equal(["metric.explain", "metric.trend"], actions.Select(action => action.ActionId));
        Assert.Equal(["Explain this number", "Show trend"], actions.Select(action => action.Label));
        Assert.All(actions, action => Assert.True(action.Value.Length < 2000, action.Value));
    }

    [Fact]
    public async Task ExplainButton_AnswersTheSameQuestionWithTheBasis()
    {
        var explain = Actions(await Ask("churn this month")).Single(action => action.ActionId == "metric.explain");
        _engine.ClearQueries();

        var reply = await Press(explain);

        Assert.Contains("Numerator: 11", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains(_engine.Queries, query => query.From == FakeMetricEngine.Utc(2025, 11, 1));
    }

    [Fact]
    public async Task TrendButton_ShowsSixMonthsEndingWithTheAnsweredPeriod()
    {
        _engine.Results[(MetricId.CustomerChurn, FakeMetricEngine.Utc(2025, 9, 1))] = new MetricResult(3.1m, 15, 484, 484);
        var trend = Actions(await Ask("churn this month")).Single(action => action.ActionId == "metric.trend");
        _engine.ClearQueries();

        var reply = await Press(trend);

        Assert.Equal("Customer churn rate — monthly, Jun 1 – Nov 26", Header(reply));
        Assert.Contains("Jun 2025: no data", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("Nov 1–26, so far: 2.31%", reply.FallbackText, StringComparison.Ordinal);
        Assert.Equal(7, _engine.Queries.Count); // the whole span and six months
        // 26 days of November are not compared with whole months: the trend runs over whole months and says why.
        Assert.Contains("From Sep 2025 to Oct 2025: down 0.39 pts from 3.1%, which is good.", reply.FallbackText, StringComparison.Ordinal);
        Assert.DoesNotContain("to Nov", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("Nov 1–26, so far: a partial period, shown but not compared with whole ones.", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Button_WithAGarbledValue_SaysItNoLongerWorks()
    {
        var reply = await Press(new ChatAction("metric.trend", "Show trend", "{\"m\":[\"nope\"]}"));

        Assert.StartsWith("That button no longer works.", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Series_ListsEachMonthWithASparklineAndTheOverallChange()
    {
        for (var month = 6; month <= 11; month++)
        {
            _engine.Results[(MetricId.Mrr, FakeMetricEngine.Utc(2025, month, 1))] = new MetricResult(100m * month, 100m * month, null, 10);
        }

        var reply = await Ask("MRR over the last 6 months");

        Assert.Equal("MRR — monthly, May 1 – Oct 31", Header(reply));
        Assert.Contains("·▁▃▅▆█\nMay 2025: no data\nJun 2025: EUR 600.00", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("From Jun 2025 to Oct 2025: up EUR 400.00 (66.7%) from EUR 600.00, which is good.", reply.FallbackText, StringComparison.Ordinal);
        Assert.Empty(Actions(reply));
    }

    [Fact]
    public async Task Breakdown_ShowsEachGroupAgainstItsPreviousValue()
    {
        _engine.Groups[MetricId.CustomerChurn] = [new MetricGroup("Enterprise", new MetricResult(1m, 1, 100, 100)), new MetricGroup("SMB", MetricResult.Undefined())];

        var reply = await Ask("churn by segment this month");

        var fields = reply.Blocks.OfType<FieldsBlock>().Single().Fields;
        Assert.Equal(new ChatField("Enterprise", "1% (n = 100), unchanged from 1%"), fields[0]);
        Assert.Equal(new ChatField("SMB", "no data (n = 0)"), fields[1]);
        Assert.All(_engine.Queries, query => Assert.Equal(Breakdown.Segment, query.By));
    }

    [Fact]
    public async Task Answer_TheEngineRefuses_SaysWhyInsteadOfFailing()
    {
        _engine.Refuse = "Customer acquisition cost can't be split by segment: acquisition spend is recorded per channel. Try by channel.";

        var reply = await Ask("CAC by segment");

        Assert.Contains("can't be split by segment", reply.FallbackText, StringComparison.Ordinal);
        Assert.Empty(Actions(reply));
    }

    [Fact]
    public async Task Answer_TheEngineFails_TheFailureSurfacesAsItself()
    {
        _engine.Fail = new InvalidOperationException("the index is gone");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Ask("churn and NPS this month"));

        Assert.Equal("the index is gone", failure.Message);
    }

    [Fact]
    public async Task SeveralMetrics_AreAnsweredTogether()
    {
        var reply = await Ask("churn and NPS this month");

        Assert.Equal("Customer churn rate and Net Promoter Score — this month so far, Nov 1–26", Header(reply));
        Assert.Contains("Customer churn rate: 2.31%", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("Net Promoter Score: no data for this month so far, Nov 1–26", reply.FallbackText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("asdfgh", "I didn't understand \"asdfgh\".")]
    [InlineData("chrnu", "I didn't understand \"chrnu\". Did you mean Customer churn rate (customer-churn)?")]
    [InlineData("what's the weather", "I didn't understand \"what's the weather\".")]
    [InlineData("last month", "Which metric do you want for last month, Oct 1–31? For example \"churn last month\" or \"NPS last month\".")]
    [InlineData("and by segment?", "I didn't understand \"and by segment?\".")]
    [InlineData("churn in Q1 2026", "Q1 2026 hasn't started yet, so there is nothing to show.")]
    [InlineData("NPS next month", "Next month hasn't started yet, so there is nothing to show.")]
    public async Task Unclear_GetsAHelpfulReplyNeverSilence(string question, string expected)
    {
        var reply = await Ask(question);

        Assert.StartsWith(expected, reply.FallbackText, StringComparison.Ordinal);
        Assert.Empty(_engine.Queries);
    }

    [Fact]
    public async Task NotUnderstood_SuggestsExamplesAndPeriods()
    {
        var reply = await Ask("blorp");

        Assert.Contains("\"churn this month\"", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("last 30 days", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("Say \"help\"", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsEveryMetricAndTheTimeZone()
    {
        var reply = await Ask("what can you answer?");

        Assert.All(MetricCatalog.All, metric => Assert.Contains(metric.Title, reply.FallbackText, StringComparison.Ordinal));
        Assert.Contains("Europe/Berlin", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Definition_SaysHowItIsCalculatedAndWhoOwnsIt()
    {
        var reply = await Ask("how is CES calculated?");

        Assert.Contains(MetricCatalog.Get(MetricId.Ces).Definition, reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("Higher is better.", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("Accountable: Service.", reply.FallbackText, StringComparison.Ordinal);
        Assert.Empty(_engine.Queries);
    }

    [Fact]
    public async Task Owners_UseTheCompanysAccountability()
    {
        Assert.Equal("Customer effort score (CES) is owned by Service (the accountable team).", (await Ask("who owns CES?")).FallbackText);
        Assert.Equal("Net Promoter Score is owned by Marketing, Sales and Service (the accountable teams).", (await Ask("who owns NPS")).FallbackText);
    }

    [Fact]
    public async Task FollowUp_InTheSameConversation_ReusesTheQuestion()
    {
        await Ask("churn this month");

        var reply = await Ask("and last month?");

        Assert.Equal("Customer churn rate — last month, Oct 1–31", Header(reply));
    }

    [Fact]
    public async Task FollowUp_IsRememberedPerPersonAndConversation()
    {
        await Ask("churn this month", user: "U1", conversation: "C1");

        Assert.StartsWith("Which metric do you want for last month", (await Ask("and last month?", user: "U2", conversation: "C1")).FallbackText, StringComparison.Ordinal);
        Assert.StartsWith("Which metric do you want for last month", (await Ask("and last month?", user: "U1", conversation: "C2")).FallbackText, StringComparison.Ordinal);
        Assert.StartsWith("Customer churn rate", Header(await Ask("and last month?", user: "U1", conversation: "C1")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowUp_AfterTheMemoryExpires_IsAFreshQuestion()
    {
        await Ask("churn this month");
        _time.Advance(TimeSpan.FromMinutes(31));

        var reply = await Ask("and last month?");

        Assert.StartsWith("Which metric do you want for last month", reply.FallbackText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ChatPlatform.Slack, "T0OTHER", false)] // Slack Connect user from another workspace
    [InlineData(ChatPlatform.Slack, HomeTeam, true)] // guest in the home workspace
    [InlineData(ChatPlatform.Teams, "other-tenant", false)]
    public async Task NotStaff_IsRefusedPolitelyAndNoNumberLeaks(ChatPlatform platform, string organisation, bool guest)
    {
        var from = new Requester(platform, "U9", organisation, guest);
        var asked = new IncomingMessage(platform, "d1", "C1", null, from, "churn this month", ParserTable.Now);

        var reply = (await _handler.HandleAsync(asked, CancellationToken.None))!;

        Assert.Equal("Sorry, I can only share metrics with staff of Acme. You can still answer our surveys here whenever I send you one — thank you for your feedback!", reply.FallbackText);
        Assert.Empty(_engine.Queries);
        Assert.DoesNotContain(reply.FallbackText, char.IsDigit);
    }

    [Fact]
    public async Task NotStaff_PressingAButton_IsRefusedToo()
    {
        var trend = Actions(await Ask("churn this month")).Single(action => action.ActionId == "metric.trend");
        _engine.ClearQueries();
        var outsider = new Requester(ChatPlatform.Slack, "U9", "T0OTHER", false);

        var reply = (await _handler.HandleActionAsync(new IncomingAction(ChatPlatform.Slack, "d2", "C1", null, outsider, trend.ActionId, trend.Value, ParserTable.Now), CancellationToken.None))!;

        Assert.StartsWith("Sorry, I can only share metrics with staff", reply.FallbackText, StringComparison.Ordinal);
        Assert.Empty(_engine.Queries);
    }

    [Fact]
    public void Handler_HandlesOnlyItsOwnButtons()
    {
        Assert.True(_handler.CanHandle("metric.explain"));
        Assert.True(_handler.CanHandle("metric.trend"));
        Assert.False(_handler.CanHandle("survey.score"));
    }

    [Fact]
    public async Task Help_ListsTheCommandsBesideQuestions_AndQuestionsThemselvesDoNot()
    {
        var handler = QuestionHandler.Create(_engine, new Accountability(), new MetricEngineOptions(), new CompanyOptions { TimeZone = "UTC" },
            new AccessPolicy(new AccessOptions { AllowedUserIds = { "U1" } }), _time, () => ["survey status — response rates", "subscribe TEAM — a digest here"]);
        var from = new Requester(ChatPlatform.Slack, "U1", HomeTeam, IsGuest: false);

        var help = await handler.HandleAsync(new IncomingMessage(ChatPlatform.Slack, "d1", "C1", null, from, "what can you answer?", _time.GetUtcNow()), CancellationToken.None);
        var churn = await handler.HandleAsync(new IncomingMessage(ChatPlatform.Slack, "d2", "C1", null, from, "churn", _time.GetUtcNow()), CancellationToken.None);

        Assert.Contains("• survey status — response rates", help!.FallbackText, StringComparison.Ordinal);
        Assert.Contains(help.Blocks.OfType<TextBlock>(), block => block.Text.Contains("• subscribe TEAM — a digest here", StringComparison.Ordinal));
        Assert.IsType<ContextBlock>(help.Blocks[^1]);
        Assert.DoesNotContain("survey status", churn!.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Series_WithAChartRenderer_EndsWithATrendChartOfEveryStep_AndSingleValuesHaveNone()
    {
        var charts = new Digests.FakeChart();
        var handler = QuestionHandler.Create(_engine, new Accountability(), new MetricEngineOptions(), new CompanyOptions { TimeZone = "Europe/Berlin" },
            new AccessPolicy(new AccessOptions { AllowedUserIds = { "U1" } }), _time, charts: charts);
        var from = new Requester(ChatPlatform.Slack, "U1", HomeTeam, IsGuest: false);

        var series = await handler.HandleAsync(new IncomingMessage(ChatPlatform.Slack, "d1", "C1", null, from, "churn over the last 6 months", _time.GetUtcNow()), CancellationToken.None);
        var single = await handler.HandleAsync(new IncomingMessage(ChatPlatform.Slack, "d2", "C2", null, from, "churn this month", _time.GetUtcNow()), CancellationToken.None);

        var image = Assert.Single(series!.Blocks.OfType<ImageBlock>());
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], image.Png);
        var chart = Assert.Single(charts.Drawn);
        var line = Assert.Single(chart.Series);
        Assert.Equal("Customer churn rate", line.Title);
        Assert.Equal("%", line.Unit);
        Assert.Equal(chart.PeriodLabels.Count, line.Values.Count);
        Assert.Contains("Customer churn rate", image.AltText, StringComparison.Ordinal);
        Assert.Empty(single!.Blocks.OfType<ImageBlock>());
    }

    private async Task<ChatMessage> Ask(string text, string user = "U1", string conversation = "C1")
    {
        var from = new Requester(ChatPlatform.Slack, user, HomeTeam, IsGuest: false);
        var message = new IncomingMessage(ChatPlatform.Slack, Guid.NewGuid().ToString("N"), conversation, null, from, text, _time.GetUtcNow());
        return (await _handler.HandleAsync(message, CancellationToken.None))!;
    }

    private async Task<ChatMessage> Press(ChatAction action)
    {
        var from = new Requester(ChatPlatform.Slack, "U1", HomeTeam, IsGuest: false);
        var pressed = new IncomingAction(ChatPlatform.Slack, "d", "C1", null, from, action.ActionId, action.Value, _time.GetUtcNow());
        return (await _handler.HandleActionAsync(pressed, CancellationToken.None))!;
    }

    private static string Header(ChatMessage message) => message.Blocks.OfType<HeaderBlock>().First().Text;

    private static IReadOnlyList<ChatAction> Actions(ChatMessage message) => message.Blocks.OfType<ActionsBlock>().SingleOrDefault()?.Actions ?? [];

    private static long[] Tally(long promoters, long passives, long detractors)
    {
        var tally = new long[11];
        tally[10] = promoters;
        tally[8] = passives;
        tally[0] = detractors;
        return tally;
    }
}
