using System.Net;
using GrowthBot.Core.ApiKeys;
using GrowthBot.Core.Metrics;
using GrowthBot.Host.Cli;
using GrowthBot.Host.Tests.Api;
using Microsoft.Extensions.Configuration;

namespace GrowthBot.Host.Tests.Cli;

/// <summary><c>growthbot import</c> and <c>growthbot apikey</c> while a host runs on the same store: the file goes through the host.</summary>
public sealed class ImportThroughHostTests : IDisposable
{
    private readonly ApiHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void Import_HostHoldsTheStore_SendsTheFileAndTheEngineSeesIt()
    {
        _host.StoreCustomers("c1", "c2");
        var file = _host.Store.WriteFile("subscriptions.csv", "customer_id,date,mrr\nc1,2025-01-10,100\nc2,2025-02-15,1000\n");

        var (code, output, error) = Run(["import", "subscriptions", file, "--db", _host.Store.DbPath]);
        var (again, repeated, _) = Run(["import", "subscriptions", file, "--db", _host.Store.DbPath]);

        Assert.True(code == 0, error);
        Assert.Contains("A GrowthBot host holds", error, StringComparison.Ordinal);
        Assert.Contains("sending", error, StringComparison.Ordinal);
        Assert.Contains("Imported 2 rows of subscriptions", output, StringComparison.Ordinal);
        Assert.Contains("2 new, 0 updated, 0 unchanged", output, StringComparison.Ordinal);
        Assert.Equal(2, _host.Service<IMetricEngine>().Statistics.SubscriptionMovements);
        Assert.Equal(0, again);
        Assert.Contains("0 new, 0 updated, 2 unchanged", repeated, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_HostHoldsTheStore_BadRowsAreListedByLineAndNothingIsWritten()
    {
        var file = _host.Store.WriteFile("subscriptions.csv", "customer_id,date,mrr\nc1,2025-01-10,100\nc2,2025-02-30,1000\nc3,2025-03-05,-50\n");

        var (code, _, error) = Run(["import", "subscriptions", file, "--db", _host.Store.DbPath]);

        Assert.Equal(ExitCodes.BadData, code);
        Assert.Contains("Nothing from this file was written.", error, StringComparison.Ordinal);
        Assert.Contains("  line 3: ", error, StringComparison.Ordinal);
        Assert.Contains("  line 4: ", error, StringComparison.Ordinal);
        Assert.Equal(0, _host.Service<IMetricEngine>().Statistics.SubscriptionMovements);
    }

    [Fact]
    public void Import_WithHostUrlAndApiKey_UsesTheKey()
    {
        var file = _host.Store.WriteFile("customers.ndjson", """{"customer_id":"c1","segment":"SMB","acquisition_channel":"organic","signed_up_at":"2025-01-05"}""" + "\n");
        var key = _host.Key("laptop");

        var (code, output, error) = Run(["import", "customers", file, "--host", "http://localhost"], new() { ["Cli:ApiKey"] = key });
        var (refusedCode, _, refused) = Run(["import", "customers", file, "--host", "http://localhost"], new() { ["Cli:ApiKey"] = key[..^3] + "xyz" });

        Assert.True(code == 0, error);
        Assert.Contains("Imported 1 row of customers", output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.HostUnavailable, refusedCode);
        Assert.Contains("(401)", refused, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_HostUrlWithoutKey_IsAUsageError()
    {
        var file = _host.Store.WriteFile("customers.csv", "customer_id\n");

        var (code, _, error) = Run(["import", "customers", file, "--host", "http://localhost"]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("Cli__ApiKey", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ApiKey_HostHoldsTheStore_CreateListRevokeGoThroughIt()
    {
        var (created, key, createError) = Run(["apikey", "create", "billing", "--db", _host.Store.DbPath]);
        var (_, list, _) = Run(["apikey", "list", "--db", _host.Store.DbPath]);
        var (revoked, revokeOutput, _) = Run(["apikey", "revoke", "billing", "--db", _host.Store.DbPath]);

        Assert.True(created == 0, createError);
        Assert.Equal(ApiKeyVerdict.Revoked, _host.Service<ApiKeyService>().Check(key.Trim()).Verdict);
        Assert.Contains("billing  gb_", list, StringComparison.Ordinal);
        Assert.Equal(0, revoked);
        Assert.Contains("Revoked API key 'billing'", revokeOutput, StringComparison.Ordinal);
    }

    private (int Code, string Output, string Error) Run(string[] args, Dictionary<string, string?>? settings = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, _host.Factory.Time, new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build())
        {
            HttpClientFactory = baseAddress => new HttpClient(_host.Factory.Server.CreateHandler(http => http.Connection.RemoteIpAddress = IPAddress.Loopback)) { BaseAddress = baseAddress },
        };
        return (GrowthBotCli.Run(args, context), output.ToString(), error.ToString());
    }
}
