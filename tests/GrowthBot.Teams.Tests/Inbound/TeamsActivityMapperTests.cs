using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Inbound;

namespace GrowthBot.Teams.Tests.Inbound;

/// <summary>Teams activities in, GrowthBot records out: nothing Teams-shaped gets past the mapper.</summary>
public sealed class TeamsActivityMapperTests
{
    private const string Bot = "28:7d3e1c4b-2a19-4f8e-9b6d-5c4a3b2e1f00";
    private const string Tenant = "9f3c2b1a-4d5e-4f60-8a7b-1c2d3e4f5a6b";
    private const string Ana = "0a1b2c3d-1111-4aaa-8bbb-000000000a11";
    private const string AnaChat = "a:1Fq3Uh7h8p2sO6wR9lJxKkQ_AnaPersonalChat_w8Zz";
    private const string ServiceUrl = "https://smba.trafficmanager.net/emea/";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 1, TimeSpan.Zero);

    private static TeamsInboundOutcome Map(string fixture) => Map(TeamsActivity.Parse(Fixtures.Json(fixture)));

    private static TeamsInboundOutcome Map(TeamsActivity activity) =>
        TeamsActivityMapper.Map(activity, account => account.Id == activity.Recipient?.Id, Now);

    [Fact]
    public void PersonalMessage_IsAQuestionFromTheSendersEntraIdInTheirTenant()
    {
        var message = Assert.IsType<TeamsInboundOutcome.Message>(Map("message_personal.json"));

        var incoming = message.Incoming;
        Assert.Equal(ChatPlatform.Teams, incoming.Platform);
        Assert.Equal($"{AnaChat}|1764151200123", incoming.DeliveryId);
        Assert.Equal(AnaChat, incoming.ConversationId);
        Assert.Equal("1764151200123", incoming.ThreadId);
        Assert.Equal("what's our churn this month?", incoming.Text);
        Assert.Equal(ServiceUrl, incoming.ReplyAddress);
        Assert.Equal(new Requester(ChatPlatform.Teams, Ana, Tenant, IsGuest: false, "Ana Lima", Locale: "en-US"), incoming.From);
        Assert.Equal(Now, incoming.ReceivedAt);
        Assert.Equal(new KnownConversation(ChatPlatform.Teams, AnaChat, ConversationKind.Personal, Tenant, null, "Ana Lima", Ana, ServiceUrl, Now), message.Conversation);
    }

    [Fact]
    public void Message_CarriesTheClientsLocale_FromTheActivityElseItsClientInfo()
    {
        var german = Fixtures.Text("message_personal.json").Replace("\"en-US\"", "\"de-DE\"", StringComparison.Ordinal);
        var clientInfoOnly = System.Text.Json.Nodes.JsonNode.Parse(german)!.AsObject();
        clientInfoOnly.Remove("locale");
        var neither = System.Text.Json.Nodes.JsonNode.Parse(clientInfoOnly.ToJsonString())!.AsObject();
        neither.Remove("entities");

        Assert.Equal("de-DE", Incoming(german).From.Locale);
        Assert.Equal("de-DE", Incoming(clientInfoOnly.ToJsonString()).From.Locale);
        Assert.Null(Incoming(neither.ToJsonString()).From.Locale);
    }

    [Fact]
    public void CardSubmit_CarriesTheClientsLocale()
    {
        var press = Assert.IsType<TeamsInboundOutcome.Submit>(Map(TeamsActivity.Parse(Fixtures.Json("message_submit.json"))));

        Assert.Equal("en-US", press.Record.From.Locale);
        Assert.Equal("en-US", press.Record.Press!.From.Locale);
    }

    private static IncomingMessage Incoming(string json) =>
        Assert.IsType<TeamsInboundOutcome.Message>(Map(TeamsActivity.Parse(System.Text.Json.JsonDocument.Parse(json).RootElement.Clone()))).Incoming;

    [Fact]
    public void ChannelMention_StripsTheBot_WritesOtherMentionsTheSlackWay_AndRemembersTheChannelNotTheThread()
    {
        var message = Assert.IsType<TeamsInboundOutcome.Message>(Map("message_channel_mention.json"));

        // Teams names a mentioned person by their channel account id; the endpoint resolves it to their object id before mapping.
        Assert.Equal("survey nps <@29:1BoChenId_pP0q>", message.Incoming.Text);
        // The message belongs to the channel (so a subscription made in any thread is the channel's);
        // the reply still goes into the thread.
        Assert.Equal("19:4f5a2c0d8e7b4d1f9a6c3b2e1d0f9a8b@thread.tacv2", message.Incoming.ConversationId);
        Assert.Equal("19:4f5a2c0d8e7b4d1f9a6c3b2e1d0f9a8b@thread.tacv2;messageid=1764151500555|1764151500555", message.Incoming.ThreadId);
        Assert.Equal(("19:4f5a2c0d8e7b4d1f9a6c3b2e1d0f9a8b@thread.tacv2;messageid=1764151500555", "1764151500555"),
            TeamsThread.Decode(message.Incoming.ConversationId, message.Incoming.ThreadId));
        Assert.Equal("19:4f5a2c0d8e7b4d1f9a6c3b2e1d0f9a8b@thread.tacv2", message.Conversation.ConversationId);
        Assert.Equal(ConversationKind.Channel, message.Conversation.Kind);
        Assert.Equal("19:Yx3Gr0wThTeAmGeNeRaL@thread.tacv2", message.Conversation.TeamId);
        Assert.Null(message.Conversation.UserId);
    }

    [Fact]
    public void BotMentionedAlone_AsksForHelp()
    {
        var json = Fixtures.Text("message_channel_mention.json").Replace("<at>GrowthBot</at>&nbsp;survey nps <at>Bo Chen</at>\\n", "<at>GrowthBot</at>&nbsp;", StringComparison.Ordinal);

        var message = Assert.IsType<TeamsInboundOutcome.Message>(Map(TeamsActivity.Parse(System.Text.Json.JsonDocument.Parse(json).RootElement)));

        Assert.Equal("help", message.Incoming.Text);
    }

    [Fact]
    public void ActionSubmit_IsAPressWithTheTypedInputs_OnTheCardItCameFrom()
    {
        var submit = Assert.IsType<TeamsInboundOutcome.Submit>(Map("message_submit.json"));

        Assert.Equal("metric.explain", submit.Action.ActionId);
        Assert.Equal("churn|2026-11", submit.Action.Value);
        Assert.Equal(new Dictionary<string, string> { ["comment"] = "Onboarding was slow" }, submit.Action.Inputs);
        Assert.Equal("1:1kX2cardActivityId", submit.CardActivityId);
        Assert.Equal(Ana, submit.Action.From.UserId);
        Assert.Equal($"{AnaChat}|1764151620001", submit.Record.DeliveryId);
    }

    [Fact]
    public void AdaptiveCardActionInvoke_IsAPressFromTheExecuteData()
    {
        var execute = Assert.IsType<TeamsInboundOutcome.Execute>(Map("invoke_adaptive_card_action.json"));

        Assert.Equal("survey.score", execute.Action.ActionId);
        Assert.Equal("nps-2026-11|9", execute.Action.Value);
        Assert.Equal("Great support", execute.Action.Inputs!["reason"]);
        Assert.Equal("1:1kX2cardActivityId", execute.Action.ThreadId);
        Assert.Equal(Tenant, execute.Action.From.OrganisationId);
    }

    [Fact]
    public void OtherInvokes_AreUnsupported()
    {
        var json = Fixtures.Text("invoke_adaptive_card_action.json").Replace("\"adaptiveCard/action\"", "\"composeExtension/query\"", StringComparison.Ordinal);

        var outcome = Map(TeamsActivity.Parse(System.Text.Json.JsonDocument.Parse(json).RootElement));

        Assert.Equal("composeExtension/query", Assert.IsType<TeamsInboundOutcome.UnsupportedInvoke>(outcome).Name);
    }

    [Fact]
    public void BotAddedToTeam_RemembersTheGeneralChannelWithItsTeam_AndWelcomes()
    {
        var installed = Assert.IsType<TeamsInboundOutcome.Installed>(Map("conversation_update_bot_added_team.json"));

        Assert.True(installed.Welcome);
        Assert.Equal(
            new KnownConversation(ChatPlatform.Teams, "19:Yx3Gr0wThTeAmGeNeRaL@thread.tacv2", ConversationKind.Channel, Tenant,
                "19:Yx3Gr0wThTeAmGeNeRaL@thread.tacv2", "Growth › General", null, ServiceUrl, Now),
            installed.Conversation);
    }

    [Fact]
    public void SomeoneElseAddedToTheTeam_RefreshesTheConversationWithoutAWelcome()
    {
        var json = Fixtures.Text("conversation_update_bot_added_team.json").Replace($"\"id\": \"{Bot}\" }}", "\"id\": \"29:1NewColleague\" }", StringComparison.Ordinal);

        var installed = Assert.IsType<TeamsInboundOutcome.Installed>(Map(TeamsActivity.Parse(System.Text.Json.JsonDocument.Parse(json).RootElement)));

        Assert.False(installed.Welcome);
    }

    [Fact]
    public void BotRemovedFromTeam_ForgetsTheTeam()
    {
        var removed = Assert.IsType<TeamsInboundOutcome.Removed>(Map("conversation_update_bot_removed_team.json"));

        Assert.Equal("19:Yx3Gr0wThTeAmGeNeRaL@thread.tacv2", removed.ConversationId);
        Assert.Equal("19:Yx3Gr0wThTeAmGeNeRaL@thread.tacv2", removed.TeamId);
    }

    [Fact]
    public void PersonalInstall_RemembersTheChatWithTheUser_AndWelcomes()
    {
        var installed = Assert.IsType<TeamsInboundOutcome.Installed>(Map("installation_update_add_personal.json"));

        Assert.True(installed.Welcome);
        Assert.Equal(ConversationKind.Personal, installed.Conversation.Kind);
        Assert.Equal(Ana, installed.Conversation.UserId);
        Assert.Equal(AnaChat, installed.Conversation.ConversationId);
    }

    [Fact]
    public void PersonalInstall_AsAConversationUpdate_IsTheSameInstall()
    {
        var installed = Assert.IsType<TeamsInboundOutcome.Installed>(Map("conversation_update_bot_added_personal.json"));

        Assert.True(installed.Welcome);
        Assert.Equal(Assert.IsType<TeamsInboundOutcome.Installed>(Map("installation_update_add_personal.json")).Conversation, installed.Conversation);
    }

    [Fact]
    public void PersonalUninstall_ForgetsTheChat()
    {
        var removed = Assert.IsType<TeamsInboundOutcome.Removed>(Map("installation_update_remove_personal.json"));

        Assert.Equal(AnaChat, removed.ConversationId);
        Assert.Null(removed.TeamId);
    }

    [Theory]
    [InlineData("\"serviceUrl\": \"https://smba.trafficmanager.net/emea/\",", "serviceUrl")]
    [InlineData("\"id\": \"a:1Fq3Uh7h8p2sO6wR9lJxKkQ_AnaPersonalChat_w8Zz\"", "conversation id")]
    public void MissingRequiredFields_AreInvalid(string removed, string reason)
    {
        var json = Fixtures.Text("message_personal.json").Replace(removed, removed.Contains("serviceUrl", StringComparison.Ordinal) ? string.Empty : "\"x\": 1", StringComparison.Ordinal);

        var invalid = Assert.IsType<TeamsInboundOutcome.Invalid>(Map(TeamsActivity.Parse(System.Text.Json.JsonDocument.Parse(json).RootElement)));

        Assert.Contains(reason, invalid.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("typing")]
    [InlineData("messageReaction")]
    [InlineData("messageUpdate")]
    public void OtherActivities_AreIgnored(string type)
    {
        var json = Fixtures.Text("message_personal.json").Replace("\"type\": \"message\"", $"\"type\": \"{type}\"", StringComparison.Ordinal);

        Assert.IsType<TeamsInboundOutcome.Ignored>(Map(TeamsActivity.Parse(System.Text.Json.JsonDocument.Parse(json).RootElement)));
    }

    /// <summary>A team event as Teams sends it (conversationUpdate, no members added or removed, the event in channelData).</summary>
    private static TeamsActivity TeamEvent(string eventType)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(Fixtures.Text("conversation_update_bot_added_team.json"))!.AsObject();
        json.Remove("membersAdded");
        json["channelData"]!["eventType"] = eventType;
        return TeamsActivity.Parse(System.Text.Json.JsonDocument.Parse(json.ToJsonString()).RootElement);
    }

    [Theory]
    [InlineData("teamArchived")]
    [InlineData("teamUnarchived")]
    public void TeamArchivedOrUnarchived_IsNotAnInstall(string eventType)
    {
        Assert.IsType<TeamsInboundOutcome.Ignored>(Map(TeamEvent(eventType)));
    }

    [Fact]
    public void TeamHardDeleted_ForgetsTheTeam()
    {
        var removed = Assert.IsType<TeamsInboundOutcome.Removed>(Map(TeamEvent("teamHardDeleted")));

        Assert.Equal("19:Yx3Gr0wThTeAmGeNeRaL@thread.tacv2", removed.TeamId);
    }
}
