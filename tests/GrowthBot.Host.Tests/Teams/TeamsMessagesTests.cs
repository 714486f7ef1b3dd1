using System.Net;
using System.Text.Json;
using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Tests.Support;

namespace GrowthBot.Host.Tests.Teams;

/// <summary><c>/api/messages</c> end to end: Bot Framework tokens in, connector calls out to the loopback fake.</summary>
public sealed class TeamsMessagesTests : TeamsHostTest
{
    private const string AnaChat = "a:1Fq3Uh7h8p2sO6wR9lJxKkQ_AnaPersonalChat_w8Zz";

    [Fact]
    public async Task PersonalMessage_ValidToken_IsAcknowledgedAndAnsweredAsAReplyWithTheAppToken()
    {
        var response = await Host.PostAsync(Host.Activity("message_personal.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = Assert.Single(await Bot.WaitForKindAsync("reply"));
        Assert.Equal(AnaChat, reply.Conversation);
        Assert.Equal("1764151200123", reply.ActivityId);
        Assert.Equal("Bearer fake-app-token", reply.Authorization);
        Assert.Equal("message", reply.Json.GetProperty("type").GetString());
        Assert.Equal("You asked: what's our churn this month?", reply.Json.GetProperty("text").GetString());
        Assert.Equal("28:" + BotFrameworkTokens.AppId, reply.Json.GetProperty("from").GetProperty("id").GetString());
        Assert.Equal(1, Bot.TokensIssued);
    }

    public static TheoryData<string> RefusedTokens => new() { "wrong audience", "wrong issuer", "expired", "bad signature", "unknown key", "alg none", "serviceUrl mismatch", "no token" };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Message_BadToken_Is401AndNeverAnswered(string flaw)
    {
        var now = Host.Time.GetUtcNow();
        using var stranger = new TestSigningKey("not-published");
        var token = flaw switch
        {
            "wrong audience" => BotFrameworkTokens.Create(Bot.Key, now, Bot.ServiceUrl, audience: "11111111-2222-3333-4444-555555555555"),
            "wrong issuer" => BotFrameworkTokens.Create(Bot.Key, now, Bot.ServiceUrl, issuer: "https://sts.windows.net/attacker/"),
            "expired" => BotFrameworkTokens.Create(Bot.Key, now.AddHours(-2), Bot.ServiceUrl),
            "bad signature" => BotFrameworkTokens.Tampered(BotFrameworkTokens.Create(Bot.Key, now, Bot.ServiceUrl)),
            "unknown key" => BotFrameworkTokens.Create(stranger, now, Bot.ServiceUrl),
            "alg none" => BotFrameworkTokens.Unsigned(now, Bot.ServiceUrl),
            "serviceUrl mismatch" => BotFrameworkTokens.Create(Bot.Key, now, "https://smba.trafficmanager.net/amer/"),
            _ => null,
        };

        var refused = await Host.PostAsync(Host.Activity("message_personal.json"), token is null ? null : "Bearer " + token);
        var later = await Host.PostAsync(Host.Activity("message_channel_mention.json"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain(token ?? "no token at all", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(Host.Logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("Refused a Teams request to /api/messages", StringComparison.Ordinal));
        if (token is not null)
        {
            var signature = token.Split('.')[^1];
            Assert.DoesNotContain(Host.Logs.Lines, line => line.Contains(token, StringComparison.Ordinal) || (signature.Length > 0 && line.Contains(signature, StringComparison.Ordinal)));
        }
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Single(await Bot.WaitForKindAsync("reply"));
        Assert.Single(Handler.Received);
        Assert.DoesNotContain(Handler.Received, message => message.Text.Contains("churn", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Message_ForAChannelTheSigningKeyIsNotEndorsedFor_Is401()
    {
        var json = Host.Activity("message_personal.json").Replace("\"channelId\": \"msteams\"", "\"channelId\": \"webchat\"", StringComparison.Ordinal);

        var response = await Host.PostAsync(json);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(Host.Logs.Lines, line => line.Contains("not endorsed for channel webchat", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Message_SignedWithARolledOverKey_IsAcceptedAfterTheKeysAreRefreshed()
    {
        await Host.PostAsync(Host.Activity("message_channel_mention.json")); // the keys are now cached
        using var rolled = new TestSigningKey("test-key-2");
        Bot.Publish(rolled);

        var response = await Host.PostAsync(Host.Activity("message_personal.json"), "Bearer " + BotFrameworkTokens.Create(rolled, Host.Time.GetUtcNow(), Bot.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await Bot.WaitForKindAsync("reply", 2)).Count);
    }

    [Fact]
    public async Task DuplicateActivity_IsAcknowledgedButAnsweredOnce()
    {
        var json = Host.Activity("message_personal.json");

        var responses = await Task.WhenAll(Host.PostAsync(json), Host.PostAsync(json), Host.PostAsync(json));
        await Host.PostAsync(Host.Activity("message_channel_mention.json")); // once this is answered, a duplicate would have been too

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        var replies = await Bot.WaitForKindAsync("reply", 2);
        Assert.Equal(2, replies.Count);
        Assert.Single(replies, reply => reply.Conversation == AnaChat);
        Assert.Equal(2, Handler.Received.Count);
    }

    [Fact]
    public async Task ChannelMention_IsAnsweredInItsThread_WithMentionsNormalised()
    {
        // Teams' mention names Bo by his channel account id only; the member lookup gives his Entra object id.
        Bot.AddMember("0a1b2c3d-2222-4aaa-8bbb-000000000b22", "29:1BoChenId_pP0q", BotFrameworkTokens.HomeTenant);

        await Host.PostAsync(Host.Activity("message_channel_mention.json"));

        var reply = Assert.Single(await Bot.WaitForKindAsync("reply"));
        Assert.Equal("19:4f5a2c0d8e7b4d1f9a6c3b2e1d0f9a8b@thread.tacv2;messageid=1764151500555", reply.Conversation);
        Assert.Equal("1764151500555", reply.ActivityId);
        Assert.Equal("survey nps <@0a1b2c3d-2222-4aaa-8bbb-000000000b22>", Assert.Single(Handler.Received).Text);
    }

    [Fact]
    public async Task CardSubmit_IsRecordedWithItsInputs_AndAnsweredBesideTheCard()
    {
        var response = await Host.PostAsync(Host.Activity("message_submit.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = Assert.Single(await Bot.WaitForKindAsync("reply"));
        Assert.Equal("1:1kX2cardActivityId", reply.ActivityId);
        Assert.Equal("You pressed metric.explain: churn|2026-11", reply.Json.GetProperty("text").GetString());
        var pressed = Assert.Single(Handler.Pressed);
        Assert.Equal("metric.explain", pressed.ActionId);
        Assert.Equal("Onboarding was slow", pressed.Inputs!["comment"]);
        Assert.Empty(Handler.Received);
    }

    [Fact]
    public async Task CardSubmit_WhoseAnswerReplacesTheCard_UpdatesTheCardsActivity()
    {
        var json = Host.Activity("message_submit.json").Replace("\"metric.explain\"", "\"survey.score\"", StringComparison.Ordinal);

        await Host.PostAsync(json);

        var update = Assert.Single(await Bot.WaitForKindAsync("update"));
        Assert.Equal("1:1kX2cardActivityId", update.ActivityId);
        Assert.Equal("application/vnd.microsoft.card.adaptive", update.Json.GetProperty("attachments")[0].GetProperty("contentType").GetString());
    }

    [Fact]
    public async Task ExecuteInvoke_ThatReplacesTheCard_IsAnsweredInTheResponseWithTheNewCard()
    {
        var response = await Host.PostAsync(Host.Activity("invoke_adaptive_card_action.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(200, body.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/vnd.microsoft.card.adaptive", body.GetProperty("type").GetString());
        Assert.Equal("AdaptiveCard", body.GetProperty("value").GetProperty("type").GetString());
        Assert.Contains("You gave nps-2026-11|9.", body.GetProperty("value").GetRawText(), StringComparison.Ordinal);
        var pressed = Assert.Single(Handler.Pressed);
        Assert.Equal("Great support", pressed.Inputs!["reason"]);
    }

    [Fact]
    public async Task ExecuteInvoke_WithAnAnswerBesideTheCard_SaysSoAndPostsIt()
    {
        var json = Host.Activity("invoke_adaptive_card_action.json").Replace("\"survey.score\"", "\"metric.explain\"", StringComparison.Ordinal);

        var response = await Host.PostAsync(json);

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("application/vnd.microsoft.activity.message", body.GetProperty("type").GetString());
        var reply = Assert.Single(await Bot.WaitForKindAsync("reply"));
        Assert.Equal("You pressed metric.explain: nps-2026-11|9", reply.Json.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("wrong audience", "wrong audience")]
    [InlineData("expired", "expired")]
    [InlineData("serviceUrl mismatch", "does not authorise the activity's serviceUrl")]
    public async Task Message_BadToken_LogsTheReason(string flaw, string reason)
    {
        var now = Host.Time.GetUtcNow();
        var token = flaw switch
        {
            "wrong audience" => BotFrameworkTokens.Create(Bot.Key, now, Bot.ServiceUrl, audience: "11111111-2222-3333-4444-555555555555"),
            "expired" => BotFrameworkTokens.Create(Bot.Key, now.AddHours(-2), Bot.ServiceUrl),
            _ => BotFrameworkTokens.Create(Bot.Key, now, "https://smba.trafficmanager.net/amer/"),
        };

        await Host.PostAsync(Host.Activity("message_personal.json"), "Bearer " + token);

        Assert.Contains(Host.Logs.Lines, line => line.Contains("Refused a Teams request", StringComparison.Ordinal) && line.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteInvoke_OverTheBudget_SaysWorkingOnIt_ThenUpdatesTheCardWhenTheAnswerIsReady()
    {
        var json = Host.Activity("invoke_adaptive_card_action.json").Replace("\"survey.score\"", "\"slow.score\"", StringComparison.Ordinal);

        var responding = Host.PostAsync(json);
        // The answer is not ready: let the 10-second budget run out on the host's clock.
        for (var step = 0; !responding.IsCompleted && step < 500; step++)
        {
            Host.Time.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(responding, Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System));
        }
        Assert.True(responding.IsCompleted, "the invoke was not answered when its budget ran out");
        var body = JsonDocument.Parse(await (await responding).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("application/vnd.microsoft.activity.message", body.GetProperty("type").GetString());
        Assert.Contains("Working on it", body.GetProperty("value").GetString(), StringComparison.Ordinal);

        Handler.SlowGate.SetResult();

        var update = Assert.Single(await Bot.WaitForKindAsync("update"));
        Assert.Equal("1:1kX2cardActivityId", update.ActivityId);
        Assert.Contains("Thanks, finally!", update.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteInvoke_Duplicate_IsNotAnsweredTwice()
    {
        var json = Host.Activity("invoke_adaptive_card_action.json");

        await Host.PostAsync(json);
        var again = await Host.PostAsync(json);

        Assert.Equal("application/vnd.microsoft.activity.message", JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString());
        Assert.Single(Handler.Pressed);
    }

    [Fact]
    public async Task Install_StoresTheConversationReference_WelcomesIt_AndALaterProactiveSendReachesIt()
    {
        var response = await Host.PostAsync(Host.Activity("conversation_update_bot_added_team.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Host.Service<IConversationDirectory>().Find(ChatPlatform.Teams, "19:Yx3Gr0wThTeAmGeNeRaL@thread.tacv2");
        Assert.NotNull(stored);
        Assert.Equal(Bot.ServiceUrl, stored.Route);
        Assert.Equal(ConversationKind.Channel, stored.Kind);
        Assert.Equal(BotFrameworkTokens.HomeTenant, stored.OrganisationId);
        Assert.Equal("19:Yx3Gr0wThTeAmGeNeRaL@thread.tacv2", stored.TeamId);
        var welcome = Assert.Single(await Bot.WaitForKindAsync("send"));
        Assert.Contains("help", welcome.Json.GetProperty("text").GetString(), StringComparison.Ordinal);

        var sender = Host.Service<IEnumerable<IChatSender>>().Single(candidate => candidate.Platform == ChatPlatform.Teams);
        var posted = await sender.SendAsync(new ChatAddress(ChatPlatform.Teams, stored.ConversationId),
            new ChatMessage("Weekly digest", [new HeaderBlock("Weekly digest"), new TextBlock("NPS 42")]), CancellationToken.None);

        var digest = (await Bot.WaitForKindAsync("send", 2))[1];
        Assert.Equal("19:Yx3Gr0wThTeAmGeNeRaL@thread.tacv2", digest.Conversation);
        Assert.Equal("Bearer fake-app-token", digest.Authorization);
        Assert.Equal("application/vnd.microsoft.card.adaptive", digest.Json.GetProperty("attachments")[0].GetProperty("contentType").GetString());
        Assert.StartsWith("1:bot-activity-", posted.MessageId, StringComparison.Ordinal);

        await sender.UpdateAsync(posted, ChatMessage.Plain("Weekly digest (corrected)"), CancellationToken.None);
        var update = Assert.Single(await Bot.WaitForKindAsync("update"));
        Assert.Equal(posted.MessageId, update.ActivityId);
    }

    [Fact]
    public async Task BotRemovedFromTheTeam_ForgetsItsChannels_AndProactiveSendsSaySo()
    {
        await Host.PostAsync(Host.Activity("conversation_update_bot_added_team.json"));
        await Host.PostAsync(Host.Activity("message_channel_mention.json"));
        await Host.PostAsync(Host.Activity("conversation_update_bot_removed_team.json"));

        var directory = Host.Service<IConversationDirectory>();
        Assert.DoesNotContain(directory.All(ChatPlatform.Teams), conversation => conversation.TeamId == "19:Yx3Gr0wThTeAmGeNeRaL@thread.tacv2");
        var sender = Host.Service<IEnumerable<IChatSender>>().Single(candidate => candidate.Platform == ChatPlatform.Teams);
        var failure = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            sender.SendAsync(new ChatAddress(ChatPlatform.Teams, "19:Yx3Gr0wThTeAmGeNeRaL@thread.tacv2"), ChatMessage.Plain("digest"), CancellationToken.None));
        Assert.Equal(ChatDeliveryFailure.ConversationUnavailable, failure.Failure);
    }

    [Fact]
    public async Task PersonalInstall_AnnouncedTwiceByTeams_IsWelcomedOnce_AndAgainAfterAReinstall()
    {
        await Host.PostAsync(Host.Activity("installation_update_add_personal.json"));
        await Host.PostAsync(Host.Activity("conversation_update_bot_added_personal.json"));
        await Host.PostAsync(Host.Activity("message_personal.json")); // answered after any second welcome would have been sent

        await Bot.WaitForKindAsync("reply");
        Assert.Single(Bot.Calls, call => call.Kind == "send");

        await Host.PostAsync(Host.Activity("installation_update_remove_personal.json"));
        await Host.PostAsync(Host.Activity("installation_update_add_personal.json").Replace("f:1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "f:reinstall", StringComparison.Ordinal));

        Assert.Equal(2, (await Bot.WaitForKindAsync("send", 2)).Count);
    }

    [Fact]
    public async Task PersonalInstall_ThenUninstall_RemembersThenForgetsTheChat()
    {
        await Host.PostAsync(Host.Activity("installation_update_add_personal.json"));
        var directory = Host.Service<IConversationDirectory>();
        Assert.Equal(AnaChat, directory.FindPersonal(ChatPlatform.Teams, "0a1b2c3d-1111-4aaa-8bbb-000000000a11")?.ConversationId);

        await Host.PostAsync(Host.Activity("installation_update_remove_personal.json"));

        Assert.Null(directory.Find(ChatPlatform.Teams, AnaChat));
    }

    [Fact]
    public async Task OpenDirect_UserWithoutAChat_CreatesOneInTheirTenant_AndRemembersIt()
    {
        await Host.PostAsync(Host.Activity("conversation_update_bot_added_team.json"));
        var sender = Host.Service<IEnumerable<IChatSender>>().Single(candidate => candidate.Platform == ChatPlatform.Teams);

        var address = await sender.OpenDirectAsync("0a1b2c3d-3333-4aaa-8bbb-000000000c33", null, CancellationToken.None);
        var again = await sender.OpenDirectAsync("0a1b2c3d-3333-4aaa-8bbb-000000000c33", null, CancellationToken.None);
        await sender.SendAsync(address, ChatMessage.Plain("How likely are you to recommend us?"), CancellationToken.None);

        var create = Assert.Single(await Bot.WaitForKindAsync("create"));
        Assert.Equal(BotFrameworkTokens.HomeTenant, create.Json.GetProperty("tenantId").GetString());
        Assert.Equal("0a1b2c3d-3333-4aaa-8bbb-000000000c33", create.Json.GetProperty("members")[0].GetProperty("id").GetString());
        Assert.Equal(address, again);
        Assert.Contains(await Bot.WaitForKindAsync("send", 2), call => call.Conversation == address.ConversationId);
    }

    [Fact]
    public async Task OpenDirect_MultiTenantBot_UnknownUser_IsNotCreatedInTheTenantThatSpokeLast()
    {
        const string OtherTenant = "5e6f7a8b-0000-4000-8000-00000000f00d";
        await Host.PostAsync(Host.Activity("conversation_update_bot_added_team.json"));
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        await Host.PostAsync(Host.Activity("conversation_update_bot_added_team.json")
            .Replace(BotFrameworkTokens.HomeTenant, OtherTenant, StringComparison.Ordinal)
            .Replace("19:Yx3Gr0wThTeAmGeNeRaL@thread.tacv2", "19:OtherCompanyTeam@thread.tacv2", StringComparison.Ordinal)
            .Replace("f:9a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "f:other-install", StringComparison.Ordinal));
        var sender = Host.Service<IEnumerable<IChatSender>>().Single(candidate => candidate.Platform == ChatPlatform.Teams);

        var unknown = await Assert.ThrowsAsync<ChatDeliveryException>(() => sender.OpenDirectAsync("0a1b2c3d-3333-4aaa-8bbb-000000000c33", null, CancellationToken.None));

        Assert.Equal(ChatDeliveryFailure.UserUnavailable, unknown.Failure);
        Assert.DoesNotContain(Bot.Calls, call => call.Kind == "create");
    }

    [Fact]
    public async Task OpenDirect_MentionedPerson_IsCreatedWithTheirAccountIdInTheTenantTheLookupGave()
    {
        Bot.AddMember("0a1b2c3d-2222-4aaa-8bbb-000000000b22", "29:1BoChenId_pP0q", BotFrameworkTokens.HomeTenant);
        await Host.PostAsync(Host.Activity("message_channel_mention.json")); // "survey nps @Bo Chen": Bo is looked up
        await Bot.WaitForKindAsync("reply");
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        await Host.PostAsync(Host.Activity("conversation_update_bot_added_team.json")
            .Replace(BotFrameworkTokens.HomeTenant, "5e6f7a8b-0000-4000-8000-00000000f00d", StringComparison.Ordinal)
            .Replace("19:Yx3Gr0wThTeAmGeNeRaL@thread.tacv2", "19:OtherCompanyTeam@thread.tacv2", StringComparison.Ordinal));
        var sender = Host.Service<IEnumerable<IChatSender>>().Single(candidate => candidate.Platform == ChatPlatform.Teams);

        await sender.OpenDirectAsync("0a1b2c3d-2222-4aaa-8bbb-000000000b22", null, CancellationToken.None);

        var create = Assert.Single(await Bot.WaitForKindAsync("create"));
        Assert.Equal(BotFrameworkTokens.HomeTenant, create.Json.GetProperty("tenantId").GetString());
        Assert.Equal("29:1BoChenId_pP0q", create.Json.GetProperty("members")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task MalformedJson_Is400_OversizedBody_Is413_UnknownInvoke_Is501()
    {
        var malformed = await Host.PostAsync("{ not json");
        var oversized = await Host.PostAsync("{\"text\":\"" + new string('x', 600 * 1024) + "\"}");
        var unknown = await Host.PostAsync(Host.Activity("invoke_adaptive_card_action.json").Replace("\"adaptiveCard/action\"", "\"composeExtension/query\"", StringComparison.Ordinal));
        var noServiceUrl = await Host.PostAsync(Host.Activity("message_personal.json").Replace($"\"serviceUrl\": \"{Bot.ServiceUrl}\",", string.Empty, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        Assert.Equal(HttpStatusCode.NotImplemented, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noServiceUrl.StatusCode); // the token names a service URL the activity lacks
    }
}
