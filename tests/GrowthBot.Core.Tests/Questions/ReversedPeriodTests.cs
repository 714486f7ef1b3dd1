using GrowthBot.Core.Questions;

namespace GrowthBot.Core.Tests.Questions;

/// <summary>A range that ends before it starts is refused, not read as its first day.</summary>
public sealed class ReversedPeriodTests
{
    private static ParsedQuestion Parse(string text) => QuestionParser.Parse(text, ParserTable.Now, ParserTable.Berlin, null);

    [Theory]
    [InlineData("churn from 2025-03-01 to 2025-02-01")]
    [InlineData("NPS between 2025-06-10 and 2025-06-01")]
    [InlineData("churn from March 2025 to January 2025")]
    public void Parse_RangeEndingBeforeItStarts_IsAProblemNotOneDay(string text)
    {
        var question = Parse(text);

        Assert.False(question.Understood);
        Assert.Null(question.Period);
        Assert.Contains("ends", question.Problem, StringComparison.Ordinal);
        Assert.Contains("before it starts", question.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("churn from 2025-02-01 to 2025-03-01")]
    [InlineData("churn from November to February")]
    [InlineData("churn from 2025-03-01 to 2025-03-01")]
    public void Parse_RangeInOrder_IsUnderstood(string text) => Assert.True(Parse(text).Understood, text);
}
