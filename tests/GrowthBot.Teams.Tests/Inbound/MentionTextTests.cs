using GrowthBot.Teams.Inbound;

namespace GrowthBot.Teams.Tests.Inbound;

public sealed class MentionTextTests
{
    private static readonly TeamsMention BotMention = new(new TeamsAccount("28:bot", "GrowthBot", null), "<at>GrowthBot</at>");
    private static readonly TeamsMention Ana = new(new TeamsAccount("29:1ana", "Ana Lima", "aad-ana"), "<at>Ana Lima</at>");
    private static readonly TeamsMention Bo = new(new TeamsAccount("29:1bo", "Bo", null), "<at>Bo</at>");

    private static string Normalise(string text, params TeamsMention[] mentions) =>
        MentionText.Normalise(text, mentions, account => account.Id == "28:bot", out _);

    [Theory]
    [InlineData("<at>GrowthBot</at> nps last quarter", "nps last quarter")]
    [InlineData("nps <at>GrowthBot</at>&nbsp;last quarter\n", "nps last quarter")]
    [InlineData("  what&#39;s   our churn?&nbsp; ", "what's our churn?")]
    [InlineData("revenue &amp; churn", "revenue & churn")]
    public void Normalise_StripsTheBotAndDecodesTeamsText(string text, string expected) => Assert.Equal(expected, Normalise(text, BotMention));

    [Fact]
    public void Normalise_OtherPeople_BecomeSlackStyleMentionsByEntraIdWhenKnown()
    {
        Assert.Equal("survey nps <@aad-ana> <@29:1bo>", Normalise("<at>GrowthBot</at> survey nps <at>Ana Lima</at> <at>Bo</at>", BotMention, Ana, Bo));
    }

    [Fact]
    public void Normalise_MentionWithoutAnEntity_IsDroppedNotReadAsWords()
    {
        Assert.Equal("help", Normalise("<at>Someone</at> help"));
    }

    [Fact]
    public void Normalise_SaysWhetherTheBotWasMentioned()
    {
        MentionText.Normalise("<at>GrowthBot</at> hi", [BotMention], account => account.Id == "28:bot", out var mentioned);
        MentionText.Normalise("hi <at>Ana Lima</at>", [Ana], account => account.Id == "28:bot", out var notMentioned);

        Assert.True(mentioned);
        Assert.False(notMentioned);
    }
}
