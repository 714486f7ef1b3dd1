using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;

namespace GrowthBot.Core.Tests.Questions;

/// <summary>Follow-ups reuse the previous question and change only what they name. Same table columns as the phrasing table.</summary>
public sealed class FollowUpTests
{
    private static ParsedQuestion Parse(string text, ParsedQuestion? previous = null) =>
        QuestionParser.Parse(text, ParserTable.Now, ParserTable.Berlin, previous);

    [Theory]
    // After "churn this month" (this month so far vs the same days of October):
    [InlineData("and last month? | customer-churn | 2025-10-01 | 2025-11-01 | 2025-09-01 | 2025-10-01 | - | -")]
    [InlineData("by segment? | customer-churn | 2025-11-01 | now | 2025-10-01 | 2025-10-26 11:00 | segment | -")]
    [InlineData("what about NPS? | nps | 2025-11-01 | now | 2025-10-01 | 2025-10-26 11:00 | - | -")]
    [InlineData("how about NPS and CSAT | nps,csat | 2025-11-01 | now | 2025-10-01 | 2025-10-26 11:00 | - | -")]
    [InlineData("and in Q3? | customer-churn | 2025-07-01 | 2025-10-01 | 2025-04-01 | 2025-07-01 | - | -")]
    [InlineData("vs last year? | customer-churn | 2025-11-01 | now | 2024-01-01 | 2025-01-01 | - | -")]
    [InlineData("trend? | customer-churn | 2025-06-01 | now | - | - | - | month")]
    [InlineData("weekly? | customer-churn | 2025-10-06 | now | - | - | - | week")]
    [InlineData("same for retention | retention | 2025-11-01 | now | 2025-10-01 | 2025-10-26 11:00 | - | -")]
    [InlineData("and by channel last week | customer-churn | 2025-11-17 | 2025-11-24 | 2025-11-10 | 2025-11-17 | channel | -")]
    [InlineData("explain | customer-churn | 2025-11-01 | now | 2025-10-01 | 2025-10-26 11:00 | - | -")]
    public void FollowUp_AfterChurnThisMonth(string row) =>
        ParserTable.AssertRow(row, ParserTable.Berlin, Parse("churn this month"));

    [Theory]
    // After "NPS by segment last quarter":
    [InlineData("what about CSAT? | csat | 2025-07-01 | 2025-10-01 | 2025-04-01 | 2025-07-01 | segment | -")]
    [InlineData("and this quarter? | nps | 2025-10-01 | now | 2025-07-01 | 2025-08-26 11:00 | segment | -")]
    [InlineData("by channel instead | nps | 2025-07-01 | 2025-10-01 | 2025-04-01 | 2025-07-01 | channel | -")]
    [InlineData("show the trend | nps | 2025-04-01 | 2025-10-01 | - | - | segment | month")]
    public void FollowUp_AfterNpsBySegmentLastQuarter(string row) =>
        ParserTable.AssertRow(row, ParserTable.Berlin, Parse("NPS by segment last quarter"));

    [Fact]
    public void FollowUp_IsMarkedAndKeepsTheDefaultNote()
    {
        var first = Parse("churn");
        var followUp = Parse("what about NPS?", first);

        Assert.True(followUp.IsFollowUp);
        Assert.True(followUp.PeriodDefaulted);
    }

    [Fact]
    public void FollowUp_HowIsItCalculated_UsesThePreviousMetric()
    {
        var followUp = Parse("how is it calculated?", Parse("NRR last quarter"));

        Assert.Equal(QuestionIntent.Definition, followUp.Intent);
        Assert.Equal([MetricId.Nrr], followUp.Metrics);
    }

    [Fact]
    public void FollowUp_WhoOwnsThat_UsesThePreviousMetric()
    {
        var followUp = Parse("who owns that?", Parse("CES last week"));

        Assert.Equal(QuestionIntent.Owners, followUp.Intent);
        Assert.Equal([MetricId.Ces], followUp.Metrics);
    }

    [Fact]
    public void FollowUp_ExplainAfterADefinition_KeepsThePeriodBeforeIt()
    {
        var asked = Parse("NRR last quarter");
        var definition = Parse("how is it calculated?", asked);

        var explain = Parse("explain", definition);

        Assert.Equal(asked.Period, explain.Period);
        Assert.True(explain.Explain);
    }

    [Fact]
    public void FollowUp_WithoutAPreviousQuestion_IsNotUnderstood()
    {
        Assert.Equal(QuestionIntent.NotUnderstood, Parse("and last month?").Intent);
        Assert.Equal(QuestionIntent.NotUnderstood, Parse("by segment?").Intent);
    }

    [Fact]
    public void FollowUp_AfterAQuestionThatWasNotUnderstood_StartsAfresh() =>
        Assert.Equal(QuestionIntent.NotUnderstood, Parse("and last month?", Parse("asdfgh")).Intent);

    [Fact]
    public void NewQuestion_WithItsOwnMetricAndNoCue_DoesNotInheritThePeriod()
    {
        var fresh = Parse("what's our NPS?", Parse("churn last quarter"));

        Assert.False(fresh.IsFollowUp);
        Assert.True(fresh.PeriodDefaulted);
    }
}
