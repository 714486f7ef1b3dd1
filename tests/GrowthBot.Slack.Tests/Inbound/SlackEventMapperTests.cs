using GrowthBot.Core.Conversations;
using GrowthBot.Slack.Inbound;

namespace GrowthBot.Slack.Tests.Inbound;

public sealed class SlackEventMapperTests
{
    private const string BotUser = "U0BOT";
    private const string BotId = "B0GROWTH";
    private static readonly DateTimeOffset Now = new(2024, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Map_UrlVerification_EchoesTheChallenge()
    {
        var outcome = Assert.IsType<SlackEventOutcome.Challenge>(Map("url_verification.json"));
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", outcome.Value);
    }

    [Fact]
    public void Map_AppMention_StripsTheMentionAndAnswersInAThreadOnTheMessage()
    {
        var message = Assert.IsType<SlackEventOutcome.Message>(Map("app_mention.json")).Incoming;

        Assert.Equal(ChatPlatform.Slack, message.Platform);
        Assert.Equal("T0HOME:Ev0MENTION1", message.DeliveryId);
        Assert.Equal("C0GROWTH", message.ConversationId);
        Assert.Equal("1732615200.000100", message.ThreadId);
        Assert.Equal("what's our churn this month?", message.Text);
        Assert.Equal(new Requester(ChatPlatform.Slack, "U0STAFF", "T0HOME", false), message.From);
        Assert.Null(message.ReplyAddress);
    }

    [Fact]
    public void Map_DmWithAFileAttached_IsAMessageWithWhatWasTyped()
    {
        var message = Assert.IsType<SlackEventOutcome.Message>(Map("message_im_file_share.json")).Incoming;

        Assert.Equal("D0DIRECT", message.ConversationId);
        Assert.Equal("churn this month? screenshot attached", message.Text);
        Assert.Equal("T0HOME:Ev0DMFILE1", message.DeliveryId);
    }

    [Fact]
    public void Map_AppMentionInAThread_AnswersInThatThread()
    {
        var message = Assert.IsType<SlackEventOutcome.Message>(Map("app_mention_in_thread.json")).Incoming;
        Assert.Equal("1732615200.000100", message.ThreadId);
        Assert.Equal("and by segment?", message.Text);
    }

    [Fact]
    public void Map_DirectMessage_IsAnsweredInTheDmAndUnescaped()
    {
        var message = Assert.IsType<SlackEventOutcome.Message>(Map("message_im.json")).Incoming;
        Assert.Equal("D0DIRECT", message.ConversationId);
        Assert.Null(message.ThreadId);
        Assert.Equal("NPS last quarter vs the quarter before & by channel", message.Text);
    }

    [Fact]
    public void Map_SlackConnectUser_CarriesTheirOwnWorkspace()
    {
        var message = Assert.IsType<SlackEventOutcome.Message>(Map("slack_connect_mention.json")).Incoming;
        Assert.Equal("T0CUSTOMER", message.From.OrganisationId);
    }

    [Theory]
    [InlineData("message_changed.json")]
    [InlineData("bot_message_im.json")]
    [InlineData("channel_message.json")]
    public void Map_EditsBotsAndPlainChannelChatter_AreIgnored(string fixture) => Assert.IsType<SlackEventOutcome.Ignore>(Map(fixture));

    [Fact]
    public void Map_TheBotsOwnUserWithoutBotId_IsIgnored()
    {
        var json = Fixtures.Text("message_im.json").Replace("\"U0STAFF\"", "\"U0BOT\"", StringComparison.Ordinal);
        Assert.IsType<SlackEventOutcome.Ignore>(SlackEventMapper.Map(System.Text.Json.JsonDocument.Parse(json).RootElement, BotUser, BotId, Now));
    }

    [Theory]
    [InlineData("""{"type":"event_callback","team_id":"T0HOME","event":{"type":"app_mention"}}""")]
    [InlineData("""{"type":"event_callback","event_id":"Ev1","team_id":"T0HOME"}""")]
    [InlineData("""{"challenge":"x"}""")]
    [InlineData("""[1,2,3]""")]
    [InlineData("""{"type":"url_verification"}""")]
    public void Map_NotAnEventsPayload_IsInvalid(string json) =>
        Assert.IsType<SlackEventOutcome.Invalid>(SlackEventMapper.Map(System.Text.Json.JsonDocument.Parse(json).RootElement, BotUser, BotId, Now));

    [Theory]
    [InlineData("<@U0BOT> churn", "churn")]
    [InlineData("<@U0BOT|growthbot> churn", "churn")]
    [InlineData("what's <@U0BOT> churn", "what's   churn")]
    [InlineData("  <@U0BOT>   ", "")]
    public void StripMentions_RemovesTheBotsMention(string text, string expected) =>
        Assert.Equal(expected, SlackEventMapper.StripMentions(text, BotUser));

    private static SlackEventOutcome Map(string fixture) => SlackEventMapper.Map(Fixtures.Json(fixture), BotUser, BotId, Now);
}
