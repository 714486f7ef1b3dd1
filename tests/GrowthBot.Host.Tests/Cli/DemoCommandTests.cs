using System.Text.Json;

namespace GrowthBot.Host.Tests.Cli;

public sealed class DemoCommandTests : IDisposable
{
    private readonly TempStore _store = new();

    [Fact]
    public void Demo_WritesAHistoryEveryMetricCanAnswer()
    {
        var (exitCode, output, _) = CliRunner.Run("demo", "--db", _store.DbPath, "--customers", "600");

        Assert.Equal(0, exitCode);
        Assert.Contains("Wrote the demo history", output, StringComparison.Ordinal);
        foreach (var metric in GrowthBot.Core.Metrics.MetricCatalog.Names)
        {
            var (code, json, error) = CliRunner.Run("metric", metric, "--from", "2025-01-01", "--to", "2025-04-01", "--json", "--db", _store.DbPath);
            Assert.True(code == 0, error);
            Assert.Equal(JsonValueKind.Number, JsonDocument.Parse(json).RootElement.GetProperty("value").ValueKind);
        }
    }

    [Fact]
    public void Demo_SameSeedAndDay_IsDeterministic()
    {
        var other = Path.Combine(_store.Folder, "other.db");
        CliRunner.Run("demo", "--db", _store.DbPath, "--customers", "300");
        CliRunner.Run("demo", "--db", other, "--customers", "300");

        string[] question = ["metric", "mrr", "--from", "2025-01-01", "--to", "2025-06-01", "--by", "segment", "--json"];
        Assert.Equal(CliRunner.Run([.. question, "--db", _store.DbPath]).Output, CliRunner.Run([.. question, "--db", other]).Output);
        Assert.Equal(CliRunner.Run("customers", "--limit", "1000", "--db", _store.DbPath).Output.Replace(_store.DbPath, "", StringComparison.Ordinal),
            CliRunner.Run("customers", "--limit", "1000", "--db", other).Output.Replace(other, "", StringComparison.Ordinal));
    }

    [Fact]
    public void Demo_BadCustomerCount_IsExplained()
    {
        var (exitCode, _, error) = CliRunner.Run("demo", "--db", _store.DbPath, "--customers", "many");

        Assert.Equal(2, exitCode);
        Assert.Contains("--customers 'many' must be a positive whole number", error, StringComparison.Ordinal);
    }

    public void Dispose() => _store.Dispose();
}
