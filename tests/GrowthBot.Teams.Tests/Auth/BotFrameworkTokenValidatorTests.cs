using System.Text.Json.Nodes;
using GrowthBot.Teams.Auth;
using GrowthBot.Teams.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Teams.Tests.Auth;

/// <summary>The Bot Framework token check, against OpenID metadata served by a stub on a loopback URL.</summary>
public sealed class BotFrameworkTokenValidatorTests : IDisposable
{
    private const string MetadataUrl = "http://127.0.0.1:9/v1/.well-known/openidconfiguration";
    private const string ServiceUrl = "https://smba.trafficmanager.net/emea/";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
    private readonly StubHttp _http = new();
    private readonly TestSigningKey _key = new("key-1");
    private readonly TestSigningKey _entraKey = new("entra-key-1");
    private readonly List<JsonObject> _published = [];

    public BotFrameworkTokenValidatorTests()
    {
        _published.Add(_key.Jwk("msteams"));
        _http.OnJson("/v1/.well-known/openidconfiguration", () => BotFrameworkTokens.Metadata(BotFrameworkTokens.Issuer, "http://127.0.0.1:9/v1/.well-known/keys").ToJsonString());
        _http.OnJson("/v1/.well-known/keys", () => BotFrameworkTokens.Jwks(_published.Select(key => key.DeepClone().AsObject())).ToJsonString());
        var tenant = BotFrameworkTokens.HomeTenant;
        _http.OnJson($"/{tenant}/v2.0/.well-known/openid-configuration", () => BotFrameworkTokens.EntraMetadata(tenant, $"http://127.0.0.1:9/{tenant}/discovery/v2.0/keys").ToJsonString());
        _http.OnJson($"/{tenant}/discovery/v2.0/keys", () => BotFrameworkTokens.Jwks([_entraKey.Jwk()]).ToJsonString());
    }

    public void Dispose()
    {
        _key.Dispose();
        _entraKey.Dispose();
        _http.Dispose();
    }

    private BotFrameworkTokenValidator Validator(string? tenantId = null, params string[] allowedCallers)
    {
        var options = new TeamsOptions
        {
            AppId = BotFrameworkTokens.AppId,
            AppPassword = "secret",
            TenantId = tenantId,
            OpenIdMetadataUrl = MetadataUrl,
            EntraOpenIdMetadataUrl = "http://127.0.0.1:9/{tenantId}/v2.0/.well-known/openid-configuration",
        };
        foreach (var caller in allowedCallers) options.AllowedCallers.Add(caller);
        return new(Options.Create(options), _http, _time, NullLogger<BotFrameworkTokenValidator>.Instance);
    }

    private static ServiceUrlAllowList PublicTeams => ServiceUrlAllowList.For(new TeamsOptions());

    private Task<TokenCheck> CheckAsync(string token, string? tenantId = null) => Validator(tenantId).ValidateAsync("Bearer " + token, CancellationToken.None);

    [Fact]
    public async Task Validate_TokenFromTheBotFramework_IsValidAndCarriesItsServiceUrlAndEndorsements()
    {
        var check = await CheckAsync(BotFrameworkTokens.Create(_key, _time.GetUtcNow(), ServiceUrl));

        Assert.True(check.IsValid, check.Reason);
        Assert.True(check.IsFromBotFramework);
        Assert.True(check.AllowsServiceUrl(ServiceUrl, PublicTeams));
        Assert.True(check.AllowsServiceUrl("https://smba.trafficmanager.net/emea", PublicTeams));
        Assert.False(check.AllowsServiceUrl("https://smba.trafficmanager.net/amer/", PublicTeams));
        Assert.True(check.IsEndorsedFor("msteams"));
        Assert.False(check.IsEndorsedFor("webchat"));
    }

    [Fact]
    public async Task Validate_WrongAudience_IsRefused()
    {
        var check = await CheckAsync(BotFrameworkTokens.Create(_key, _time.GetUtcNow(), ServiceUrl, audience: "00000000-0000-0000-0000-00000000beef"));

        Assert.False(check.IsValid);
        Assert.Equal("wrong audience", check.Reason);
    }

    [Fact]
    public async Task Validate_WrongIssuer_IsRefused()
    {
        var check = await CheckAsync(BotFrameworkTokens.Create(_key, _time.GetUtcNow(), ServiceUrl, issuer: "https://sts.windows.net/someone-else/"));

        Assert.Equal("wrong issuer", check.Reason);
    }

    [Fact]
    public async Task Validate_EntraTokenSignedWithTheTenantsKey_IsValidForASingleTenantBotOnly()
    {
        var token = BotFrameworkTokens.Entra(_entraKey, _time.GetUtcNow(), ServiceUrl);

        Assert.Equal("wrong issuer", (await CheckAsync(token)).Reason);
        var singleTenant = await CheckAsync(token, BotFrameworkTokens.HomeTenant);
        Assert.True(singleTenant.IsValid, singleTenant.Reason);
        Assert.Equal(TokenSource.Entra, singleTenant.Source);
        Assert.True(singleTenant.IsEndorsedFor("msteams"));
        Assert.Contains(_http.Requests, request => request.Uri.AbsolutePath == $"/{BotFrameworkTokens.HomeTenant}/discovery/v2.0/keys");
    }

    [Fact]
    public async Task Validate_EntraV1TokenWithAppId_IsValid()
    {
        var check = await CheckAsync(BotFrameworkTokens.Entra(_entraKey, _time.GetUtcNow(), ServiceUrl, v1: true), BotFrameworkTokens.HomeTenant);

        Assert.True(check.IsValid, check.Reason);
    }

    [Fact]
    public async Task Validate_EntraIssuerSignedWithTheBotFrameworkKey_IsRefused()
    {
        // Each issuer's own keys: a Bot Framework key cannot vouch for an Entra issuer, nor the other way round.
        var entraWithBotFrameworkKey = await CheckAsync(BotFrameworkTokens.Entra(_key, _time.GetUtcNow(), ServiceUrl), BotFrameworkTokens.HomeTenant);
        var botFrameworkWithEntraKey = await CheckAsync(BotFrameworkTokens.Create(_entraKey, _time.GetUtcNow(), ServiceUrl), BotFrameworkTokens.HomeTenant);

        Assert.Equal("unknown signing key", entraWithBotFrameworkKey.Reason);
        Assert.Equal("unknown signing key", botFrameworkWithEntraKey.Reason);
    }

    [Fact]
    public async Task Validate_EntraTokenAskedForByAnotherApp_IsRefusedUnlessThatAppIsAnAllowedCaller()
    {
        const string OtherApp = "3c1d5b8e-0000-4000-8000-0000000000aa";
        var token = BotFrameworkTokens.Entra(_entraKey, _time.GetUtcNow(), ServiceUrl, caller: OtherApp);

        Assert.Equal("the app that asked for the token is not an allowed caller", (await CheckAsync(token, BotFrameworkTokens.HomeTenant)).Reason);
        Assert.Equal("the app that asked for the token is not an allowed caller",
            (await CheckAsync(BotFrameworkTokens.Entra(_entraKey, _time.GetUtcNow(), ServiceUrl, caller: null), BotFrameworkTokens.HomeTenant)).Reason);
        Assert.True((await Validator(BotFrameworkTokens.HomeTenant, OtherApp).ValidateAsync("Bearer " + token, CancellationToken.None)).IsValid);
    }

    [Fact]
    public async Task Validate_EntraTokenWhoseTidIsNotItsIssuersTenant_IsRefused()
    {
        var check = await CheckAsync(BotFrameworkTokens.Entra(_entraKey, _time.GetUtcNow(), ServiceUrl, tid: "11111111-2222-3333-4444-555555555555"), BotFrameworkTokens.HomeTenant);

        Assert.Equal("tenant id does not match the issuer", check.Reason);
    }

    [Fact]
    public async Task Validate_AnotherTenantsIssuer_IsRefusedWithoutFetchingItsMetadata()
    {
        var check = await CheckAsync(BotFrameworkTokens.Entra(_entraKey, _time.GetUtcNow(), ServiceUrl, tenant: "11111111-2222-3333-4444-555555555555"), BotFrameworkTokens.HomeTenant);

        Assert.Equal("wrong issuer", check.Reason);
        Assert.Empty(_http.Requests);
    }

    [Fact]
    public async Task AllowsServiceUrl_EntraTokenWithoutTheClaim_AllowsTeamsServiceUrlsOnly()
    {
        var check = await CheckAsync(BotFrameworkTokens.Entra(_entraKey, _time.GetUtcNow(), serviceUrl: null), BotFrameworkTokens.HomeTenant);

        Assert.True(check.IsValid, check.Reason);
        Assert.True(check.AllowsServiceUrl("https://smba.trafficmanager.net/emea/", PublicTeams));
        Assert.False(check.AllowsServiceUrl("https://evil.example.com/", PublicTeams));
        Assert.False(check.AllowsServiceUrl("https://smba.trafficmanager.net@evil.example.com/teams/", PublicTeams));
        Assert.False(check.AllowsServiceUrl("https://smba.trafficmanager.net.evil.example.com/teams/", PublicTeams));
        Assert.False(check.AllowsServiceUrl("http://smba.trafficmanager.net/emea/", PublicTeams));
        Assert.False(check.AllowsServiceUrl("https://smba.infra.gov.teams.microsoft.us/teams/", PublicTeams));
    }

    [Fact]
    public async Task AllowsServiceUrl_BotFrameworkTokenWithoutTheClaim_AllowsNothing()
    {
        var check = await CheckAsync(BotFrameworkTokens.Create(_key, _time.GetUtcNow(), serviceUrl: null));

        Assert.True(check.IsValid, check.Reason);
        Assert.False(check.AllowsServiceUrl("https://smba.trafficmanager.net/emea/", PublicTeams));
    }

    [Fact]
    public async Task IsEndorsedFor_BotFrameworkKeyWithoutEndorsements_IsRefused()
    {
        using var bare = new TestSigningKey("key-bare");
        _published.Add(bare.Jwk());

        var check = await CheckAsync(BotFrameworkTokens.Create(bare, _time.GetUtcNow(), ServiceUrl));

        Assert.True(check.IsValid, check.Reason);
        Assert.False(check.IsEndorsedFor("msteams"));
    }

    [Fact]
    public async Task Validate_ExpiredBeyondTheFiveMinuteSkew_IsRefused_WithinItIsAccepted()
    {
        var issued = _time.GetUtcNow() - TimeSpan.FromHours(1) - TimeSpan.FromMinutes(4);
        Assert.True((await CheckAsync(BotFrameworkTokens.Create(_key, issued, ServiceUrl))).IsValid);

        var stale = _time.GetUtcNow() - TimeSpan.FromHours(1) - TimeSpan.FromMinutes(6);
        Assert.Equal("expired", (await CheckAsync(BotFrameworkTokens.Create(_key, stale, ServiceUrl))).Reason);
    }

    [Fact]
    public async Task Validate_NotYetValid_IsRefused()
    {
        var check = await CheckAsync(BotFrameworkTokens.Create(_key, _time.GetUtcNow().AddMinutes(10), ServiceUrl));

        Assert.Equal("not yet valid", check.Reason);
    }

    [Fact]
    public async Task Validate_PayloadChangedAfterSigning_IsABadSignature()
    {
        var check = await CheckAsync(BotFrameworkTokens.Tampered(BotFrameworkTokens.Create(_key, _time.GetUtcNow(), ServiceUrl)));

        Assert.Equal("bad signature", check.Reason);
    }

    [Fact]
    public async Task Validate_AlgNone_IsRefusedWithoutLookingAtKeys()
    {
        var check = await CheckAsync(BotFrameworkTokens.Unsigned(_time.GetUtcNow(), ServiceUrl));

        Assert.Equal("unsigned token (alg none)", check.Reason);
        Assert.Empty(_http.Requests);
    }

    [Fact]
    public async Task Validate_UnknownKey_RefreshesTheKeysOnce_ThenRefuses()
    {
        var validator = Validator();
        Assert.True((await validator.ValidateAsync("Bearer " + BotFrameworkTokens.Create(_key, _time.GetUtcNow(), ServiceUrl), CancellationToken.None)).IsValid);
        using var stranger = new TestSigningKey("key-unknown");

        var check = await validator.ValidateAsync("Bearer " + BotFrameworkTokens.Create(stranger, _time.GetUtcNow(), ServiceUrl), CancellationToken.None);

        Assert.Equal("unknown signing key", check.Reason);
        Assert.Equal(2, _http.Requests.Count(request => request.Uri.AbsolutePath.EndsWith("/keys", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Validate_KeyRolledOverSinceTheKeysWereCached_IsAcceptedAfterTheRefresh()
    {
        var validator = Validator();
        Assert.True((await validator.ValidateAsync("Bearer " + BotFrameworkTokens.Create(_key, _time.GetUtcNow(), ServiceUrl), CancellationToken.None)).IsValid);
        using var rolled = new TestSigningKey("key-2");
        _published.Add(rolled.Jwk("msteams"));

        var check = await validator.ValidateAsync("Bearer " + BotFrameworkTokens.Create(rolled, _time.GetUtcNow(), ServiceUrl), CancellationToken.None);

        Assert.True(check.IsValid, check.Reason);
    }

    [Theory]
    [InlineData(null, "no bearer token")]
    [InlineData("", "no bearer token")]
    [InlineData("Basic dXNlcjpwYXNz", "no bearer token")]
    [InlineData("Bearer not-a-jwt", "malformed token")]
    public async Task Validate_MissingOrMalformedHeader_IsRefused(string? header, string reason)
    {
        var check = await Validator().ValidateAsync(header, CancellationToken.None);

        Assert.Equal(reason, check.Reason);
    }

    [Fact]
    public async Task Validate_Hs256SignedWithThePublicKeyBytes_IsRefused()
    {
        // The classic confusion attack: an HMAC token "signed" with something public. Only RSA algorithms are allowed.
        var header = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"key-1\"}");
        var payload = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode($"{{\"iss\":\"{BotFrameworkTokens.Issuer}\",\"aud\":\"{BotFrameworkTokens.AppId}\",\"exp\":{_time.GetUtcNow().AddHours(1).ToUnixTimeSeconds()}}}");
        var check = await CheckAsync($"{header}.{payload}.c2lnbmF0dXJl");

        Assert.False(check.IsValid);
    }

    [Fact]
    public async Task Validate_MetadataUnreachable_SaysKeysUnavailable()
    {
        _http.On("/v1/.well-known/openidconfiguration", _ => new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable));

        var check = await CheckAsync(BotFrameworkTokens.Create(_key, _time.GetUtcNow(), ServiceUrl));

        Assert.False(check.IsValid);
        Assert.True(check.KeysUnavailable);
    }
}
