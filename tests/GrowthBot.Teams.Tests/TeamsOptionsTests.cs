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
}
