using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;

namespace GrowthBot.Core.Tests.Questions;

/// <summary>What kind of question the parser reads, the names it gives periods, and its edge cases.</summary>
public sealed class QuestionParserTests
{
    private static ParsedQuestion Parse(string text, ParsedQuestion? previous = null) =>
        QuestionParser.Parse(text, ParserTable.Now, ParserTable.Berlin, previous);

    [Theory]
    [InlineData("help")]
    [InlineData("what can you answer?")]
    [InlineData("What can you do")]
    [InlineData("which metrics do you know?")]
    [InlineData("hi")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("👋")]
    [InlineData("?")]
    public void Parse_HelpOrNothing_IsHelp(string text) => Assert.Equal(QuestionIntent.Help, Parse(text).Intent);

    [Theory]
    [InlineData("how is churn calculated?", MetricId.CustomerChurn)]
    [InlineData("How do you calculate NRR", MetricId.Nrr)]
    [InlineData("what does CES mean?", MetricId.Ces)]
    [InlineData("definition of LTV:CAC", MetricId.LtvCac)]
    [InlineData("formula for quick ratio", MetricId.QuickRatio)]
    [InlineData("how is revenue churn computed", MetricId.GrossRevenueChurn)]
    public void Parse_HowIsItCalculated_IsADefinition(string text, MetricId metric)
    {
        var question = Parse(text);

        Assert.Equal(QuestionIntent.Definition, question.Intent);
        Assert.Equal([metric], question.Metrics);
        Assert.True(question.Understood);
    }

    [Theory]
    [InlineData("who owns CES?", MetricId.Ces)]
    [InlineData("which team is responsible for churn", MetricId.CustomerChurn)]
    [InlineData("who's accountable for NPS", MetricId.Nps)]
    [InlineData("who is in charge of activation?", MetricId.Activation)]
    [InlineData("owner of LTV", MetricId.Ltv)]
    public void Parse_WhoOwns_IsAboutOwners(string text, MetricId metric)
    {
        var question = Parse(text);

        Assert.Equal(QuestionIntent.Owners, question.Intent);
        Assert.Equal([metric], question.Metrics);
    }

    [Fact]
    public void Parse_WhoOwnsWhat_ListsEveryMetric()
    {
        var question = Parse("who owns what?");

        Assert.Equal(QuestionIntent.Owners, question.Intent);
        Assert.Equal(MetricCatalog.All.Count, question.Metrics.Count);
    }

    [Theory]
    [InlineData("asdfgh", "asdfgh")]
    [InlineData("how are the vibes", "vibes")]
    [InlineData("what's the weather in Paris?", "weather,paris")]
    [InlineData("pizza", "pizza")]
    public void Parse_Nonsense_IsNotUnderstoodAndKeepsTheUnknownWords(string text, string unknown)
    {
        var question = Parse(text);

        Assert.Equal(QuestionIntent.NotUnderstood, question.Intent);
        Assert.False(question.Understood);
        Assert.Equal(unknown.Split(','), question.UnknownWordList);
    }

    [Fact]
    public void Parse_OnlyAPeriod_IsNotUnderstoodButKeepsThePeriod()
    {
        var question = Parse("what about last month?");

        Assert.Equal(QuestionIntent.NotUnderstood, question.Intent);
        Assert.Equal("last month", question.Period!.Label);
    }

    [Fact]
    public void Parse_APeriodThatHasNotStarted_SaysSo()
    {
        var question = Parse("churn in Q1 2026");

        Assert.False(question.Understood);
        Assert.Equal("Q1 2026 hasn't started yet, so there is nothing to show.", question.Problem);
    }

    [Fact]
    public void Parse_NoPeriod_IsThisMonthSoFarAndSaysItWasDefaulted()
    {
        var question = Parse("NPS");

        Assert.True(question.PeriodDefaulted);
        Assert.Equal("this month so far", question.Period!.Label);
        Assert.True(question.Period.ToDate);
    }

    [Fact]
    public void Parse_NamedPeriod_IsNotDefaulted() => Assert.False(Parse("NPS this month").PeriodDefaulted);

    [Theory]
    [InlineData("churn today", "today so far")]
    [InlineData("churn yesterday", "yesterday")]
    [InlineData("churn this week", "this week so far")]
    [InlineData("churn last week", "last week")]
    [InlineData("churn last month", "last month")]
    [InlineData("churn this quarter", "this quarter so far")]
    [InlineData("churn ytd", "this year so far")]
    [InlineData("churn in March", "March 2025")]
    [InlineData("churn in November", "November 2025 so far")]
    [InlineData("churn Q3", "Q3 2025")]
    [InlineData("churn Q4", "Q4 2025 so far")]
    [InlineData("churn 2024", "2024")]
    [InlineData("churn last 30 days", "last 30 days")]
    [InlineData("churn last 6 months", "last 6 months")]
    [InlineData("churn since March", "since March 2025")]
    [InlineData("churn since 2025-06-01", "since Jun 1, 2025")]
    [InlineData("churn from 2025-01-01 to 2025-02-15", "")]
    [InlineData("churn week 45", "week 45 of 2025")]
    public void Parse_Period_IsNamedTheWayItWasAsked(string text, string label) => Assert.Equal(label, Parse(text).Period!.Label);

    [Fact]
    public void Parse_ThisMonthInBerlin_StartsAtLocalMidnightInUtc()
    {
        var question = Parse("churn this month");

        Assert.Equal(new DateTime(2025, 10, 31, 23, 0, 0, DateTimeKind.Utc), question.Period!.From);
        Assert.Equal(new DateTime(2025, 11, 26, 10, 0, 0, DateTimeKind.Utc), question.Period.To);
        Assert.Equal(DateTimeKind.Utc, question.Period.From.Kind);
    }

    [Fact]
    public void Parse_MarchInBerlin_SpansTheSpringClockChange()
    {
        var question = Parse("churn in March");

        Assert.Equal(new DateTime(2025, 2, 28, 23, 0, 0, DateTimeKind.Utc), question.Period!.From); // CET, UTC+1
        Assert.Equal(new DateTime(2025, 3, 31, 22, 0, 0, DateTimeKind.Utc), question.Period.To); // CEST, UTC+2
    }

    [Fact]
    public void Parse_LastMonthInNewYork_IsInEasternTime()
    {
        var question = QuestionParser.Parse("churn last month", ParserTable.Now, ParserTable.NewYork, null);

        Assert.Equal(new DateTime(2025, 10, 1, 4, 0, 0, DateTimeKind.Utc), question.Period!.From); // EDT, UTC−4
        Assert.Equal(new DateTime(2025, 11, 1, 4, 0, 0, DateTimeKind.Utc), question.Period.To);
    }

    [Fact]
    public void Parse_TodayLateEveningInNewYork_IsStillTheLocalDay()
    {
        var lateEvening = new DateTimeOffset(2025, 11, 26, 3, 0, 0, TimeSpan.Zero); // Nov 25, 22:00 in New York

        var question = QuestionParser.Parse("NPS today", lateEvening, ParserTable.NewYork, null);

        Assert.Equal(new DateTime(2025, 11, 25, 5, 0, 0, DateTimeKind.Utc), question.Period!.From);
        Assert.Equal(lateEvening.UtcDateTime, question.Period.To);
    }

    [Fact]
    public void Parse_JustAfterNewYearInBerlin_ThisYearIsTheNewOne()
    {
        var newYear = new DateTimeOffset(2025, 12, 31, 23, 30, 0, TimeSpan.Zero); // Jan 1 2026, 00:30 in Berlin

        var thisYear = QuestionParser.Parse("MRR this year", newYear, ParserTable.Berlin, null);
        var lastYear = QuestionParser.Parse("MRR last year", newYear, ParserTable.Berlin, null);

        Assert.Equal(new DateTime(2025, 12, 31, 23, 0, 0, DateTimeKind.Utc), thisYear.Period!.From);
        Assert.Equal(new DateTime(2024, 12, 31, 23, 0, 0, DateTimeKind.Utc), lastYear.Period!.From);
        Assert.Equal(new DateTime(2025, 12, 31, 23, 0, 0, DateTimeKind.Utc), lastYear.Period.To);
    }

    [Fact]
    public void Parse_InUtc_PeriodsAreCalendarPeriodsInUtc()
    {
        var question = QuestionParser.Parse("churn last month", ParserTable.Now, TimeZoneInfo.Utc, null);

        Assert.Equal(new DateTime(2025, 10, 1, 0, 0, 0, DateTimeKind.Utc), question.Period!.From);
        Assert.Equal(new DateTime(2025, 11, 1, 0, 0, 0, DateTimeKind.Utc), question.Period.To);
    }

    [Theory]
    [InlineData("explain churn")]
    [InlineData("why is churn so high this month")]
    [InlineData("churn details")]
    [InlineData("show me the math behind NPS")]
    public void Parse_ExplainWords_AskForTheBasis(string text) => Assert.True(Parse(text).Explain);

    [Fact]
    public void Parse_UnsupportedBreakdown_AnswersTheTotalWithANote()
    {
        var question = Parse("churn by region");

        Assert.Equal(Breakdown.None, question.By);
        Assert.Contains("not by \"region\"", Assert.Single(question.NoteList), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExtraWords_AreIgnoredOnceAMetricIsFound()
    {
        var question = Parse("yo bot, give me the churn numbers for last month asap please");

        Assert.Equal([MetricId.CustomerChurn], question.Metrics);
        Assert.Equal("last month", question.Period!.Label);
    }

    [Fact]
    public void Parse_SeriesHasNoComparison()
    {
        var question = Parse("NPS trend");

        Assert.Equal(SeriesUnit.Month, question.Series);
        Assert.Null(question.Compare);
        Assert.False(question.PeriodDefaulted);
    }

    [Fact]
    public void Parse_IsPure_SameInputSameOutput()
    {
        var first = Parse("NPS and CSAT last quarter by segment vs Q2");
        var second = Parse("NPS and CSAT last quarter by segment vs Q2");

        Assert.Equal(ParserTable.Actual(first), ParserTable.Actual(second));
    }

    [Theory]
    [InlineData("churn in May")]
    [InlineData("may 2025 churn")]
    public void Parse_May_IsTheMonthWhereAMonthFits(string text) => Assert.Equal("May 2025", Parse(text).Period!.Label);

    [Fact]
    public void Parse_MayAsAVerb_IsNotAMonth() => Assert.True(Parse("may I see churn").PeriodDefaulted);
}
