using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Core.Tests.Surveys;

/// <summary>The default wording reads well whether or not Company__Name is set.</summary>
public sealed class SurveyTextsTests
{
    private static readonly SurveyButtonCodec Codec = SurveyButtonCodec.FromText("a-test-signing-key-of-some-length");

    [Theory]
    [InlineData("", SurveyKind.Nps, "How likely are you to recommend us to a friend or colleague?")]
    [InlineData("", SurveyKind.Ces, "It was easy to handle my issue with us.")]
    [InlineData("", SurveyKind.Csat, "How satisfied were you with your recent experience with us?")]
    [InlineData("Acme", SurveyKind.Nps, "How likely are you to recommend Acme to a friend or colleague?")]
    [InlineData("Acme", SurveyKind.Ces, "It was easy to handle my issue with Acme.")]
    public void Question_DefaultWording_ReadsWellWithOrWithoutACompanyName(string company, SurveyKind kind, string expected) =>
        Assert.Equal(expected, new SurveyMessages(new SurveyOptions(), company, Codec).Question(kind, topic: null));

    [Theory]
    [InlineData("", "Thank you for your feedback! It helps us get better.")]
    [InlineData("Acme", "Thank you for your feedback! It helps Acme get better.")]
    public void Thanks_DefaultWording_NeverSaysTheOurCompanyTeam(string company, string expected)
    {
        var now = DateTimeOffset.UnixEpoch;
        var invitation = new SurveyInvitation("i1", "r1", SurveyKind.Nps, "c1", ChatPlatform.Slack, "U1", null, default, now, now) { Score = 9 };

        var thanks = new SurveyMessages(new SurveyOptions(), company, Codec).Thanks(invitation).FallbackText;

        Assert.StartsWith(expected, thanks, StringComparison.Ordinal);
        Assert.DoesNotContain("our company", thanks, StringComparison.Ordinal);
    }

    [Fact]
    public void MetricsRefused_UnnamedCompany_SaysStaffWithoutAName() =>
        Assert.StartsWith("Sorry, I can only share metrics with staff. ", AccessReplies.MetricsRefused("").FallbackText, StringComparison.Ordinal);
}
