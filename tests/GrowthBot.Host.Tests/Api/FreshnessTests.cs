using System.Net;
using System.Text.Json;
using GrowthBot.Host.Cli;
using GrowthBot.Host.Tests.Cli;
using Microsoft.Extensions.Configuration;

namespace GrowthBot.Host.Tests.Api;

/// <summary>/internal/health and <c>growthbot status</c> say when data last arrived from each source, and which are stale.</summary>
public sealed class FreshnessTests : IDisposable
{
    private readonly ApiHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task InternalHealth_ListsEachSourceWithItsLastEvent_AndStalenessAfterTheThreshold()
    {
        _host.StoreCustomers("c1");
        using var client = _host.Client(_host.Key("support"));
        var now = _host.Factory.Time.GetUtcNow();
        (await client.PostAsync(new Uri("api/v1/import/tickets", UriKind.Relative),
            ApiHost.Body("ticket_id,customer_id,opened_at,resolved_at,contacts\nT-1,c1,2025-06-01,2025-06-02,1\n", "text/csv"))).Dispose();

        var fresh = await SourcesAsync();
        _host.Factory.Time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        var later = await SourcesAsync();

        Assert.Equal(now, fresh.GetProperty("support").GetProperty("lastEventAt").GetDateTimeOffset());
        Assert.False(fresh.GetProperty("support").GetProperty("stale").GetBoolean());
        Assert.Equal(JsonValueKind.Null, fresh.GetProperty("billing").GetProperty("lastEventAt").ValueKind);
        Assert.True(fresh.GetProperty("billing").GetProperty("stale").GetBoolean());
        Assert.Equal("7.00:00:00", fresh.GetProperty("surveys").GetProperty("maxAge").GetString());
        Assert.True(later.GetProperty("support").GetProperty("stale").GetBoolean());
    }

    [Fact]
    public async Task Status_HostHoldsTheStore_PrintsEachSource()
    {
        _host.StoreCustomers("c1");
        using var client = _host.Client(_host.Key("crm"));
        (await client.PostAsync(new Uri("api/v1/import/subscriptions", UriKind.Relative), ApiHost.Body("customer_id,date,mrr\nc1,2025-06-01,100\n", "text/csv"))).Dispose();
        var output = new StringWriter();
        var context = new CliContext(output, new StringWriter(), _host.Factory.Time, new ConfigurationBuilder().Build())
        {
            HttpClientFactory = baseAddress => new HttpClient(_host.Factory.Server.CreateHandler(http => http.Connection.RemoteIpAddress = IPAddress.Loopback)) { BaseAddress = baseAddress },
        };

        var code = GrowthBotCli.Run(["status", "--db", _host.Store.DbPath], context);

        Assert.Equal(0, code);
        Assert.Contains("billing  last event 2025-06-15 12:00 UTC (0 min ago)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("support  no events yet", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("STALE (threshold 2 days)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Status_NoHost_ReadsTheStoreAfterADirectImport()
    {
        using var store = new TempStore();
        CliRunner.Run("import", "customers", store.WriteFile("c.csv", "customer_id,name,segment,acquisition_channel,signed_up_at,activated_at\nc1,,SMB,ads,2025-01-01,\n"),
            "tickets", store.WriteFile("t.csv", "ticket_id,customer_id,opened_at,resolved_at,contacts\nT-1,c1,2025-06-01,,1\n"), "--db", store.DbPath);

        var (code, output, _) = CliRunner.Run("status", "--db", store.DbPath);

        Assert.Equal(0, code);
        Assert.Contains("No host runs on", output, StringComparison.Ordinal);
        Assert.Contains("support  last event 2025-06-15 12:00 UTC", output, StringComparison.Ordinal);
        Assert.Contains("fresh (threshold 2 days)", output, StringComparison.Ordinal);
    }

    private async Task<JsonElement> SourcesAsync() => (await _host.Factory.DetailedHealthAsync()).GetProperty("sources");
}
