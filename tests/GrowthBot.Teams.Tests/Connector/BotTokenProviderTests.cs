using System.Net;
using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Connector;
using GrowthBot.Teams.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Teams.Tests.Connector;

/// <summary>The bot's app token: client credentials, cached until 5 minutes before expiry.</summary>
public sealed class BotTokenProviderTests : IDisposable
{
    private const string TokenPath = "/botframework.com/oauth2/v2.0/token";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
    private readonly StubHttp _http = new();
    private int _issued;

    public BotTokenProviderTests() =>
        _http.OnJson(TokenPath, () => $"{{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,\"access_token\":\"token-{Interlocked.Increment(ref _issued)}\"}}");

    public void Dispose() => _http.Dispose();

    private BotTokenProvider Provider(TeamsOptions? options = null) => new(
        _http.CreateClient("token"),
        Options.Create(options ?? new TeamsOptions { AppId = "app-1", AppPassword = "s3cret", TokenEndpoint = "http://127.0.0.1:9" + TokenPath }),
        _time, NullLogger<BotTokenProvider>.Instance);

    [Fact]
    public async Task GetToken_PostsClientCredentialsForTheBotFrameworkScope()
    {
        using var provider = Provider();

        Assert.Equal("token-1", await provider.GetTokenAsync(CancellationToken.None));

        var request = Assert.Single(_http.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.Body);
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal("app-1", form["client_id"]);
        Assert.Equal("s3cret", form["client_secret"]);
        Assert.Equal("https://api.botframework.com/.default", form["scope"]);
    }

    [Fact]
    public async Task GetToken_IsCachedUntilFiveMinutesBeforeExpiry()
    {
        using var provider = Provider();
        await provider.GetTokenAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(54));
        Assert.Equal("token-1", await provider.GetTokenAsync(CancellationToken.None));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("token-2", await provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal(2, _http.Requests.Count);
    }

    [Fact]
    public async Task GetToken_ManyCallersAtOnce_FetchOnce()
    {
        using var provider = Provider();

        var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => provider.GetTokenAsync(CancellationToken.None)));

        Assert.All(tokens, token => Assert.Equal("token-1", token));
        Assert.Single(_http.Requests);
    }

    [Fact]
    public async Task GetToken_DevelopmentMode_HasNoToken()
    {
        using var provider = Provider(new TeamsOptions());

        Assert.Null(await provider.GetTokenAsync(CancellationToken.None));
        Assert.Empty(_http.Requests);
    }

    [Fact]
    public async Task GetToken_CredentialsRefused_IsUnauthorized_AndNeverSaysTheSecret()
    {
        _http.Next(TokenPath, _ => StubHttp.Json(HttpStatusCode.Unauthorized,
            "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\\r\\nTrace ID: 1\"}"));
        using var provider = Provider();

        var failure = await Assert.ThrowsAsync<ChatDeliveryException>(() => provider.GetTokenAsync(CancellationToken.None));

        Assert.Equal(ChatDeliveryFailure.Unauthorized, failure.Failure);
        Assert.Contains("invalid_client", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetToken_PlainHttpEndpointOffThisMachine_IsRefusedBeforeSendingTheSecret()
    {
        using var provider = Provider(new TeamsOptions { AppId = "app-1", AppPassword = "s3cret", TokenEndpoint = "http://login.example.com/token" });

        var failure = await Assert.ThrowsAsync<ChatDeliveryException>(() => provider.GetTokenAsync(CancellationToken.None));

        Assert.Equal(ChatDeliveryFailure.NotConfigured, failure.Failure);
        Assert.Empty(_http.Requests);
    }

    [Theory]
    [InlineData(null, null, "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token")]
    [InlineData("9f3c2b1a-4d5e-4f60-8a7b-1c2d3e4f5a6b", null, "https://login.microsoftonline.com/9f3c2b1a-4d5e-4f60-8a7b-1c2d3e4f5a6b/oauth2/v2.0/token")]
    [InlineData("9f3c2b1a-4d5e-4f60-8a7b-1c2d3e4f5a6b", "https://login.example.org/t/token", "https://login.example.org/t/token")]
    public void EffectiveTokenEndpoint_MultiTenantSingleTenantOrSetting(string? tenant, string? endpoint, string expected)
    {
        Assert.Equal(expected, new TeamsOptions { TenantId = tenant, TokenEndpoint = endpoint }.EffectiveTokenEndpoint.ToString());
    }
}
