using GrowthBot.Core.Conversations;
using GrowthBot.Core.FollowUps;

namespace GrowthBot.Core.Tests.FollowUps;

/// <summary>Which channel takes which survey is read and checked at start.</summary>
public sealed class FollowUpOptionsValidatorTests
{
    [Fact]
    public void Validate_GoodChannels_Pass_AndAreRead()
    {
        var options = new FollowUpOptions { Nps = "slack:C0SUCCESS", Csat = "slack:T0HOME/C0SUPPORT", Ces = "teams:19:abc@thread.tacv2" };

        Assert.True(new FollowUpOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(new ChatAddress(ChatPlatform.Slack, "C0SUCCESS"), options.Destination(Core.Data.SurveyKind.Nps));
        Assert.Equal(new ChatAddress(ChatPlatform.Slack, "C0SUPPORT", "T0HOME"), options.Destination(Core.Data.SurveyKind.Csat));
        Assert.Equal(new ChatAddress(ChatPlatform.Teams, "19:abc@thread.tacv2"), options.Destination(Core.Data.SurveyKind.Ces));
        Assert.True(new FollowUpOptionsValidator().Validate(null, new FollowUpOptions()).Succeeded);
    }

    [Theory]
    [InlineData("C0SUCCESS", "FollowUps:Nps")]
    [InlineData("discord:123", "start it with slack: or teams:")]
    [InlineData("slack:", "is not a channel")]
    [InlineData("slack:T0/", "is not a Slack channel")]
    [InlineData("slack:C0 C1", "is not a channel")]
    public void Validate_BadChannel_FailsNamingTheSetting(string channel, string expected)
    {
        var result = new FollowUpOptionsValidator().Validate(null, new FollowUpOptions { Nps = channel });

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PollIntervalBeyondAMinute_Fails()
    {
        Assert.True(new FollowUpOptionsValidator().Validate(null, new FollowUpOptions { PollInterval = TimeSpan.FromMinutes(2) }).Failed);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(7200)]
    public void Validate_PostLeaseOutsideHalfAMinuteToAnHour_FailsNamingIt(int seconds)
    {
        var result = new FollowUpOptionsValidator().Validate(null, new FollowUpOptions { PostLease = TimeSpan.FromSeconds(seconds) });

        Assert.True(result.Failed);
        Assert.Contains("FollowUps:PostLease", result.FailureMessage, StringComparison.Ordinal);
    }
}
