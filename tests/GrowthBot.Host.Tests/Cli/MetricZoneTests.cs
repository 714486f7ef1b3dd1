using System.Text.Json;

namespace GrowthBot.Host.Tests.Cli;

/// <summary><c>metric --zone</c> reads dates in the company's calendar, and refuses periods that have not started.</summary>
public sealed class MetricZoneTests : IDisposable
{
    private readonly TempStore _store = new();

    public MetricZoneTests() => SurveySample.ImportInto(_store);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Metric_Zone_ReadsFromAndToInThatZone()
    {
        var (exitCode, output, _) = CliRunner.Run("metric", "nps", "--from", "2025-03-01", "--to", "2025-04-01", "--zone", "Europe/Berlin", "--json", "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("2025-02-28T23:00:00Z", json.GetProperty("from").GetString());
        Assert.Equal("2025-03-31T22:00:00Z", json.GetProperty("to").GetString());
    }

    [Fact]
    public void Metric_WithoutZone_ReadsDatesInTheCompanysZone()
    {
        var (exitCode, output, _) = CliRunner.RunWith(new Dictionary<string, string?> { ["Company:TimeZone"] = "America/New_York" },
            "metric", "nps", "--from", "2025-03-01", "--to", "2025-04-01", "--json", "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("2025-03-01T05:00:00Z", json.GetProperty("from").GetString());
        Assert.Equal("2025-04-01T04:00:00Z", json.GetProperty("to").GetString());
    }

    [Fact]
    public void Metric_ExplicitOffset_KeepsItsInstantWhateverTheZone()
    {
        var (exitCode, output, _) = CliRunner.Run("metric", "nps", "--from", "2025-03-01T00:00:00Z", "--to", "2025-04-01T00:00:00+02:00", "--zone", "Europe/Berlin", "--json", "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("2025-03-01T00:00:00Z", json.GetProperty("from").GetString());
        Assert.Equal("2025-03-31T22:00:00Z", json.GetProperty("to").GetString());
    }

    [Theory]
    [InlineData("2027-01-01", "2028-01-01")]
    [InlineData("2030-01-01", "2030-02-01")]
    public void Metric_PeriodThatHasNotStarted_IsRefused(string from, string to)
    {
        var (exitCode, output, error) = CliRunner.Run("metric", "customer-churn", "--from", from, "--to", to, "--db", _store.DbPath);

        Assert.NotEqual(0, exitCode);
        Assert.Empty(output);
        Assert.Contains("hasn't started yet", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Metric_UnknownZone_IsAClearError()
    {
        var (exitCode, _, error) = CliRunner.Run("metric", "nps", "--zone", "Mars/Olympus", "--db", _store.DbPath);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--zone 'Mars/Olympus' is not a time zone", error, StringComparison.Ordinal);
    }
}
