using System.Net;
using System.Text.Json;
using GrowthBot.Core.FollowUps;
using GrowthBot.Host.Tests.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.FollowUps;

/// <summary>
/// The closed loop end to end on Slack, through the real host and the fake Slack Web API: a customer's
/// detractor answer (and a hostile comment) is posted to the success channel, a colleague claims it, a
/// second is told who has it, it is resolved with a one-line outcome, and the next week's digest counts it.
/// </summary>
public sealed class SlackFollowUpTests : IAsyncLifetime
{
    private const string Hostile = "<!channel> *urgent* <https://evil.example|click here> & more";
    private readonly TempStore _store = new();
    private FakeSlackWebApi _slack = null!;
    private SlackHostFactory _host = null!;
    private int _actions;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackWebApi.StartAsync();
        _slack.AddUser("U0STAFF", "T0HOME");
        _slack.AddUser("U0BO", "T0HOME");
        _slack.AddUser("U0CUSTOMER", "T0CUSTOMER", stranger: true);
        _host = new SlackHostFactory(_slack, _store.DbPath, handler: null, environment: "Production",
            settings: new Dictionary<string, string> { ["FollowUps:Nps"] = "slack:C0SUCCESS" });
        _host.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _slack.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task ClosedLoop_DetractorPostClaimResolveDigest()
    {
        await CommandAsync("survey link <@U0CUSTOMER|ana> C-42", "1");
        await CommandAsync("survey nps <@U0CUSTOMER|ana>", "2");
        var invitation = (await _slack.WaitForAsync("chat.postMessage"))[0].Json;

        // The customer taps 3 and gives a reason full of Slack markup.
        Assert.Equal(HttpStatusCode.OK, (await PressAsync(Button(invitation, "3"), "D0OPENED", "U0CUSTOMER", "score")).StatusCode);
        var post = (await PostsToAsync("C0SUCCESS"))[0];
        var followUp = (await _slack.WaitForAsync("response_url"))[0].Json;
        await PressAsync(Button(followUp, "Send"), "D0OPENED", "U0CUSTOMER", "comment", typed: Hostile);

        Assert.Contains("Detractor: NPS 3/10 from C-42", post.GetProperty("text").GetString(), StringComparison.Ordinal);
        var updated = (await _slack.WaitForAsync("chat.update"))[0].Json;
        Assert.Equal("C0SUCCESS", updated.GetProperty("channel").GetString());
        var blocks = Texts(updated.GetProperty("blocks"));
        Assert.Contains("&lt;!channel&gt; *urgent* &lt;https://evil.example|click here&gt; &amp; more", blocks, StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", blocks, StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", updated.GetProperty("text").GetString(), StringComparison.Ordinal);

        // A colleague claims it; a second is told who has it.
        var id = Assert.Single(_host.Services.GetRequiredService<IFollowUpStore>().Open()).Id;
        await PressAsync(Button(post, "I'll follow up"), "C0SUCCESS", "U0STAFF", "claim", name: "ana.staff");
        var claimed = (await _slack.WaitForAsync("response_url", 3))[2].Json;
        Assert.True(claimed.GetProperty("replace_original").GetBoolean());
        // The name is the one the host's user look-up (users.info) gives.
        Assert.Contains("person-U0STAFF is following up", claimed.GetProperty("text").GetString(), StringComparison.Ordinal);
        await PressAsync(Button(post, "I'll follow up"), "C0SUCCESS", "U0BO", "claim2", name: "bo");
        var second = (await _slack.WaitForAsync("response_url", 4))[3].Json;
        Assert.False(second.GetProperty("replace_original").GetBoolean());
        Assert.Contains("person-U0STAFF already has this case", second.GetProperty("text").GetString(), StringComparison.Ordinal);

        // Resolved asks for the outcome in the message; Save outcome records it.
        _host.Time.Advance(TimeSpan.FromHours(2));
        await PressAsync(Button(claimed, "Resolved"), "C0SUCCESS", "U0STAFF", "resolve", name: "ana.staff");
        var asked = (await _slack.WaitForAsync("response_url", 5))[4].Json;
        Assert.Contains(asked.GetProperty("blocks").EnumerateArray(), block => block.GetProperty("type").GetString() == "input" && block.GetProperty("block_id").GetString() == FollowUpMessages.OutcomeInput);
        await PressAsync(Button(asked, "Save outcome"), "C0SUCCESS", "U0STAFF", "outcome", name: "ana.staff", outcome: "Called them; exports fixed");
        var resolved = (await _slack.WaitForAsync("response_url", 6))[5].Json;
        Assert.True(resolved.GetProperty("replace_original").GetBoolean());
        Assert.Contains("Resolved by person-U0STAFF after 2 h: Called them; exports fixed", resolved.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(resolved.GetProperty("blocks").EnumerateArray(), block => block.GetProperty("type").GetString() is "actions" or "input");
        Assert.Equal("Called them; exports fixed", _host.Services.GetRequiredService<IFollowUpStore>().Find(id)!.Outcome);

        // Next Monday's digest of the survey counts it.
        _host.Time.Advance(TimeSpan.FromDays(4));
        var digest = await CommandAsync("digest nps", "3");
        Assert.Contains("Follow-ups this week: 1 opened, 1 closed, median time to close 2 h.", digest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Followups_StaffSeeTheCase_OthersAreRefusedWithoutIt()
    {
        await CommandAsync("survey link <@U0CUSTOMER> C-42", "4");
        await CommandAsync("survey nps <@U0CUSTOMER>", "5");
        var invitation = (await _slack.WaitForAsync("chat.postMessage"))[0].Json;
        await PressAsync(Button(invitation, "2"), "D0OPENED", "U0CUSTOMER", "score");
        var post = (await PostsToAsync("C0SUCCESS"))[0];

        var listed = await CommandAsync("followups", "6");
        var outsider = Command("followups", "7");
        outsider["user_id"] = "U0CUSTOMER";
        outsider["team_id"] = "T0CUSTOMER";
        var refused = await (await _host.PostFormAsync("/slack/commands", outsider)).Content.ReadAsStringAsync();
        await PressAsync(Button(post, "I'll follow up"), "C0SUCCESS", "U0CUSTOMER", "claim");
        var pressRefused = (await _slack.WaitForAsync("response_url", 2))[1].Json;

        Assert.Contains("C-42: NPS 2/10, open 0 min, nobody has it", listed, StringComparison.Ordinal);
        Assert.Contains("only share metrics with staff of Acme", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("C-42", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("C-42", Texts(pressRefused), StringComparison.Ordinal);
        Assert.False(pressRefused.GetProperty("replace_original").GetBoolean());
        Assert.Null(Assert.Single(_host.Services.GetRequiredService<IFollowUpStore>().Open()).ClaimedBy);
    }

    private async Task<List<JsonElement>> PostsToAsync(string channel)
    {
        for (var count = 1; count < 10; count++)
        {
            var posts = (await _slack.WaitForAsync("chat.postMessage", count)).Select(call => call.Json).Where(json => json.GetProperty("channel").GetString() == channel).ToList();
            if (posts.Count > 0) return posts;
        }
        throw new TimeoutException($"nothing posted to {channel}");
    }

    private async Task<string> CommandAsync(string text, string trigger)
    {
        var response = await _host.PostFormAsync("/slack/commands", Command(text, trigger));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var immediate = body.Length == 0 ? string.Empty : JsonDocument.Parse(body).RootElement.GetProperty("text").GetString()!;
        if (!immediate.StartsWith("Working on it", StringComparison.Ordinal)) return immediate;
        var answered = await _slack.WaitForAsync("response_url", _slack.Calls.Count(call => call.Method == "response_url") + 1);
        return answered[^1].Json.GetRawText();
    }

    private Task<HttpResponseMessage> PressAsync(string value, string channel, string user, string response, string? typed = null, string? name = null, string? outcome = null) =>
        _host.PostFormAsync("/slack/interactivity", new Dictionary<string, string> { ["payload"] = Payload(value, channel, user, response, typed, name, outcome) });

    /// <summary>A block_actions payload as Slack sends it for a button on one of the bot's messages, with what was typed in its input blocks.</summary>
    private string Payload(string value, string channel, string user, string response, string? typed, string? name, string? outcome)
    {
        var actionTs = $"1732616000.{Interlocked.Increment(ref _actions):D6}";
        var actionId = value.StartsWith("fu-", StringComparison.Ordinal)
            ? response switch { "resolve" => FollowUpMessages.ResolveAction, "outcome" => FollowUpMessages.OutcomeAction, _ => FollowUpMessages.ClaimAction } + "#0"
            : value.Split('|')[2] == "-1" ? "survey.comment#0" : $"survey.score#{value.Split('|')[2]}";
        var values = new Dictionary<string, object>
        {
            ["comment"] = new { comment = new { type = "plain_text_input", value = typed } },
            [FollowUpMessages.OutcomeInput] = new Dictionary<string, object> { [FollowUpMessages.OutcomeInput] = new { type = "plain_text_input", value = outcome } },
        };
        return JsonSerializer.Serialize(new
        {
            type = "block_actions",
            user = new { id = user, username = name ?? user.ToLowerInvariant(), name = name ?? user.ToLowerInvariant(), team_id = user == "U0CUSTOMER" ? "T0CUSTOMER" : "T0HOME" },
            team = new { id = "T0HOME" },
            channel = new { id = channel },
            message = new { ts = "1732615999.000001" },
            state = new { values },
            response_url = _slack.ResponseUrl(response),
            actions = new[] { new { action_id = actionId, block_id = "b", value, type = "button", action_ts = actionTs } },
        });
    }

    /// <summary>Every "text" string in a message's blocks, decoded, one per line.</summary>
    private static string Texts(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => string.Join("\n", element.EnumerateObject().Select(property =>
            property.Name == "text" && property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : Texts(property.Value))),
        JsonValueKind.Array => string.Join("\n", element.EnumerateArray().Select(Texts)),
        _ => string.Empty,
    };

    private static string Button(JsonElement message, string label) =>
        message.GetProperty("blocks").EnumerateArray()
            .Where(block => block.GetProperty("type").GetString() == "actions")
            .SelectMany(block => block.GetProperty("elements").EnumerateArray())
            .Single(button => button.GetProperty("text").GetProperty("text").GetString() == label)
            .GetProperty("value").GetString()!;

    private Dictionary<string, string> Command(string text, string trigger) => new()
    {
        ["team_id"] = "T0HOME",
        ["channel_id"] = "C0SUCCESS",
        ["user_id"] = "U0STAFF",
        ["user_name"] = "ana.staff",
        ["command"] = "/growth",
        ["text"] = text,
        ["response_url"] = _slack.ResponseUrl("command" + trigger),
        ["trigger_id"] = $"{trigger}.47445629121.803a0bc887a14d10d2c447fce8b6703c",
    };
}
