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
}
