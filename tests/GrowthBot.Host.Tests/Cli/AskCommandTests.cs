using System.Text.Json;
using GrowthBot.Host.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Host.Tests.Cli;

/// <summary><c>growthbot ask</c>, asked on 15 June 2025 at 12:00 UTC (<see cref="CliRunner.Now"/>).</summary>
public sealed class AskCommandTests : IDisposable
{
    private readonly TempStore _store = new();

    public AskCommandTests() => SurveySample.ImportInto(_store);

    [Fact]
    public void Ask_Json_HasTheDocumentedShape()
    {
        var (exitCode, output, _) = CliRunner.Run("ask", "what was our NPS in March 2025?", "--json", "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["understood", "query", "answers", "reply"], json.EnumerateObject().Select(property => property.Name));
        Assert.True(json.GetProperty("understood").GetBoolean());
        var query = json.GetProperty("query");
        Assert.Equal(["metrics", "from", "to", "compare", "by", "series"], query.EnumerateObject().Select(property => property.Name));
        Assert.Equal(["nps"], query.GetProperty("metrics").EnumerateArray().Select(metric => metric.GetString()));
        Assert.Equal("2025-03-01T00:00:00Z", query.GetProperty("from").GetString());
        Assert.Equal("2025-04-01T00:00:00Z", query.GetProperty("to").GetString());
        Assert.Equal("2025-02-01T00:00:00Z", query.GetProperty("compare").GetProperty("from").GetString());
        Assert.Equal("2025-03-01T00:00:00Z", query.GetProperty("compare").GetProperty("to").GetString());
        Assert.Equal(JsonValueKind.Null, query.GetProperty("by").ValueKind);
        Assert.Equal(JsonValueKind.Null, query.GetProperty("series").ValueKind);
        // Each answer is the metric command's object: 2 promoters, 1 passive, 1 detractor of 4 → +25; February −100.
        var answer = json.GetProperty("answers").EnumerateArray().Single();
        Assert.Equal("nps", answer.GetProperty("metric").GetString());
        Assert.Equal("nps", answer.GetProperty("unit").GetString());
        Assert.Equal(25m, answer.GetProperty("value").GetDecimal());
        Assert.Equal(4, answer.GetProperty("n").GetInt32());
        Assert.Equal(-100m, answer.GetProperty("previous").GetProperty("value").GetDecimal());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("series").ValueKind);
        Assert.StartsWith("Net Promoter Score — March 2025, Mar 1–31\n+25, up 125 points from -100 in Feb 1–28, which is good", json.GetProperty("reply").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_Text_PrintsWhatAPersonWouldSee()
    {
        var (exitCode, output, _) = CliRunner.Run("ask", "NPS in March 2025", "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Net Promoter Score — March 2025, Mar 1–31\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_UnquotedWords_AreOneQuestion()
    {
        var (_, output, _) = CliRunner.Run("ask", "NPS", "in", "March", "2025", "--json", "--db", _store.DbPath);

        Assert.Equal("2025-03-01T00:00:00Z", JsonDocument.Parse(output).RootElement.GetProperty("query").GetProperty("from").GetString());
    }

    [Fact]
    public void Ask_WithoutPeriod_IsThisMonthSoFarAndSaysSo()
    {
        var json = JsonDocument.Parse(CliRunner.Run("ask", "csat", "--json", "--db", _store.DbPath).Output).RootElement;

        Assert.Equal("2025-06-01T00:00:00Z", json.GetProperty("query").GetProperty("from").GetString());
        Assert.Equal("2025-06-15T12:00:00Z", json.GetProperty("query").GetProperty("to").GetString());
        Assert.Equal("2025-05-01T00:00:00Z", json.GetProperty("query").GetProperty("compare").GetProperty("from").GetString());
        Assert.Equal("2025-05-15T12:00:00Z", json.GetProperty("query").GetProperty("compare").GetProperty("to").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("answers")[0].GetProperty("value").ValueKind);
        Assert.Contains("You didn't name a period, so this is this month so far.", json.GetProperty("reply").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_Series_GivesEachStep()
    {
        var json = JsonDocument.Parse(CliRunner.Run("ask", "monthly NPS since January", "--json", "--db", _store.DbPath).Output).RootElement;

        var query = json.GetProperty("query");
        Assert.Equal("month", query.GetProperty("series").GetString());
        Assert.Equal(JsonValueKind.Null, query.GetProperty("compare").ValueKind);
        var steps = json.GetProperty("answers")[0].GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(["2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z", "2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z", "2025-05-01T00:00:00Z", "2025-06-01T00:00:00Z"],
            steps.Select(step => step.GetProperty("from").GetString()));
        Assert.Equal(-100m, steps[1].GetProperty("value").GetDecimal());
        Assert.Equal(25m, steps[2].GetProperty("value").GetDecimal());
        Assert.Equal(JsonValueKind.Null, steps[3].GetProperty("value").ValueKind);
    }

    [Fact]
    public void Ask_BySegment_SplitsEachAnswer()
    {
        var json = JsonDocument.Parse(CliRunner.Run("ask", "NPS by segment in March 2025", "--json", "--db", _store.DbPath).Output).RootElement;

        Assert.Equal("segment", json.GetProperty("query").GetProperty("by").GetString());
        var by = json.GetProperty("answers")[0].GetProperty("by");
        Assert.Equal(100m, by.GetProperty("Enterprise").GetProperty("value").GetDecimal());
        Assert.Equal(0m, by.GetProperty("SMB").GetProperty("value").GetDecimal());
    }

    [Fact]
    public void Ask_SeveralMetrics_AnswersEach()
    {
        var json = JsonDocument.Parse(CliRunner.Run("ask", "NPS and CSAT in March 2025", "--json", "--db", _store.DbPath).Output).RootElement;

        Assert.Equal(["nps", "csat"], json.GetProperty("answers").EnumerateArray().Select(answer => answer.GetProperty("metric").GetString()));
        Assert.Equal(100m, json.GetProperty("answers")[1].GetProperty("value").GetDecimal());
    }

    [Theory]
    [InlineData("asdfgh", "I didn't understand \"asdfgh\".")]
    [InlineData("last month", "Which metric do you want for last month")]
    public void Ask_NotUnderstood_SaysSoInJson(string question, string reply)
    {
        var (exitCode, output, _) = CliRunner.Run("ask", question, "--json", "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.False(json.GetProperty("understood").GetBoolean());
        Assert.Empty(json.GetProperty("query").GetProperty("metrics").EnumerateArray());
        Assert.Empty(json.GetProperty("answers").EnumerateArray());
        Assert.StartsWith(reply, json.GetProperty("reply").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_Definition_IsUnderstoodWithoutNumbers()
    {
        var json = JsonDocument.Parse(CliRunner.Run("ask", "how is churn calculated?", "--json", "--db", _store.DbPath).Output).RootElement;

        Assert.True(json.GetProperty("understood").GetBoolean());
        Assert.Equal(["customer-churn"], json.GetProperty("query").GetProperty("metrics").EnumerateArray().Select(metric => metric.GetString()));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("query").GetProperty("from").ValueKind);
        Assert.Empty(json.GetProperty("answers").EnumerateArray());
        Assert.Contains("Customers paying at the start who are not paying at the end", json.GetProperty("reply").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_CacBySegment_ExplainsWhyNotAndStillAnswers()
    {
        var (exitCode, output, _) = CliRunner.Run("ask", "CAC by segment", "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        Assert.Contains("can't be split by segment", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_CompanyTimeZone_MovesThePeriodBoundaries()
    {
        var (exitCode, output, _) = Run(new Dictionary<string, string?> { ["Company:TimeZone"] = "Europe/Berlin" },
            "ask", "NPS in March 2025", "--json", "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        var query = JsonDocument.Parse(output).RootElement.GetProperty("query");
        Assert.Equal("2025-02-28T23:00:00Z", query.GetProperty("from").GetString());
        Assert.Equal("2025-03-31T22:00:00Z", query.GetProperty("to").GetString());
    }

    [Fact]
    public void Ask_UnknownTimeZone_IsAUsageError()
    {
        var (exitCode, _, error) = Run(new Dictionary<string, string?> { ["Company:TimeZone"] = "Mars/Olympus_Mons" }, "ask", "NPS", "--db", _store.DbPath);

        Assert.Equal(2, exitCode);
        Assert.Contains("Company:TimeZone 'Mars/Olympus_Mons' is not a known time zone", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_NoQuestion_ShowsUsage()
    {
        var (exitCode, _, error) = CliRunner.Run("ask", "--db", _store.DbPath);

        Assert.Equal(2, exitCode);
        Assert.Contains("growthbot ask \"QUESTION\" [--json] [--db PATH]", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_StoreHeldByAnotherProcess_AnswersHelpButNotNumbers()
    {
        using var holder = new GrowthBot.Storage.LiteGrowthStore(new GrowthBot.Storage.StorageOptions { Path = _store.DbPath });

        var help = CliRunner.Run("ask", "help", "--db", _store.DbPath);
        var numbers = CliRunner.Run("ask", "NPS last month", "--db", _store.DbPath);

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("What you can ask me", help.Output, StringComparison.Ordinal);
        Assert.Equal(3, numbers.ExitCode);
        Assert.Contains("is in use by another GrowthBot process", numbers.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsTheAskVerb()
    {
        var (_, output, _) = CliRunner.Run("help");

        Assert.Contains("ask \"QUESTION\" [--json] [--db PATH]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ShowsTheMultiFileImportLine()
    {
        var (_, output, _) = CliRunner.Run("help");

        Assert.Contains("\n  import <customers|subscriptions|orders|spend|tickets|responses> FILE [KIND FILE …] [--db PATH] [--host URL]\n",
            output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains(GrowthBot.Host.Cli.ImportCommand.Usage["growthbot ".Length..], output, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output, string Error) Run(Dictionary<string, string?> settings, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var exitCode = GrowthBotCli.Run(args, new CliContext(output, error, new FakeTimeProvider(CliRunner.Now), configuration));
        return (exitCode, output.ToString(), error.ToString());
    }

    public void Dispose() => _store.Dispose();
}
