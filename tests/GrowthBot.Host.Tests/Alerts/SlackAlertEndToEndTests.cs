using System.Net;
using System.Text.Json;
using GrowthBot.Core.Alerts;
using GrowthBot.Host.Tests.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.Alerts;

/// <summary>
/// The whole path on the real host and the Slack fake: "/growth alert nps below 0" in a channel,
/// a data change, the post with its buttons (chat.postMessage), Acknowledge, a change within the
/// period (chat.update of the first post, not a second post), Explain and Snooze, each press sent
/// as Slack sends a block_actions payload.
/// </summary>
public sealed class SlackAlertEndToEndTests : IAsyncLifetime
{
    private readonly TempStore _store = new();
    private FakeSlackWebApi _slack = null!;
    private SlackHostFactory _host = null!;
    private int _presses;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackWebApi.StartAsync();
        _slack.AddUser("U0STAFF", "T0HOME");
        _slack.AddUser("U0GUEST", "T0HOME", guest: true);
        _host = new SlackHostFactory(_slack, _store.DbPath);
        _host.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _slack.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task AlertSetInChat_PostsOnADataChange_WithButtonsThatWork_AndUpdatesItsFirstPost()
    {
        var now = _host.Time.GetUtcNow();
        AlertData.Seed(_host.Services, now);

        var set = await CommandAsync("alert nps below 0", "1");
        Assert.StartsWith("Alert ", set, StringComparison.Ordinal);
        Assert.Contains("Right now I can't tell: no value for the period.", set, StringComparison.Ordinal);
        var id = Assert.Single(_host.Services.GetRequiredService<AlertBook>().All()).Id;

        AlertData.Answer(_host.Services, now, 0, 30, score: 0);

        var post = (await _slack.WaitForAsync("chat.postMessage"))[0].Json;
        Assert.Equal("C0GROWTH", post.GetProperty("channel").GetString());
        var text = post.GetProperty("text").GetString()!;
        Assert.StartsWith("Alert: nps below 0", text, StringComparison.Ordinal);
        Assert.Contains("Net Promoter Score is -100 in the last 7 days", text, StringComparison.Ordinal);
        // The segment's name came from data: escaped for mrkdwn wherever it appears.
        // Value, threshold, change and the biggest contributors.
        Assert.Contains("Value: -100 · Threshold: below 0 · Change: −200 from +100 in the 7 days before", text, StringComparison.Ordinal);
        Assert.Contains("Moved most by: Big &amp; &lt;Co&gt; (segment) +100 → -100", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<Co>", post.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(["Acknowledge", "Snooze 1 day", "Snooze 1 week", "Explain"], Buttons(post).Select(button => button.GetProperty("text").GetProperty("text").GetString()));
        var ts = _slack.Stored("C0GROWTH").Count > 0 ? _slack.Stored("C0GROWTH")[^1].GetProperty("ts").GetString() : null;

        // Acknowledge: recorded, and the post (through its response_url) shows who.
        Assert.Equal(HttpStatusCode.OK, (await PressAsync(post, "Acknowledge", "ack")).StatusCode);
        var acknowledged = (await _slack.WaitForAsync("response_url"))[0].Json;
        Assert.True(acknowledged.GetProperty("replace_original").GetBoolean());
        Assert.Contains("Acknowledged by person-U0STAFF", acknowledged.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("U0STAFF", _host.Services.GetRequiredService<AlertBook>().Find(id)!.State.AcknowledgedBy);

        // More answers within the period: the first post is updated (chat.update, same ts), not posted again.
        // (A minute on: a firing post's value is refreshed at most once a minute.)
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        AlertData.Answer(_host.Services, now, 30, 40, score: 10);
        var update = (await _slack.WaitForAsync("chat.update"))[0].Json;
        Assert.Equal("C0GROWTH", update.GetProperty("channel").GetString());
        if (ts is not null) Assert.Equal(ts, update.GetProperty("ts").GetString());
        Assert.Contains("Net Promoter Score is -50 in the last 7 days", update.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Single(_slack.Calls, call => call.Method == "chat.postMessage");

        // Explain: the question's own explanation, to the presser.
        await PressAsync(post, "Explain", "explain");
        var explained = (await _slack.WaitForAsync("response_url", 2))[1].Json;
        Assert.False(explained.TryGetProperty("replace_original", out var replace) && replace.GetBoolean());
        // The very explanation the typed question gives, for the period the alert posted.
        var asked = await CommandAsync("explain nps in the last 7 days", "9");
        var explanation = AlertData.Explanation(explained.GetProperty("text").GetString()!);
        Assert.Equal(["Numerator: -20", "Denominator: 40", "Sample size: 40"], explanation.Take(3));
        Assert.Contains("How it was computed: Net Promoter Score = (promoters (9–10) 10 − detractors (0–6) 30) ÷ answers 40 × 100 = -50. Higher is better.", explanation);
        Assert.Equal(AlertData.Explanation(asked), explanation);

        // Snooze 1 week: stored and shown.
        await PressAsync(post, "Snooze 1 week", "snooze");
        var snoozed = (await _slack.WaitForAsync("response_url", 3))[2].Json;
        Assert.Contains("Snoozed until Thu Dec 3, 10:01 by person-U0STAFF.", snoozed.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(now.AddMinutes(1).AddDays(7), _host.Services.GetRequiredService<AlertBook>().Find(id)!.State.SnoozedUntil);

        var list = await CommandAsync("alerts", "2");
        Assert.Contains($"{id}: nps below 0 — firing since", list, StringComparison.Ordinal);
        Assert.Contains("Acknowledged by person-U0STAFF", list, StringComparison.Ordinal);
        Assert.Contains("Snoozed until Thu Dec 3, 10:01 by person-U0STAFF.", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alert_FromAGuest_IsRefused_AndTheirPressChangesNothing()
    {
        var now = _host.Time.GetUtcNow();
        AlertData.Seed(_host.Services, now);
        await CommandAsync("alert nps below 0", "1");
        AlertData.Answer(_host.Services, now, 0, 30, score: 0);
        var post = (await _slack.WaitForAsync("chat.postMessage"))[0].Json;

        var refused = await CommandAsync("alerts", "2", user: "U0GUEST");
        await PressAsync(post, "Acknowledge", "ack", user: "U0GUEST");

        Assert.Contains("only share metrics with staff", refused, StringComparison.Ordinal);
        var reply = (await _slack.WaitForAsync("response_url"))[0].Json.GetProperty("text").GetString()!;
        Assert.Contains("only share metrics with staff", reply, StringComparison.Ordinal);
        Assert.Null(Assert.Single(_host.Services.GetRequiredService<AlertBook>().All()).State.AcknowledgedBy);
    }

    private async Task<string> CommandAsync(string text, string trigger, string user = "U0STAFF")
    {
        var response = await _host.PostFormAsync("/slack/commands", new Dictionary<string, string>
        {
            ["token"] = "gIkuvaNzQIHg97ATvDxqgjtO",
            ["team_id"] = "T0HOME",
            ["team_domain"] = "acme",
            ["channel_id"] = "C0GROWTH",
            ["channel_name"] = "growth",
            ["user_id"] = user,
            ["user_name"] = "staff",
            ["command"] = "/growth",
            ["text"] = text,
            ["api_app_id"] = "A0GROWTH",
            ["is_enterprise_install"] = "false",
            ["response_url"] = _slack.ResponseUrl("command" + trigger),
            ["trigger_id"] = $"{trigger}.47445629121.803a0bc887a14d10d2c447fce8b6703c",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("text").GetString()!;
    }

    /// <summary>
    /// A block_actions payload as Slack's interactivity docs show it for a button on a message in a
    /// channel: team, user, api_app_id, container, trigger_id, channel, the message, response_url and the action.
    /// </summary>
    private Task<HttpResponseMessage> PressAsync(JsonElement post, string label, string response, string user = "U0STAFF")
    {
        var button = Buttons(post).Single(element => element.GetProperty("text").GetProperty("text").GetString() == label);
        var n = Interlocked.Increment(ref _presses);
        var payload = JsonSerializer.Serialize(new
        {
            type = "block_actions",
            team = new { id = "T0HOME", domain = "acme" },
            user = new { id = user, username = "staff", name = "staff", team_id = "T0HOME" },
            api_app_id = "A0GROWTH",
            token = "gIkuvaNzQIHg97ATvDxqgjtO",
            container = new { type = "message", message_ts = "1764151200.000100", channel_id = "C0GROWTH", is_ephemeral = false },
            trigger_id = $"{n}.47445629121.803a0bc887a14d10d2c447fce8b6703c",
            channel = new { id = "C0GROWTH", name = "growth" },
            message = new { type = "message", user = "U0BOT", ts = "1764151200.000100", bot_id = "B0GROWTH", text = post.GetProperty("text").GetString(), blocks = post.GetProperty("blocks") },
            state = new { values = new { } },
            response_url = _slack.ResponseUrl(response),
            actions = new[]
            {
                new
                {
                    action_id = button.GetProperty("action_id").GetString(),
                    block_id = "actions",
                    text = new { type = "plain_text", text = label, emoji = true },
                    value = button.GetProperty("value").GetString(),
                    type = "button",
                    action_ts = $"1764151300.{n:D6}",
                },
            },
        });
        return _host.PostFormAsync("/slack/interactivity", new Dictionary<string, string> { ["payload"] = payload });
    }

    private static IEnumerable<JsonElement> Buttons(JsonElement message) =>
        message.GetProperty("blocks").EnumerateArray()
            .Where(block => block.GetProperty("type").GetString() == "actions")
            .SelectMany(block => block.GetProperty("elements").EnumerateArray());
}
