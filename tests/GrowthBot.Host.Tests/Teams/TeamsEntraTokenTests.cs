using System.Net;
using GrowthBot.Teams.Tests.Support;

namespace GrowthBot.Host.Tests.Teams;

/// <summary>
/// Tokens Microsoft Entra issues for channel traffic to a single-tenant bot, end to end: signed
/// with the tenant's own key, published in the tenant's own OpenID metadata on the loopback fake
/// (the Bot Framework key stays in the Bot Framework's metadata beside it).
/// </summary>
public sealed class TeamsEntraTokenTests : IAsyncLifetime
{
    private readonly TempStore _store = new();
    private FakeBotFramework _bot = null!;

    public async Task InitializeAsync() => _bot = await FakeBotFramework.StartAsync();

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        _store.Dispose();
    }

    private TeamsHostFactory Host(RecordingHandler handler, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string> { ["Teams:TenantId"] = BotFrameworkTokens.HomeTenant };
        foreach (var (key, value) in settings) all[key] = value;
        return new TeamsHostFactory(_bot, _store.DbPath, handler, configured: true, "Production", all);
    }

    [Fact]
    public async Task Message_EntraTokenWithTheServiceUrlClaim_IsAnswered()
    {
        var handler = new RecordingHandler();
        await using var host = Host(handler);

        var response = await host.PostAsync(host.Activity("message_personal.json"), "Bearer " + BotFrameworkTokens.Entra(_bot.EntraKey, host.Time.GetUtcNow(), _bot.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await _bot.WaitForKindAsync("reply"));
    }

    [Fact]
    public async Task Message_EntraTokenWithoutTheClaim_ForAServiceUrlThatIsNotTeams_Is401AndTheBotsTokenGoesNowhere()
    {
        var handler = new RecordingHandler();
        await using var host = Host(handler);

        // The fake connector's loopback URL is not a Teams service URL: the bot must not send its token there.
        var response = await host.PostAsync(host.Activity("message_personal.json"), "Bearer " + BotFrameworkTokens.Entra(_bot.EntraKey, host.Time.GetUtcNow(), serviceUrl: null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(handler.Received);
        Assert.Equal(0, _bot.TokensIssued);
    }

    [Fact]
    public async Task Message_EntraTokenWithoutTheClaim_ForAnAllowListedServiceUrl_IsAnswered()
    {
        var handler = new RecordingHandler();
        await using var host = Host(handler, ("Teams:AllowedServiceUrls:0", _bot.ServiceUrl));

        var response = await host.PostAsync(host.Activity("message_personal.json"), "Bearer " + BotFrameworkTokens.Entra(_bot.EntraKey, host.Time.GetUtcNow(), serviceUrl: null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await _bot.WaitForKindAsync("reply"));
    }

    [Fact]
    public async Task Message_EntraTokenSignedWithTheBotFrameworkKey_Is401()
    {
        var handler = new RecordingHandler();
        await using var host = Host(handler);

        var response = await host.PostAsync(host.Activity("message_personal.json"), "Bearer " + BotFrameworkTokens.Entra(_bot.Key, host.Time.GetUtcNow(), _bot.ServiceUrl));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Message_EntraTokenFromAnotherAppInTheTenant_Is401()
    {
        var handler = new RecordingHandler();
        await using var host = Host(handler);

        var token = BotFrameworkTokens.Entra(_bot.EntraKey, host.Time.GetUtcNow(), _bot.ServiceUrl, caller: "3c1d5b8e-0000-4000-8000-0000000000aa");
        var response = await host.PostAsync(host.Activity("message_personal.json"), "Bearer " + token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(host.Logs.Lines, line => line.Contains("not an allowed caller", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Message_BotFrameworkTokenSignedWithAKeyWithoutEndorsements_Is401()
    {
        var handler = new RecordingHandler();
        await using var host = Host(handler);
        using var bare = new TestSigningKey("bare-key");
        _bot.PublishWithoutEndorsements(bare);

        var response = await host.PostAsync(host.Activity("message_personal.json"), "Bearer " + BotFrameworkTokens.Create(bare, host.Time.GetUtcNow(), _bot.ServiceUrl));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
