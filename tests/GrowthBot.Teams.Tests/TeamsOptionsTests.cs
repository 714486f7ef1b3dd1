namespace GrowthBot.Teams.Tests;

public sealed class TeamsOptionsTests
{
    [Fact]
    public void IsConfigured_WithoutAppId_IsFalse()
    {
        Assert.False(new TeamsOptions().IsConfigured);
        Assert.False(new TeamsOptions { AppId = " " }.IsConfigured);
        Assert.True(new TeamsOptions { AppId = "00000000-0000-0000-0000-000000000001" }.IsConfigured);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp//broken")]
    public void Validate_TokenEndpointThatIsNotAUrl_StopsTheStart(string endpoint)
    {
        var options = new TeamsOptions { TokenEndpoint = endpoint };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true));
        Assert.Contains(results, result => result.MemberNames.Contains(nameof(TeamsOptions.TokenEndpoint)));
    }

    [Theory]
    [InlineData(null, false, true)]
    [InlineData("https://growthbot.example.com", false, true)]
    [InlineData("http://growthbot.example.com", false, false)]
    [InlineData("http://localhost:5080", false, false)]
    [InlineData("http://localhost:5080", true, true)]
    [InlineData("http://127.0.0.1:5080/", true, true)]
    [InlineData("http://[::1]:5080", true, true)]
    [InlineData("http://growthbot.example.com", true, false)]
    [InlineData("https://growthbot.example.com/?x=1", true, false)]
    public void PublicBaseUrl_HttpsOrLoopbackHttpInDevelopment_IsAccepted(string? url, bool development, bool accepted) =>
        Assert.Equal(accepted, TeamsOptions.IsAcceptablePublicBaseUrl(url, development));

    [Theory]
    [InlineData(TeamsCloud.Public, "https://api.botframework.com", "https://login.botframework.com/v1/.well-known/openidconfiguration", "https://login.microsoftonline.com", "https://api.botframework.com/.default", "https://smba.trafficmanager.net/teams/")]
    [InlineData(TeamsCloud.USGov, "https://api.botframework.com", "https://login.botframework.com/v1/.well-known/openidconfiguration", "https://login.microsoftonline.com", "https://api.botframework.com/.default", "https://smba.infra.gcc.teams.microsoft.com/teams")]
    [InlineData(TeamsCloud.USGovHigh, "https://api.botframework.us", "https://login.botframework.azure.us/v1/.well-known/openidconfiguration", "https://login.microsoftonline.us", "https://api.botframework.us/.default", "https://smba.infra.gov.teams.microsoft.us/teams")]
    [InlineData(TeamsCloud.USGovDoD, "https://api.botframework.us", "https://login.botframework.azure.us/v1/.well-known/openidconfiguration", "https://login.microsoftonline.us", "https://api.botframework.us/.default", "https://smba.infra.dod.teams.microsoft.us/teams")]
    [InlineData(TeamsCloud.China, "https://api.botframework.azure.cn", "https://login.botframework.azure.cn/v1/.well-known/openidconfiguration", "https://login.partner.microsoftonline.cn", "https://api.botframework.azure.cn/.default", null)]
    public void Cloud_SetsIssuerMetadataScopeAndServiceUrl(TeamsCloud cloud, string issuer, string metadata, string login, string scope, string? serviceUrl)
    {
        var options = new TeamsOptions { Cloud = cloud, TenantId = "9f3c2b1a-4d5e-4f60-8a7b-1c2d3e4f5a6b" };

        Assert.Equal(issuer, options.CloudSettings.BotFrameworkIssuer);
        Assert.Equal(metadata, options.EffectiveOpenIdMetadataUrl);
        Assert.Equal(scope, options.CloudSettings.Scope);
        Assert.Equal(serviceUrl, options.EffectiveServiceUrl);
        Assert.Equal(new Uri($"{login}/9f3c2b1a-4d5e-4f60-8a7b-1c2d3e4f5a6b/oauth2/v2.0/token"), options.EffectiveTokenEndpoint);
        Assert.Equal($"{login}/9f3c2b1a-4d5e-4f60-8a7b-1c2d3e4f5a6b/v2.0/.well-known/openid-configuration", options.EntraMetadataUrlFor("9f3c2b1a-4d5e-4f60-8a7b-1c2d3e4f5a6b"));
    }

    [Fact]
    public void Cloud_MultiTenantGovernmentBot_GetsItsTokenFromMicrosoftServices()
    {
        Assert.Equal(new Uri("https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.com/oauth2/v2.0/token"), new TeamsOptions { Cloud = TeamsCloud.USGovHigh }.EffectiveTokenEndpoint);
        Assert.Equal(new Uri("https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"), new TeamsOptions().EffectiveTokenEndpoint);
    }
}
