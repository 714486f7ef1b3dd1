using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthBot.Core.Alerts;
using GrowthBot.Host.Tests.Digests;
using GrowthBot.Host.Tests.Teams;
using GrowthBot.Teams.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.Alerts;

/// <summary>
/// The same path with Teams: "@GrowthBot alert nps below 0" in a team channel, a data change, the
/// alert card posted to the channel, Acknowledge and Snooze as <c>adaptiveCard/action</c> invokes
/// (answered with the refreshed card), a change within the period as an update of the first
/// activity, and Explain answered beside the card.
/// </summary>
public sealed class TeamsAlertEndToEndTests : IAsyncLifetime
{
    private const string General = "19:Yx3Gr0wThTeAmGeNeRaL@thread.tacv2";
    private const string StaffAad = "0a1b2c3d-5555-4aaa-8bbb-000000000e55";
    private const string StaffAccount = "29:1SamStaffChannelId_z9";

    private readonly TempStore _store = new();
    private FakeBotFramework _bot = null!;
    private TeamsHostFactory _host = null!;
    private int _activities;

    public async Task InitializeAsync()
    {
        _bot = await FakeBotFramework.StartAsync();
        _bot.AddMember(StaffAad, StaffAccount, BotFrameworkTokens.HomeTenant);
        _host = new TeamsHostFactory(_bot, _store.DbPath);
        _host.CreateClient().Dispose();
        Assert.Equal(HttpStatusCode.OK, (await _host.PostAsync(_host.Activity("conversation_update_bot_added_team.json"))).StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _bot.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task AlertSetInAChannel_PostsACard_WhoseButtonsWork_AndUpdatesTheFirstActivity()
    {
        var now = _host.Time.GetUtcNow();
        AlertData.Seed(_host.Services, now);
        var set = await CommandAsync("alert nps below 0");
        Assert.Contains("Alert ", set, StringComparison.Ordinal);
        Assert.Contains(" set: nps below 0, over the last 7 days against the 7 before.", set, StringComparison.Ordinal);
        var id = Assert.Single(_host.Services.GetRequiredService<AlertBook>().All()).Id;

        AlertData.Answer(_host.Services, now, 0, 30, score: 0);

        var posted = Assert.Single(await _bot.WaitForAsync(call => call.Kind == "send" && call.Body.Contains("nps below 0", StringComparison.Ordinal)));
        Assert.Equal(General, posted.Conversation);
        var card = Card(posted.Json);
        var texts = TeamsDigestEndToEndTests.Texts(card);
        Assert.Contains("Alert: nps below 0", texts, StringComparison.Ordinal);
        Assert.Contains("Net Promoter Score is -100 in the last 7 days", texts, StringComparison.Ordinal);
        // Value, threshold, change and the biggest contributors, as the card's facts and text.
        var facts = card["body"]!.AsArray().Single(element => (string?)element!["type"] == "FactSet")!["facts"]!.AsArray()
            .Select(fact => $"{(string?)fact!["title"]}: {(string?)fact["value"]}");
        Assert.Equal(["Value: -100", "Threshold: below 0", "Change: −200 from +100 in the 7 days before"], facts.Take(3));
        Assert.Contains("Moved most by: Big & \\<Co> (segment) +100 → -100", texts, StringComparison.Ordinal);
        // The segment's name came from data; in a TextBlock it is escaped for Teams' markdown.
        Assert.DoesNotContain("Big & <Co>", posted.Body, StringComparison.Ordinal);
        Assert.Equal(["Acknowledge", "Snooze 1 day", "Snooze 1 week", "Explain"], Buttons(card).Select(button => (string?)button["title"]));
        var (code, output) = GrowthBot.Teams.Tests.Rendering.CardValidator.Validate(new JsonObject { ["teamsAlert"] = card.DeepClone() }, "alert");
        Assert.True(code == 0, output);

        var cardId = _host.Services.GetRequiredService<AlertBook>().Find(id)!.State.Post!.MessageId;
        Assert.StartsWith("1:bot-activity-", cardId, StringComparison.Ordinal);
        var acknowledged = await InvokeAsync(Button(card, "Acknowledge"), cardId);
        Assert.Contains("Acknowledged by Sam Staff", TeamsDigestEndToEndTests.Texts(await RefreshedCard(acknowledged)), StringComparison.Ordinal);
        Assert.Equal(StaffAad, _host.Services.GetRequiredService<AlertBook>().Find(id)!.State.AcknowledgedBy);

        // A change within the period updates the first activity instead of posting again.
        // (A minute on: a firing post's value is refreshed at most once a minute.)
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        AlertData.Answer(_host.Services, now, 30, 40, score: 10);
        // (The Acknowledge press already updated the card for everyone, in the press's thread; this is the check's own update.)
        var update = Assert.Single(await _bot.WaitForAsync(call => call.Kind == "update" && call.Conversation == General));
        Assert.Equal(cardId, update.ActivityId);
        Assert.Contains("Net Promoter Score is -50 in the last 7 days", TeamsDigestEndToEndTests.Texts(Card(update.Json)), StringComparison.Ordinal);
        Assert.Single(_bot.Calls, call => call.Kind == "send" && call.Body.Contains("nps below 0", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, (await InvokeAsync(Button(card, "Explain"), cardId)).StatusCode);
        var explained = Assert.Single(await _bot.WaitForAsync(call => (call.Kind is "reply" or "send") && call.Body.Contains("Sample size", StringComparison.Ordinal)));
        var explanation = AlertData.Explanation(Text(explained.Json));
        Assert.Equal(["Numerator: -20", "Denominator: 40", "Sample size: 40"], explanation.Take(3));
        // The very explanation the typed question gives, for the period the alert posted.
        _host.Time.Advance(TimeSpan.FromSeconds(2));
        var asked = await CommandAsync("explain nps in the last 7 days");
        Assert.Equal(AlertData.Explanation(asked), explanation);

        var snoozed = await InvokeAsync(Button(card, "Snooze 1 day"), cardId);
        Assert.Contains("Snoozed until Fri Nov 27, 10:01 by Sam Staff.", TeamsDigestEndToEndTests.Texts(await RefreshedCard(snoozed)), StringComparison.Ordinal);

        // Seven sends to the channel so far, all at one instant of the fake clock: Teams allows 7 a second per
        // conversation, so the bot (rightly) holds the eighth until the clock moves.
        _host.Time.Advance(TimeSpan.FromSeconds(2));
        var list = await CommandAsync("alerts");
        Assert.Contains($"{id}: nps below 0 — firing since", list, StringComparison.Ordinal);
        Assert.Contains("Acknowledged by Sam Staff", list, StringComparison.Ordinal);
        Assert.Contains("Snoozed until Fri Nov 27, 10:01 by Sam Staff.", list, StringComparison.Ordinal);
    }

    private static async Task<JsonObject> RefreshedCard(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)body["type"]);
        return body["value"]!.AsObject();
    }

    /// <summary>Staff write in the team's General channel, mentioning the bot as Teams does; returns the bot's reply in the thread.</summary>
    private async Task<string> CommandAsync(string command)
    {
        var replies = _bot.Calls.Count(call => call.Kind == "reply");
        var thread = (1764151700000 + Interlocked.Increment(ref _activities)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var activity = JsonNode.Parse(_host.Activity("message_channel_mention.json"))!.AsObject();
        activity["id"] = thread;
        activity["text"] = "<at>GrowthBot</at>&nbsp;" + command;
        activity["from"] = new JsonObject { ["id"] = StaffAccount, ["name"] = "Sam Staff", ["aadObjectId"] = StaffAad };
        activity["conversation"]!["id"] = General + ";messageid=" + thread;
        activity["channelData"]!["teamsChannelId"] = General;
        activity["channelData"]!["channel"] = new JsonObject { ["id"] = General };
        activity["entities"] = new JsonArray
        {
            new JsonObject { ["type"] = "mention", ["text"] = "<at>GrowthBot</at>", ["mentioned"] = new JsonObject { ["id"] = "28:" + BotFrameworkTokens.AppId, ["name"] = "GrowthBot" } },
        };
        var response = await _host.PostAsync(activity.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = (await _bot.WaitForAsync(call => call.Kind == "reply", replies + 1))[replies].Json;
        return Text(reply);
    }

    /// <summary>A message's words: its text, or its card's fallback text (the card's lines, facts as "Title: value").</summary>
    private static string Text(JsonElement activity) =>
        activity.TryGetProperty("attachments", out var attachments) && attachments.GetArrayLength() > 0 ? (string?)Card(activity)["fallbackText"] ?? TeamsDigestEndToEndTests.Texts(Card(activity))
        : activity.GetProperty("text").GetString()!;

    /// <summary>An Action.Execute press as Teams sends it: invoke <c>adaptiveCard/action</c> with the button's data, from the channel the card is in.</summary>
    private Task<HttpResponseMessage> InvokeAsync(JsonObject data, string cardId)
    {
        var activity = JsonNode.Parse(_host.Activity("invoke_adaptive_card_action.json"))!.AsObject();
        activity["id"] = "f:press-" + Interlocked.Increment(ref _activities);
        activity["from"] = new JsonObject { ["id"] = StaffAccount, ["name"] = "Sam Staff", ["aadObjectId"] = StaffAad };
        // A press on a card the bot posted to a channel: the conversation is the thread the card started.
        activity["conversation"] = new JsonObject
        {
            ["isGroup"] = true, ["conversationType"] = "channel", ["tenantId"] = BotFrameworkTokens.HomeTenant, ["id"] = General + ";messageid=" + cardId,
        };
        activity["channelData"]!["teamsChannelId"] = General;
        activity["channelData"]!["channel"] = new JsonObject { ["id"] = General };
        activity["replyToId"] = cardId;
        activity["channelData"]!["legacy"]!["replyToId"] = cardId;
        activity["value"]!["action"]!["verb"] = (string?)data["actionId"];
        activity["value"]!["action"]!["data"] = data;
        return _host.PostAsync(activity.ToJsonString());
    }

    private static JsonObject Card(JsonElement activity) =>
        JsonNode.Parse(activity.GetProperty("attachments")[0].GetProperty("content").GetRawText())!.AsObject();

    private static IEnumerable<JsonObject> Buttons(JsonObject card) =>
        card["body"]!.AsArray().Select(element => element!.AsObject())
            .Where(element => (string?)element["type"] == "ActionSet")
            .SelectMany(set => set["actions"]!.AsArray().Select(action => action!.AsObject()));

    private static JsonObject Button(JsonObject card, string title) =>
        Buttons(card).Single(action => (string?)action["title"] == title)["data"]!.DeepClone().AsObject();
}
