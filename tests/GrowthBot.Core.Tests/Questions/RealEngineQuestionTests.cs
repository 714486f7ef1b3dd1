using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.Questions;

/// <summary>Questions answered by the real metric engine from a small batch of rows.</summary>
public sealed class RealEngineQuestionTests : IDisposable
{
    private readonly MetricEngine _engine = new(new MetricEngineOptions());
    private readonly QuestionHandler _handler;

    public RealEngineQuestionTests()
    {
        var batch = new GrowthDataBatch();
        batch.Customers.Add(new Customer("c1", "Acme", "SMB", "organic", Utc(2025, 1, 5), Utc(2025, 1, 7)));
        batch.Customers.Add(new Customer("c2", "Globex", "Enterprise", "paid-search", Utc(2025, 1, 10), null));
        batch.Customers.Add(new Customer("c3", "Initech", "SMB", "paid-search", Utc(2025, 2, 1), null));
        batch.Responses.Add(new SurveyResponse("r1", SurveyKind.Nps, "c1", 10, null, Utc(2025, 3, 2)));
        batch.Responses.Add(new SurveyResponse("r2", SurveyKind.Nps, "c2", 9, null, Utc(2025, 3, 3)));
        batch.Responses.Add(new SurveyResponse("r3", SurveyKind.Nps, "c3", 3, "Too slow", Utc(2025, 3, 4)));
        batch.Responses.Add(new SurveyResponse("r4", SurveyKind.Nps, "c1", 8, null, Utc(2025, 3, 5)));
        batch.Responses.Add(new SurveyResponse("r5", SurveyKind.Nps, "c2", 6, null, Utc(2025, 2, 10)));
        _engine.Apply(batch);
        _handler = QuestionHandler.Create(_engine, new Accountability(), new MetricEngineOptions(), new CompanyOptions { TimeZone = "UTC" },
            new AccessPolicy(new AccessOptions()), new FakeTimeProvider(ParserTable.Now));
    }

    [Fact]
    public void Nps_InMarch_IsComputedAndComparedWithFebruary()
    {
        var reply = Ask("NPS in March");

        Assert.Equal("Net Promoter Score — March 2025, Mar 1–31", reply.Message.Blocks.OfType<HeaderBlock>().Single().Text);
        Assert.Contains("+25, up 125 points from -100 in Feb 1–28, which is good", reply.Message.FallbackText, StringComparison.Ordinal);
        var answer = Assert.Single(reply.Answers).Answer!;
        Assert.Equal(25m, answer.Result.Value);
        Assert.Equal(-100m, answer.Previous!.Result.Value);
    }

    [Fact]
    public void Nps_BySegment_SplitsTheAnswers()
    {
        var answer = Assert.Single(Ask("NPS by segment in March 2025").Answers).Answer!;

        Assert.Equal(["Enterprise", "SMB"], answer.Groups!.Select(group => group.Name));
        Assert.Equal(100m, answer.Groups![0].Result.Value);
    }

    [Fact]
    public void Csat_WithNoResponses_IsNoDataNotZero()
    {
        var reply = Ask("CSAT in March");

        Assert.Null(Assert.Single(reply.Answers).Answer!.Result.Value);
        Assert.Contains("No data for Customer satisfaction (CSAT)", reply.Message.FallbackText, StringComparison.Ordinal);
    }

    private QuestionReply Ask(string text)
    {
        var from = new Requester(ChatPlatform.CommandLine, "cli", null, false);
        return _handler.Reply(new IncomingMessage(ChatPlatform.CommandLine, "d", "cli", null, from, text, ParserTable.Now));
    }

    private static DateTime Utc(int year, int month, int day) => new(year, month, day, 0, 0, 0, DateTimeKind.Utc);

    public void Dispose() => _engine.Dispose();
}
