using GrowthBot.Host.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Host.Tests.Cli;

/// <summary><c>growthbot metric</c> and <c>ask</c> say how old the billing data is once it is past <c>Freshness__BillingMaxAge</c>.</summary>
public sealed class FreshnessWordingCliTests : IDisposable
{
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    private static (int Code, string Output, string Error) Run(DateTimeOffset now, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, new FakeTimeProvider(now), new ConfigurationBuilder().Build());
        return (GrowthBotCli.Run(args, context), output.ToString(), error.ToString());
    }

    private DateTimeOffset Imported()
    {
        var customers = _store.WriteFile("customers.csv", "customer_id,name,segment,acquisition_channel,signed_up_at,activated_at\nc1,One,SMB,ads,2025-05-01,\n");
        var subscriptions = _store.WriteFile("subscriptions.csv", "customer_id,date,mrr\nc1,2025-06-12,100\n");
        var (code, _, error) = Run(CliRunner.Now, "import", "customers", customers, "subscriptions", subscriptions, "--db", _store.DbPath);
        Assert.True(code == 0, error);
        return CliRunner.Now;
    }

    [Fact]
    public void Metric_ImportedThreeDaysAgo_WarnsInOneLine_AndTheJsonSaysStale()
    {
        var importedAt = Imported();

        var (_, fresh, _) = Run(importedAt.AddDays(1), "metric", "mrr", "--db", _store.DbPath);
        var (_, stale, _) = Run(importedAt.AddDays(3), "metric", "mrr", "--db", _store.DbPath);
        var (_, json, _) = Run(importedAt.AddDays(3), "metric", "mrr", "--json", "--db", _store.DbPath);

        Assert.False(fresh.Contains("Warning", StringComparison.Ordinal), fresh);
        Assert.Contains("  Warning: billing data is 3 days old (newest from Jun 15, 2025; expected at least every 2 days); this figure may miss what happened since.", stale, StringComparison.Ordinal);
        Assert.Single(stale.Split('\n'), line => line.Contains("Warning", StringComparison.Ordinal));
        Assert.Contains("\"freshness\": {", json, StringComparison.Ordinal);
        Assert.Contains("\"stale\": true", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_ImportedThreeDaysAgo_TheAnswerSaysSo()
    {
        var importedAt = Imported();

        var (code, output, error) = Run(importedAt.AddDays(3), "ask", "mrr this month", "--db", _store.DbPath);

        Assert.True(code == 0, error);
        Assert.Contains("⚠️ Billing data is 3 days old (newest from Jun 15, 2025; expected at least every 2 days)", output, StringComparison.Ordinal);
    }
}
