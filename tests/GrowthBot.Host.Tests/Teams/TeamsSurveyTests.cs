using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Surveys;
using GrowthBot.Teams.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.Teams;

/// <summary>
/// A survey end to end on Teams, through the real host and the loopback Bot Framework: staff start
/// it with a mention in a channel, the bot opens a 1:1 chat with the customer and posts the card,
/// the customer presses a score (Action.Execute), writes a reason, and the NPS moves.
/// </summary>
public sealed class TeamsSurveyTests : IAsyncLifetime
{
    private const string StaffAad = "0a1b2c3d-5555-4aaa-8bbb-000000000e55";
    private const string StaffAccount = "29:1SamStaffChannelId_z9";
    private const string AnaAad = "0a1b2c3d-1111-4aaa-8bbb-000000000a11";
    private const string AnaAccount = "29:1AnaChannelId_kq8Zc0v";
    private const string Channel = "19:4f5a2c0d8e7b4d1f9a6c3b2e1d0f9a8b@thread.tacv2";

    private readonly TempStore _store = new();
    private FakeBotFramework _bot = null!;
    private TeamsHostFactory _host = null!;
    private int _activities;

    public async Task InitializeAsync()
    {
        _bot = await FakeBotFramework.StartAsync();
        _bot.AddMember(StaffAad, StaffAccount, BotFrameworkTokens.HomeTenant);
        _bot.AddMember(AnaAad, AnaAccount, BotFrameworkTokens.HomeTenant);
        _host = new TeamsHostFactory(_bot, _store.DbPath, handler: null);
        _host.CreateClient().Dispose();
        Assert.Equal(HttpStatusCode.OK, (await _host.PostAsync(_host.Activity("conversation_update_bot_added_team.json"))).StatusCode);
        await _bot.WaitForKindAsync("send"); // the welcome
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _bot.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task Survey_InviteScoreCommentThanks_StoresTheResponseAndMovesNps()
    {
        var period = new MetricQuery(MetricId.Nps, new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        var engine = _host.Services.GetRequiredService<IMetricEngine>();
        Assert.Null(engine.Answer(period).Result.Value);

        Assert.Contains($"Linked {AnaAad} to customer C-42", await CommandAsync("survey link <at>Ana Lima</at> C-42"), StringComparison.Ordinal);
        Assert.Contains("Sending the NPS survey to 1 person", await CommandAsync("survey nps <at>Ana Lima</at>"), StringComparison.Ordinal);

        var create = Assert.Single(await _bot.WaitForKindAsync("create"));
        Assert.Equal(AnaAccount, create.Json.GetProperty("members")[0].GetProperty("id").GetString()); // the account id the mention lookup gave
        Assert.Equal(BotFrameworkTokens.HomeTenant, create.Json.GetProperty("tenantId").GetString());
        var posted = Assert.Single(await _bot.WaitForAsync(call => call.Kind == "send" && call.Conversation!.StartsWith("a:1createdPersonalChat", StringComparison.Ordinal)));
        var invitation = Card(posted.Json);
        Assert.Contains($"How likely are you to recommend {TeamsHostFactory.CompanyName} to a friend or colleague?", Texts(invitation), StringComparison.Ordinal);
        var chat = posted.Conversation!;
        const string cardId = "1:invitationCard";

        var press = await InvokeAsync(Button(invitation, "9"), AnaAad, AnaAccount, chat, cardId);
        Assert.Equal(HttpStatusCode.OK, press.StatusCode);
        var followUp = JsonNode.Parse(await press.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)followUp["type"]);
        var followUpCard = followUp["value"]!.AsObject();
        Assert.Contains("What's the main reason for your score?", Texts(followUpCard), StringComparison.Ordinal);
        var input = Assert.Single(Elements(followUpCard), element => (string?)element["type"] == "Input.Text");
        Assert.Equal("comment", (string?)input["id"]);
        // Answered means committed: the response is in the store and the engine.
        // Everyone else (another member, Ana's phone) sees the card's activity updated: no score buttons left to press.
        var update = Assert.Single(await _bot.WaitForAsync(call => call.Kind == "update" && call.ActivityId == cardId));
        var secondUserSees = Card(_bot.Shown(cardId)!.Value);
        Assert.Contains("What's the main reason for your score?", Texts(secondUserSees), StringComparison.Ordinal);
        Assert.DoesNotContain(Elements(secondUserSees).Where(element => (string?)element["type"] == "ActionSet").SelectMany(set => set["actions"]!.AsArray()),
            action => (string?)action!["title"] == "9");
        Assert.Equal(chat, update.Conversation);
        var stored = _host.Services.GetRequiredService<ISurveyStore>();
        var answered = Assert.Single(stored.InvitationsOfRun(Assert.Single(stored.Runs()).Id));
        Assert.Equal(9, answered.Score);
        Assert.Equal(100m, engine.Answer(period).Result.Value);

        var send = Button(followUpCard, "Send");
        send["comment"] = "Setup took five minutes"; // Teams merges the card's inputs into the pressed button's data
        var comment = await InvokeAsync(send, AnaAad, AnaAccount, chat, cardId);
        Assert.Equal(HttpStatusCode.OK, comment.StatusCode);
        var thanks = JsonNode.Parse(await comment.Content.ReadAsStringAsync())!["value"]!.AsObject();
        Assert.Contains("Thank you for your feedback", Texts(thanks), StringComparison.Ordinal);
        Assert.DoesNotContain(Elements(thanks), element => (string?)element["type"] is "ActionSet" or "Input.Text");

        var said = Assert.Single(_host.Services.GetRequiredService<ISurveyComments>().Recent(_host.Time.GetUtcNow().AddDays(-1), _host.Time.GetUtcNow().AddSeconds(1)));
        Assert.Equal(("Setup took five minutes", 9, "C-42"), (said.Comment, said.Score, said.CustomerId));
        var nps = engine.Answer(period).Result;
        Assert.Equal((100m, 1L), (nps.Value, nps.SampleSize));
        Assert.Contains("sent 1, answered 1 (100%), commented 1", await CommandAsync("survey status"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Survey_ForgedValueOrSomeoneElsesPress_IsRefusedAndChangesNothing()
    {
        await CommandAsync("survey link <at>Ana Lima</at> C-42");
        await CommandAsync("survey nps <at>Ana Lima</at>");
        var posted = Assert.Single(await _bot.WaitForAsync(call => call.Kind == "send" && call.Conversation!.StartsWith("a:1createdPersonalChat", StringComparison.Ordinal)));
        var nine = Button(Card(posted.Json), "9");

        var someoneElse = await InvokeAsync(nine.DeepClone().AsObject(), StaffAad, StaffAccount, posted.Conversation!, "1:card");
        var forgedData = nine.DeepClone().AsObject();
        forgedData["value"] = ((string)forgedData["value"]!).Replace("|9|", "|10|", StringComparison.Ordinal);
        var forged = await InvokeAsync(forgedData, AnaAad, AnaAccount, posted.Conversation!, "1:card");

        // Neither press replaces the card: the invoke says so and the refusal is posted beside it.
        Assert.Equal("Done — my answer is below.", await Note(someoneElse));
        Assert.Equal("Done — my answer is below.", await Note(forged));
        var replies = (await _bot.WaitForAsync(call => call.Kind == "reply" && call.Conversation == posted.Conversation, 2)).Select(call => call.Json.GetProperty("text").GetString()!).ToList();
        Assert.Contains(replies, reply => reply.Contains("sent to someone else", StringComparison.Ordinal));
        Assert.Contains(replies, reply => reply.Contains("couldn't verify", StringComparison.Ordinal));
        Assert.Equal(0, _host.Services.GetRequiredService<IMetricEngine>().Statistics.Responses);
        var stored = _host.Services.GetRequiredService<ISurveyStore>();
        Assert.Null(Assert.Single(stored.InvitationsOfRun(Assert.Single(stored.Runs()).Id)).Score);
    }

    /// <summary>The note of an invoke answered without replacing the card.</summary>
    private static async Task<string> Note(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.activity.message", (string?)body["type"]);
        return (string)body["value"]!;
    }

    /// <summary>Staff write in the channel, mentioning the bot and people as Teams does; returns the bot's reply in the thread.</summary>
    private async Task<string> CommandAsync(string command)
    {
        var replies = _bot.Calls.Count(call => call.Kind == "reply");
        var id = (1764151600000 + Interlocked.Increment(ref _activities)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var activity = JsonNode.Parse(_host.Activity("message_channel_mention.json"))!.AsObject();
        activity["id"] = id;
        activity["text"] = "<at>GrowthBot</at>&nbsp;" + command;
        activity["from"] = new JsonObject { ["id"] = StaffAccount, ["name"] = "Sam Staff", ["aadObjectId"] = StaffAad };
        activity["conversation"]!["id"] = $"{Channel};messageid={id}";
        activity["entities"] = new JsonArray
        {
            new JsonObject { ["type"] = "mention", ["text"] = "<at>GrowthBot</at>", ["mentioned"] = new JsonObject { ["id"] = "28:" + BotFrameworkTokens.AppId, ["name"] = "GrowthBot" } },
            new JsonObject { ["type"] = "mention", ["text"] = "<at>Ana Lima</at>", ["mentioned"] = new JsonObject { ["id"] = AnaAccount, ["name"] = "Ana Lima" } }, // as Teams sends it: no object id
        };

        var response = await _host.PostAsync(activity.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = (await _bot.WaitForAsync(call => call.Kind == "reply", replies + 1))[replies];
        return reply.Json.TryGetProperty("text", out var text) ? text.GetString()! : Texts(Card(reply.Json));
    }

    /// <summary>An Action.Execute press as Teams sends it: invoke <c>adaptiveCard/action</c> with the button's data (and the card's inputs).</summary>
    private Task<HttpResponseMessage> InvokeAsync(JsonObject data, string aad, string account, string chat, string cardId)
    {
        var activity = JsonNode.Parse(_host.Activity("invoke_adaptive_card_action.json"))!.AsObject();
        activity["id"] = "f:press-" + Interlocked.Increment(ref _activities);
        activity["from"] = new JsonObject { ["id"] = account, ["name"] = "Someone", ["aadObjectId"] = aad };
        activity["conversation"]!["id"] = chat;
        activity["replyToId"] = cardId;
        activity["channelData"]!["legacy"]!["replyToId"] = cardId;
        activity["value"]!["action"]!["verb"] = (string?)data["actionId"];
        activity["value"]!["action"]!["data"] = data;
        return _host.PostAsync(activity.ToJsonString());
    }

    private static JsonObject Card(JsonElement activity) =>
        JsonNode.Parse(activity.GetProperty("attachments")[0].GetProperty("content").GetRawText())!.AsObject();

    /// <summary>Every text in a card, decoded, one per line.</summary>
    private static string Texts(JsonNode? node) => node switch
    {
        JsonObject obj => string.Join("\n", obj.Select(pair => pair.Key == "text" && pair.Value is JsonValue value ? (string?)value ?? string.Empty : Texts(pair.Value))),
        JsonArray array => string.Join("\n", array.Select(Texts)),
        _ => string.Empty,
    };

    private static IEnumerable<JsonObject> Elements(JsonObject card) => card["body"]!.AsArray().Select(element => element!.AsObject());

    /// <summary>The data of the button titled <paramref name="title"/> in a card.</summary>
    private static JsonObject Button(JsonObject card, string title) =>
        Elements(card).Where(element => (string?)element["type"] == "ActionSet")
            .SelectMany(set => set["actions"]!.AsArray())
            .Single(action => (string?)action!["title"] == title)!["data"]!.DeepClone().AsObject();
}
