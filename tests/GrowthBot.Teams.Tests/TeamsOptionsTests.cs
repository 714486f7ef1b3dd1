namespace GrowthBot.Teams.Tests;

public sealed class TeamsOptionsTests
{
    [Fact]
    public void IsConfigured_WithoutAppId_IsLocalDevelopmentMode()
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
}
