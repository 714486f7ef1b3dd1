using System.Net;
using GrowthBot.Core.ApiKeys;
using GrowthBot.Host.Tests.Api;
using GrowthBot.Host.Tests.Teams;
using GrowthBot.Teams.Tests.Support;

namespace GrowthBot.Host.Tests.Security;

/// <summary>Issue 18, item 3: refused Teams tokens are logged once per interval with a count, no stack trace.</summary>
public sealed class TeamsRefusalLogTests : TeamsHostTest
{
    [Fact]
    public async Task ExpiredTokens_Flood_AreLoggedOncePerIntervalWithACount()
    {
        var expired = "Bearer " + BotFrameworkTokens.Create(Bot.Key, Host.Time.GetUtcNow().AddHours(-2), Bot.ServiceUrl);
        for (var i = 0; i < 15; i++)
        {
            using var refused = await Host.PostAsync(Host.Activity("message_personal.json"), expired);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        Assert.Single(Refusals());

        Host.Time.Advance(TimeSpan.FromMinutes(1));
        using (await Host.PostAsync(Host.Activity("message_personal.json"), expired))
        {
        }

        var lines = Refusals();
        Assert.Equal(2, lines.Count);
        Assert.Contains("14 more refused", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(Host.Logs.Lines, line => line.Contains("   at ", StringComparison.Ordinal));
    }

    private List<string> Refusals() => Host.Logs.Lines.Where(line => line.Contains("Refused a Teams request", StringComparison.Ordinal)).ToList();
}

/// <summary>Issue 18, item 3: refused API keys too.</summary>
public sealed class ApiKeyRefusalLogTests
{
    [Fact]
    public async Task RevokedKey_Flood_IsLoggedOncePerIntervalWithACount()
    {
        using var host = new ApiHost();
        var key = host.Key("crm");
        host.Service<IApiKeyStore>().Revoke("crm", host.Factory.Time.GetUtcNow());
        using var client = host.Client(key);
        for (var i = 0; i < 10; i++)
        {
            using var refused = await client.PostAsync("api/v1/import/customers", ApiHost.Body("customer_id\nc1\n", "text/csv"));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        host.Factory.Time.Advance(TimeSpan.FromMinutes(1));
        using (await client.PostAsync("api/v1/import/customers", ApiHost.Body("customer_id\nc1\n", "text/csv")))
        {
        }

        var lines = host.Factory.Logs.Lines.Where(line => line.Contains("refused: Revoked", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains("9 more refused", lines[1], StringComparison.Ordinal);
    }
}
