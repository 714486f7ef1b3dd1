using System.Text.Json;

namespace GrowthBot.Host.Tests.Cli;

public sealed class MetricCommandTests : IDisposable
{
    private readonly TempStore _store = new();

    public MetricCommandTests() => SurveySample.ImportInto(_store);

    [Fact]
    public void Metric_Json_HasTheDocumentedShape()
    {
        var (exitCode, output, _) = CliRunner.Run("metric", "nps", "--from", "2025-03-01", "--to", "2025-04-01", "--json", "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("nps", json.GetProperty("metric").GetString());
        Assert.Equal("2025-03-01T00:00:00Z", json.GetProperty("from").GetString());
        Assert.Equal("2025-04-01T00:00:00Z", json.GetProperty("to").GetString());
        // 2 promoters, 1 passive, 1 detractor of 4: NPS = 25.
        Assert.Equal(25m, json.GetProperty("value").GetDecimal());
        Assert.Equal(1, json.GetProperty("numerator").GetInt32());
        Assert.Equal(4, json.GetProperty("denominator").GetInt32());
        Assert.Equal(4, json.GetProperty("n").GetInt32());
        Assert.True(json.GetProperty("marginOfError").GetDecimal() > 0);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("by").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("previous").ValueKind);
    }

    [Fact]
    public void Metric_BySegmentComparedWithPrevious_SplitsAndCompares()
    {
        var (exitCode, output, _) = CliRunner.Run("metric", "nps", "--from", "2025-03-01", "--to", "2025-04-01", "--by", "segment", "--compare", "previous", "--json", "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        var json = JsonDocument.Parse(output).RootElement;
        var by = json.GetProperty("by");
        Assert.Equal(0m, by.GetProperty("SMB").GetProperty("value").GetDecimal()); // 10, 3, 8: one promoter, one detractor of 3
        Assert.Equal(100m, by.GetProperty("Enterprise").GetProperty("value").GetDecimal());
        var previous = json.GetProperty("previous");
        Assert.Equal("2025-02-01T00:00:00Z", previous.GetProperty("from").GetString());
        Assert.Equal("2025-03-01T00:00:00Z", previous.GetProperty("to").GetString());
        Assert.Equal(-100m, previous.GetProperty("value").GetDecimal());
    }

    [Fact]
    public void Metric_NoDataInPeriod_IsNullNotZero()
    {
        var (exitCode, output, _) = CliRunner.Run("metric", "csat", "--from", "2024-01-01", "--to", "2024-02-01", "--json", "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(output).RootElement.GetProperty("value").ValueKind);
        var text = CliRunner.Run("metric", "csat", "--from", "2024-01-01", "--to", "2024-02-01", "--db", _store.DbPath).Output;
        Assert.Contains("no data", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Metric_Text_ShowsValueBasisAndDefinition()
    {
        var (exitCode, output, _) = CliRunner.Run("metric", "nps", "--from", "2025-03-01", "--to", "2025-04-01", "--compare", "previous", "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        Assert.Contains("Net Promoter Score, 2025-03-01 00:00 to 2025-04-01 00:00 UTC", output, StringComparison.Ordinal);
        Assert.Contains("+25", output, StringComparison.Ordinal);
        Assert.Contains("Change: +125", output, StringComparison.Ordinal);
        // The formula as computed: (promoters 2 − detractors 1) ÷ answers 4 × 100 = +25.
        Assert.Contains("How it was computed: Net Promoter Score = (promoters (9–10) 2 − detractors (0–6) 1) ÷ answers 4 × 100 = +25", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Metric_WithoutPeriod_MeansThisMonthSoFar()
    {
        var (_, output, _) = CliRunner.Run("metric", "nps", "--json", "--db", _store.DbPath);

        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("2025-06-01T00:00:00Z", json.GetProperty("from").GetString());
        Assert.Equal("2025-06-15T12:00:00Z", json.GetProperty("to").GetString());
    }

    [Fact]
    public void Metric_UnknownName_ListsTheKnownOnesAndSuggests()
    {
        var (exitCode, _, error) = CliRunner.Run("metric", "chrun", "--db", _store.DbPath);

        Assert.Equal(2, exitCode);
        Assert.Contains("Unknown metric 'chrun'. Did you mean customer-churn", error, StringComparison.Ordinal);
        Assert.Contains("nps csat ces mrr arpa customer-churn retention gross-revenue-churn net-revenue-churn nrr grr existing-revenue-growth " +
                        "expansion-revenue quick-ratio customer-growth revenue-growth cac ltv ltv-cac fcr repeat-purchase activation", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--from", "2025-13-01", "--from '2025-13-01' is not a date")]
    [InlineData("--to", "yesterday", "--to 'yesterday' is not a date")]
    public void Metric_BadDate_SaysWhichArgument(string option, string value, string expected)
    {
        var (exitCode, _, error) = CliRunner.Run("metric", "nps", option, value, "--db", _store.DbPath);

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--from", "2025-04-01", "--to", "2025-03-01" }, "must be after --from")]
    [InlineData(new[] { "--by", "region" }, "--by 'region' is not supported")]
    [InlineData(new[] { "--compare", "last-year" }, "--compare 'last-year' is not supported")]
    public void Metric_BadOptions_AreExplained(string[] options, string expected)
    {
        var (exitCode, _, error) = CliRunner.Run(["metric", "nps", "--db", _store.DbPath, .. options]);

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Metric_CacBySegment_ExplainsWhyNot()
    {
        var (exitCode, _, error) = CliRunner.Run("metric", "cac", "--by", "segment", "--db", _store.DbPath);

        Assert.Equal(2, exitCode);
        Assert.Contains("can't be split by segment", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Metric_StoreHeldByAnotherProcess_SaysSoPlainly()
    {
        using var holder = new GrowthBot.Storage.LiteGrowthStore(new GrowthBot.Storage.StorageOptions { Path = _store.DbPath });

        var (exitCode, _, error) = CliRunner.Run("metric", "nps", "--db", _store.DbPath);

        Assert.Equal(3, exitCode);
        Assert.Contains("is in use by another GrowthBot process", error, StringComparison.Ordinal);
    }

    public void Dispose() => _store.Dispose();
}
