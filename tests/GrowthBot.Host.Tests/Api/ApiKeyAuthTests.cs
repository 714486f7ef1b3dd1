using System.Net;
using GrowthBot.Core.ApiKeys;
using GrowthBot.Host.Api.Auth;

namespace GrowthBot.Host.Tests.Api;

/// <summary>Who gets in: header keys only, valid, unrevoked, unexpired, with the right scope.</summary>
public sealed class ApiKeyAuthTests : IDisposable
{
    private const string Csv = "customer_id,date,mrr\nc1,2025-01-10,100\n";
    private readonly ApiHost _host = new();

    public ApiKeyAuthTests() => _host.StoreCustomers("c1");

    public void Dispose() => _host.Dispose();

    private static Uri Import => new("api/v1/import/subscriptions", UriKind.Relative);

    [Fact]
    public async Task Import_NoKey_Is401SayingHowToSendOne()
    {
        using var client = _host.Client();

        using var response = await client.PostAsync(Import, ApiHost.Body(Csv, "text/csv"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Authorization: Bearer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_KeyInTheQueryString_IsIgnoredAnd401()
    {
        var key = _host.Key("crm");
        using var client = _host.Client();

        using var response = await client.PostAsync(new Uri($"api/v1/import/subscriptions?api_key={key}&access_token={key}", UriKind.Relative), ApiHost.Body(Csv, "text/csv"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Import_WrongSecretForARealId_Is401()
    {
        var key = _host.Key("crm");
        using var client = _host.Client(key[..^4] + "AAAA");

        using var response = await client.PostAsync(Import, ApiHost.Body(Csv, "text/csv"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Import_RevokedKey_Is401()
    {
        var key = _host.Key("crm");
        Assert.True(_host.Service<IApiKeyStore>().Revoke("CRM", _host.Factory.Time.GetUtcNow()));
        using var client = _host.Client(key);

        using var response = await client.PostAsync(Import, ApiHost.Body(Csv, "text/csv"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("revoked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ExpiredKey_Is401()
    {
        var key = _host.Service<ApiKeyService>().Create("temp", [ApiKeyScopes.Ingest], _host.Factory.Time.GetUtcNow().AddDays(1)).Key;
        using var client = _host.Client(key);
        using (var before = await client.PostAsync(Import, ApiHost.Body(Csv, "text/csv"))) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        _host.Factory.Time.Advance(TimeSpan.FromDays(1));
        using var after = await client.PostAsync(Import, ApiHost.Body(Csv, "text/csv"));

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("expired", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_IngestKey_Is403()
    {
        using var client = _host.Client(_host.Key("crm", ApiKeyScopes.Ingest));

        using var response = await client.GetAsync(new Uri("api/v1/keys", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Keys_AdminKey_ListsWithoutSecrets()
    {
        var admin = _host.Key("ops", ApiKeyScopes.Admin);
        using var client = _host.Client(admin);

        var body = await client.GetStringAsync(new Uri("api/v1/keys", UriKind.Relative));

        Assert.Contains("\"name\":\"ops\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret(admin), body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostKey_FromAnotherMachine_Is401()
    {
        using var client = _host.Client(_host.Service<LocalHostKey>().Key, IPAddress.Parse("203.0.113.9"));

        using var response = await client.PostAsync(Import, ApiHost.Body(Csv, "text/csv"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RefusedKey_IsNeverLogged()
    {
        var key = _host.Key("crm");
        _host.Service<IApiKeyStore>().Revoke("crm", _host.Factory.Time.GetUtcNow());
        using var client = _host.Client(key);

        (await client.PostAsync(Import, ApiHost.Body(Csv, "text/csv"))).Dispose();

        var lines = _host.Factory.Logs.Lines;
        Assert.Contains(lines, line => line.Contains("API key " + key[3..15] + " refused: Revoked", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(Secret(key), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_AnotherKindOfBearerToken_Is401AndNotLoggedAsAKey()
    {
        using var client = _host.Client("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");

        using var response = await client.PostAsync(Import, ApiHost.Body(Csv, "text/csv"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not a GrowthBot API key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(_host.Factory.Logs.Lines, line => line.Contains("eyJhbGci", StringComparison.Ordinal));
    }

    private static string Secret(string key) => key[(key.IndexOf('_', 3) + 1)..];
}
