using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.Questions;

/// <summary>Whatever is typed, the bot replies with something readable: never silence, never an exception.</summary>
public sealed class QuestionRobustnessTests
{
    private static readonly string[] Words =
    [
        "churn", "nps", "and", "vs", "last", "this", "next", "month", "months", "week", "q1", "q4", "h2", "2024", "2031", "1989",
        "0001-01-01", "2025-02-30", "9999-12-31", "2025-13", "march", "31", "feb", "29", "since", "from", "to", "between", "-", "by",
        "segment", "channel", "region", "trend", "weekly", "monthly", "over", "the", "1000", "0", "-5", "years", "days", "ago", "yoy",
        "explain", "who", "owns", "how", "calculated", "help", "?", "🔥", ":tada:", "'25", "week", "53", "w53", "mtd", "ytd", "cac",
        "ltv:cac", "what", "about", "same", "for", "hours", "quarter", "first", "of", "may", "5th", "xyzzy",
    ];

    [Fact]
    public void RandomWordSalad_AlwaysGetsAReply()
    {
        var random = new Random(20251126);
        var handler = QuestionHandler.Create(new FakeMetricEngine(), new Accountability(), new MetricEngineOptions(),
            new CompanyOptions { TimeZone = "Europe/Berlin" }, new AccessPolicy(new AccessOptions()), new FakeTimeProvider(ParserTable.Now));
        var from = new Requester(ChatPlatform.CommandLine, "fuzz", null, false);

        for (var i = 0; i < 3000; i++)
        {
            var text = string.Join(' ', Enumerable.Range(0, random.Next(0, 9)).Select(_ => Words[random.Next(Words.Length)]));
            var reply = handler.Reply(new IncomingMessage(ChatPlatform.CommandLine, $"d{i}", $"c{i % 7}", null, from, text, ParserTable.Now));

            Assert.False(string.IsNullOrWhiteSpace(reply.Message.FallbackText), text);
            Assert.DoesNotContain("Exception", reply.Message.FallbackText, StringComparison.Ordinal);
            if (reply.Question.Period is { } period) Assert.True(period.To > period.From, text);
        }
    }

    [Theory]
    [InlineData("churn 0001-01-01")]
    [InlineData("churn last 1000 years")]
    [InlineData("churn since 1990")]
    [InlineData("churn 2025-02-30")]
    [InlineData("churn week 53")]
    [InlineData("churn Feb 29")]
    public void OddPeriods_AreReadOrIgnoredWithoutFailing(string text)
    {
        var question = QuestionParser.Parse(text, ParserTable.Now, ParserTable.Berlin, null);

        Assert.Equal([MetricId.CustomerChurn], question.Metrics);
    }
}
