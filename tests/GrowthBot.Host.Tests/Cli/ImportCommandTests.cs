using System.Text.Json;

namespace GrowthBot.Host.Tests.Cli;

public sealed class ImportCommandTests : IDisposable
{
    private const string Customers = """
        customer_id,name,segment,acquisition_channel,signed_up_at,activated_at
        c1,Acme,SMB,organic,2025-01-05,2025-01-07
        c2,Globex,Enterprise,paid-search,2025-02-10T09:30:00Z,
        c3,Initech,SMB,organic,2025-03-01,2025-03-20
        """;

    private const string Subscriptions = """
        customer_id,date,mrr
        c1,2025-01-10,100
        c2,2025-02-15,1000
        c3,2025-03-05,50
        c1,2025-03-10,0
        """;

    private readonly TempStore _store = new();

    [Fact]
    public void Import_GoodFile_ReportsNewRowsAndTheMetricSeesThem()
    {
        Assert.Equal(0, CliRunner.Run("import", "customers", _store.WriteFile("customers.csv", Customers), "--db", _store.DbPath).ExitCode);
        var (exitCode, output, _) = CliRunner.Run("import", "subscriptions", _store.WriteFile("subscriptions.csv", Subscriptions), "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        Assert.Contains("Imported 4 rows of subscriptions", output, StringComparison.Ordinal);
        Assert.Contains("4 new, 0 updated, 0 unchanged", output, StringComparison.Ordinal);
        var churn = MetricJson("customer-churn", "--from", "2025-03-01", "--to", "2025-04-01");
        // Paying at March 1st: c1 and c2; c1 churned on March 10th; c3 signed up in March and does not count.
        Assert.Equal(50m, churn.GetProperty("value").GetDecimal());
        Assert.Equal(1, churn.GetProperty("numerator").GetInt32());
        Assert.Equal(2, churn.GetProperty("denominator").GetInt32());
    }

    [Fact]
    public void Import_SameFileTwice_ChangesNothing()
    {
        var file = _store.WriteFile("customers.csv", Customers);
        CliRunner.Run("import", "customers", file, "--db", _store.DbPath);

        var (exitCode, output, _) = CliRunner.Run("import", "customers", file, "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        Assert.Contains("0 new, 0 updated, 3 unchanged", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_FileWithBadRows_ReportsEachLineAndWritesNothing()
    {
        CliRunner.Run("import", "customers", _store.WriteFile("customers.csv", Customers), "--db", _store.DbPath);
        var bad = _store.WriteFile("bad.csv", """
            customer_id,date,mrr
            c1,2025-01-10,100
            c2,2025-02-30,1000
            c3,2025-03-05,-50
            """);

        var (exitCode, output, error) = CliRunner.Run("import", "subscriptions", bad, "--db", _store.DbPath);

        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Contains("Nothing from this file was written", error, StringComparison.Ordinal);
        Assert.Contains("line 3: date '2025-02-30' is not an ISO-8601 date", error, StringComparison.Ordinal);
        Assert.Contains("line 4: mrr -50 is negative", error, StringComparison.Ordinal);
        // The good first row was not half-applied either: there is no billing data at all, so MRR is unknown (null), not 0.
        Assert.Equal(JsonValueKind.Null, MetricJson("mrr", "--from", "2025-01-01", "--to", "2025-02-01").GetProperty("value").ValueKind);
    }

    [Theory]
    [InlineData(new[] { "import" }, "Usage: growthbot import")]
    [InlineData(new[] { "import", "invoices", "x.csv" }, "Unknown import kind 'invoices'. Choose one of: customers, subscriptions, orders, spend, tickets, responses.")]
    [InlineData(new[] { "import", "customers", "/nonexistent/customers.csv" }, "File not found: /nonexistent/customers.csv")]
    [InlineData(new[] { "import", "customers", "x.csv", "--database", "y" }, "Unknown option --database.")]
    public void Import_Misused_ExplainsAndExitsWithUsageCode(string[] args, string expected)
    {
        var (exitCode, _, error) = CliRunner.Run(args);

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_LargeFile_ShowsProgress()
    {
        var rows = Enumerable.Range(0, 12_000).Select(i => $"c{i},Customer {i},SMB,organic,2025-01-01,");
        var file = _store.WriteFile("many.csv", "customer_id,name,segment,acquisition_channel,signed_up_at,activated_at\n" + string.Join("\n", rows));

        var (exitCode, output, error) = CliRunner.Run("import", "customers", file, "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        Assert.Contains("Imported 12,000 rows", output, StringComparison.Ordinal);
        Assert.Contains("reading", error, StringComparison.Ordinal);
        Assert.Contains("writing 12,000 of 12,000 rows (100%)", error, StringComparison.Ordinal);
    }

    public void Dispose() => _store.Dispose();

    private JsonElement MetricJson(string metric, params string[] more)
    {
        var (exitCode, output, error) = CliRunner.Run(["metric", metric, "--json", "--db", _store.DbPath, .. more]);
        Assert.True(exitCode == 0, error);
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
