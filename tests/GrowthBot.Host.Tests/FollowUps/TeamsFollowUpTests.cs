using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthBot.Core.FollowUps;
using GrowthBot.Host.Tests.Teams;
using GrowthBot.Teams.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.FollowUps;

/// <summary>
/// The closed loop end to end on Teams, through the real host and the loopback Bot Framework: a
/// dissatisfied CSAT answer (with a comment full of card markup) is posted as a card to the team's
/// channel, claimed and resolved with Action.Execute (the outcome typed into an Input.Text), and the
/// next week's digest counts it.
/// </summary>
public sealed class TeamsFollowUpTests : IAsyncLifetime
{
    private const string StaffAad = "0a1b2c3d-5555-4aaa-8bbb-000000000e55";
    private const string StaffAccount = "29:1SamStaffChannelId_z9";
    private const string BoAad = "0a1b2c3d-6666-4aaa-8bbb-000000000b06";
    private const string BoAccount = "29:1BoChannelId_x7";
    private const string AnaAad = "0a1b2c3d-1111-4aaa-8bbb-000000000a11";
    private const string AnaAccount = "29:1AnaChannelId_kq8Zc0v";
    private const string Channel = "19:Yx3Gr0wThTeAmGeNeRaL@thread.tacv2";
    private const string Hostile = "<at>Everyone</at> **now** [click](https://evil.example) &#91;x&#93;";

    private readonly TempStore _store = new();
    private FakeBotFramework _bot = null!;
    private TeamsHostFactory _host = null!;
    private int _activities;

    public async Task InitializeAsync()
    {
        _bot = await FakeBotFramework.StartAsync();
        _bot.AddMember(StaffAad, StaffAccount, BotFrameworkTokens.HomeTenant);
        _bot.AddMember(BoAad, BoAccount, BotFrameworkTokens.HomeTenant);
        _bot.AddMember(AnaAad, AnaAccount, BotFrameworkTokens.HomeTenant);
        _host = new TeamsHostFactory(_bot, _store.DbPath, handler: null, settings: new Dictionary<string, string> { ["FollowUps:Csat"] = $"teams:{Channel}" });
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
    public async Task ClosedLoop_DissatisfiedPostClaimResolveDigest()
    {
        await CommandAsync("survey link <at>Ana Lima</at> C-42");
        await CommandAsync("survey csat <at>Ana Lima</at>");
        var invitation = Assert.Single(await _bot.WaitForAsync(call => call.Kind == "send" && call.Conversation!.StartsWith("a:1createdPersonalChat", StringComparison.Ordinal)));
        var chat = invitation.Conversation!;

        // Ana answers 1 of 5 and explains, with text a card would render as markup.
        var scored = await InvokeAsync(Button(Card(invitation.Json), "1"), AnaAad, AnaAccount, chat, "1:invitationCard");
        var send = Button(JsonNode.Parse(await scored.Content.ReadAsStringAsync())!["value"]!.AsObject(), "Send");
        send["comment"] = Hostile;
        // The case is posted before the comment arrives (the comment must redraw it, not ride along in the first post).
        var posted = Assert.Single(await _bot.WaitForAsync(call => call.Kind == "send" && call.Conversation == Channel && call.Body.Contains("Dissatisfied", StringComparison.Ordinal)));
        await InvokeAsync(send, AnaAad, AnaAccount, chat, "1:invitationCard");
        Assert.Contains("Dissatisfied customer: CSAT 1/5 from C-42", Texts(Card(posted.Json)), StringComparison.Ordinal);
        var store = _host.Services.GetRequiredService<IFollowUpStore>();
        var followUp = Assert.Single(store.Open());
        var cardId = await Until(() => store.Find(followUp.Id)!.MessageId);
        // The comment redraws the post in place, escaped for the card's markdown.
        await _bot.WaitForAsync(call => call.Kind == "update" && call.ActivityId == cardId);
        var redrawn = Card(_bot.Shown(cardId)!.Value);
        Assert.Contains("\\<at>Everyone\\</at> \\*\\*now\\*\\* \\[click\\](https://evil.example) \\&#91;x\\&#93;", Texts(redrawn), StringComparison.Ordinal);

        // Sam claims it; Bo is told who has it.
        var claimed = await InvokeAsync(Button(redrawn, "I'll follow up"), StaffAad, StaffAccount, Channel, cardId, "Sam Staff");
        var claimedCard = JsonNode.Parse(await claimed.Content.ReadAsStringAsync())!["value"]!.AsObject();
        Assert.Contains("Sam Staff is following up", Texts(claimedCard), StringComparison.Ordinal);
        var second = await InvokeAsync(Button(redrawn, "I'll follow up"), BoAad, BoAccount, Channel, cardId, "Bo");
        Assert.Equal("Done — my answer is below.", (string)JsonNode.Parse(await second.Content.ReadAsStringAsync())!["value"]!);
        // The host's clock is frozen, and by now the channel may have had its 7 calls of this second (Teams'
        // per-conversation limit: welcome, two command replies, the case post, and its redraws, whose number
        // depends on timing). The limiter then holds the next call until the clock moves, as Teams would.
        _host.Time.Advance(TimeSpan.FromSeconds(2));
        var told = await _bot.WaitForAsync(call => call.Kind is "reply" or "send" && call.Conversation!.StartsWith(Channel, StringComparison.Ordinal)
            && call.Body.Contains("already has this case", StringComparison.Ordinal));
        Assert.Contains("Sam Staff already has this case", told[0].Body, StringComparison.Ordinal);

        // Resolved asks for the outcome in an Input.Text; the outcome closes it.
        _host.Time.Advance(TimeSpan.FromHours(5));
        var asked = JsonNode.Parse(await (await InvokeAsync(Button(claimedCard, "Resolved"), StaffAad, StaffAccount, Channel, cardId, "Sam Staff")).Content.ReadAsStringAsync())!["value"]!.AsObject();
        Assert.Equal(FollowUpMessages.OutcomeInput, (string?)Assert.Single(Elements(asked), element => (string?)element["type"] == "Input.Text")["id"]);
        var save = Button(asked, "Save outcome");
        save[FollowUpMessages.OutcomeInput] = "Refunded the onboarding fee";
        var resolved = JsonNode.Parse(await (await InvokeAsync(save, StaffAad, StaffAccount, Channel, cardId, "Sam Staff")).Content.ReadAsStringAsync())!["value"]!.AsObject();
        Assert.Contains("Resolved by Sam Staff after 5 h: Refunded the onboarding fee", Texts(resolved), StringComparison.Ordinal);
        Assert.DoesNotContain(Elements(resolved), element => (string?)element["type"] is "ActionSet" or "Input.Text");
        Assert.Empty(store.Open());

        // Next Monday's digest of the survey counts it.
        _host.Time.Advance(TimeSpan.FromDays(4));
        Assert.Contains("Follow-ups this week: 1 opened, 1 closed, median time to close 5 h.", await CommandAsync("digest csat"), StringComparison.Ordinal);
    }

    private static async Task<string> Until(Func<string?> read)
    {
        for (var i = 0; i < 1000; i++)
        {
            if (read() is { } value) return value;
            await Task.Delay(20);
        }
        throw new TimeoutException("never set");
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
            new JsonObject { ["type"] = "mention", ["text"] = "<at>Ana Lima</at>", ["mentioned"] = new JsonObject { ["id"] = AnaAccount, ["name"] = "Ana Lima" } },
        };

        var response = await _host.PostAsync(activity.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = (await _bot.WaitForAsync(call => call.Kind == "reply", replies + 1))[replies];
        return reply.Json.TryGetProperty("text", out var text) ? text.GetString()! : Texts(Card(reply.Json));
    }

    /// <summary>An Action.Execute press as Teams sends it: invoke <c>adaptiveCard/action</c> with the button's data (and the card's inputs).</summary>
    private Task<HttpResponseMessage> InvokeAsync(JsonObject data, string aad, string account, string conversation, string cardId, string name = "Someone")
    {
        var activity = JsonNode.Parse(_host.Activity("invoke_adaptive_card_action.json"))!.AsObject();
        activity["id"] = "f:press-" + Interlocked.Increment(ref _activities);
        activity["from"] = new JsonObject { ["id"] = account, ["name"] = name, ["aadObjectId"] = aad };
        activity["conversation"]!["id"] = conversation;
        activity["replyToId"] = cardId;
        activity["channelData"]!["legacy"]!["replyToId"] = cardId;
        activity["value"]!["action"]!["verb"] = (string?)data["actionId"];
        activity["value"]!["action"]!["data"] = data;
        return _host.PostAsync(activity.ToJsonString());
    }

    private static JsonObject Card(JsonElement activity) =>
        JsonNode.Parse(activity.GetProperty("attachments")[0].GetProperty("content").GetRawText())!.AsObject();

    private static string Texts(JsonNode? node) => node switch
    {
        JsonObject obj => string.Join("\n", obj.Select(pair => pair.Key == "text" && pair.Value is JsonValue value ? (string?)value ?? string.Empty : Texts(pair.Value))),
        JsonArray array => string.Join("\n", array.Select(Texts)),
        _ => string.Empty,
    };

    private static IEnumerable<JsonObject> Elements(JsonObject card) => card["body"]!.AsArray().Select(element => element!.AsObject());

    private static JsonObject Button(JsonObject card, string title) =>
        Elements(card).Where(element => (string?)element["type"] == "ActionSet")
            .SelectMany(set => set["actions"]!.AsArray())
            .Single(action => (string?)action!["title"] == title)!["data"]!.DeepClone().AsObject();
}
