using System.Text.Json;

namespace GrowthBot.Host.Tests.Cli;

/// <summary>
/// Customer counts through <c>growthbot metric</c> and <c>growthbot ask</c>, asked on 15 June 2025.
/// c1 (SMB, organic) pays from Jan 10; c2 (Enterprise, paid-search) from Feb 15 and leaves on May 10;
/// c3 (SMB, paid-search) from May 5. May: 2 paying at the start (c1, c2), c2 churned, c3 new → 2 paying at the end.
/// </summary>
public sealed class CustomerCountCommandTests : IDisposable
{
    private readonly TempStore _store = new();

    public CustomerCountCommandTests()
    {
        SurveySample.ImportInto(_store);
        var (code, _, error) = CliRunner.Run("import", "subscriptions", _store.WriteFile("subscriptions.csv",
            "customer_id,date,mrr\nc1,2025-01-10,100\nc2,2025-02-15,1000\nc2,2025-05-10,0\nc3,2025-05-05,50\n"), "--db", _store.DbPath);
        Assert.True(code == 0, error);
    }

    [Theory]
    [InlineData("customers", "2", null)]
    [InlineData("new-customers", "1", null)]
    [InlineData("churned-customers", "1", "2")]
    public void Metric_CustomerCounts_GiveTheCountWithItsUnit(string name, string value, string? denominator)
    {
        var (code, output, error) = CliRunner.Run("metric", name, "--from", "2025-05-01", "--to", "2025-06-01", "--json", "--db", _store.DbPath);

        Assert.True(code == 0, error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(name, json.GetProperty("metric").GetString());
        Assert.Equal("count", json.GetProperty("unit").GetString());
        Assert.Equal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), json.GetProperty("value").GetDecimal());
        if (denominator is not null) Assert.Equal(decimal.Parse(denominator, System.Globalization.CultureInfo.InvariantCulture), json.GetProperty("denominator").GetDecimal());
    }

    [Fact]
    public void Ask_HowManyCustomersDoWeHave_AnswersThePayingCount()
    {
        var (code, output, error) = CliRunner.Run("ask", "How many customers do we have?", "--db", _store.DbPath);

        Assert.True(code == 0, error);
        Assert.StartsWith("Paying customers — this month so far, Jun 1–15\n2, unchanged from 2 in May 1–15", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_ChurnedCustomersBySegment_SplitsTheCount()
    {
        var (code, output, error) = CliRunner.Run("ask", "how many customers did we lose in May 2025 by segment", "--db", _store.DbPath);

        Assert.True(code == 0, error);
        var text = output.ReplaceLineEndings("\n");
        Assert.StartsWith("Churned customers — May 2025, May 1–31\n1, ", text, StringComparison.Ordinal);
        Assert.Contains("Enterprise: 1 (n = 1)", text, StringComparison.Ordinal);
        Assert.Contains("SMB: 0 (n = 1)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_NewCustomersByChannel_SplitsTheCount()
    {
        var (code, output, error) = CliRunner.Run("ask", "new customers in May 2025 by channel", "--db", _store.DbPath);

        Assert.True(code == 0, error);
        Assert.Contains("paid-search: 1", output, StringComparison.Ordinal);
    }

    public void Dispose() => _store.Dispose();
}
