using System.Net;
using System.Text.Json;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Surveys;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>
/// A survey end to end on Slack, through the real host and a fake Slack Web API: staff start it
/// with /growth, the customer gets a DM, taps a score, writes a reason, and the NPS moves.
/// </summary>
public sealed class SlackSurveyTests : IAsyncLifetime
{
    private readonly TempStore _store = new();
    private FakeSlackWebApi _slack = null!;
    private SlackHostFactory _host = null!;
    private int _actions;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackWebApi.StartAsync();
        _slack.AddUser("U0STAFF", "T0HOME");
        _slack.AddUser("U0CUSTOMER", "T0CUSTOMER", stranger: true);
        _host = new SlackHostFactory(_slack, _store.DbPath, handler: null, environment: "Production");
        _host.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _slack.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task Survey_InviteScoreCommentThanks_StoresTheResponseAndMovesNps()
    {
        var period = new MetricQuery(MetricId.Nps, new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        var engine = _host.Services.GetRequiredService<IMetricEngine>();
        Assert.Null(engine.Answer(period).Result.Value);

        Assert.Contains("Linked U0CUSTOMER to customer C-42", await CommandAsync("survey link <@U0CUSTOMER|ana> C-42", "1"), StringComparison.Ordinal);
        Assert.Contains("Sending the NPS survey to 1 person", await CommandAsync("survey nps <@U0CUSTOMER|ana>", "2"), StringComparison.Ordinal);

        Assert.Equal("U0CUSTOMER", (await _slack.WaitForAsync("conversations.open"))[0].Json.GetProperty("users").GetString());
        var invitation = (await _slack.WaitForAsync("chat.postMessage"))[0].Json;
        Assert.Equal("D0OPENED", invitation.GetProperty("channel").GetString());
        Assert.Contains("How likely are you to recommend Acme to a friend or colleague?", invitation.GetProperty("text").GetString(), StringComparison.Ordinal);

        var press = await PressAsync(Button(invitation, "9"), "score");
        Assert.Equal(HttpStatusCode.OK, press.StatusCode);
        Assert.Equal(string.Empty, await press.Content.ReadAsStringAsync());
        // Acknowledged means committed: the response is in the store and the engine before any reply.
        var stored = _host.Services.GetRequiredService<ISurveyStore>();
        var answered = Assert.Single(stored.InvitationsOfRun(Assert.Single(stored.Runs()).Id));
        Assert.Equal(9, answered.Score);
        Assert.Equal(100m, engine.Answer(period).Result.Value);

        var followUp = (await _slack.WaitForAsync("response_url"))[0].Json;
        Assert.True(followUp.GetProperty("replace_original").GetBoolean());
        Assert.False(followUp.TryGetProperty("response_type", out _));
        Assert.Contains("What's the main reason for your score?", followUp.GetProperty("text").GetString(), StringComparison.Ordinal);
        var input = followUp.GetProperty("blocks").EnumerateArray().Single(block => block.GetProperty("type").GetString() == "input");
        Assert.Equal("comment", input.GetProperty("block_id").GetString());

        var comment = await PressAsync(Button(followUp, "Send"), "comment", typed: "Setup took five minutes");
        Assert.Equal(HttpStatusCode.OK, comment.StatusCode);

        var thanks = (await _slack.WaitForAsync("response_url", 2))[1].Json;
        Assert.True(thanks.GetProperty("replace_original").GetBoolean());
        Assert.Contains("Thank you for your feedback", thanks.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(thanks.GetProperty("blocks").EnumerateArray(), block => block.GetProperty("type").GetString() is "actions" or "input");
        var said = Assert.Single(_host.Services.GetRequiredService<ISurveyComments>().Recent(_host.Time.GetUtcNow().AddDays(-1), _host.Time.GetUtcNow().AddSeconds(1)));
        Assert.Equal(("Setup took five minutes", 9, "C-42"), (said.Comment, said.Score, said.CustomerId));
        var nps = engine.Answer(period).Result;
        Assert.Equal((100m, 1L), (nps.Value, nps.SampleSize));

        Assert.Contains("sent 1, answered 1 (100%), commented 1", await CommandAsync("survey status", "3"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Survey_RefusedPresses_ChangeNothing()
    {
        await CommandAsync("survey link <@U0CUSTOMER> C-42", "4");
        await CommandAsync("survey nps <@U0CUSTOMER>", "5");
        var invitation = (await _slack.WaitForAsync("chat.postMessage"))[0].Json;
        var nine = Button(invitation, "9");

        await PressAsync(nine, "someone else", user: "U0STAFF");
        await PressAsync(nine.Replace("|9|", "|10|", StringComparison.Ordinal), "forged");
        var replies = await _slack.WaitForAsync("response_url", 2);

        Assert.Contains(replies, reply => reply.Json.GetProperty("text").GetString()!.Contains("sent to someone else", StringComparison.Ordinal));
        Assert.Contains(replies, reply => reply.Json.GetProperty("text").GetString()!.Contains("couldn't verify", StringComparison.Ordinal));
        Assert.All(replies, reply => Assert.False(reply.Json.GetProperty("replace_original").GetBoolean()));
        Assert.Equal(0, _host.Services.GetRequiredService<IMetricEngine>().Statistics.Responses);
    }

    [Fact]
    public async Task Survey_ReplayedPress_IsNotProcessedTwice()
    {
        await CommandAsync("survey link <@U0CUSTOMER> C-42", "6");
        await CommandAsync("survey nps <@U0CUSTOMER>", "7");
        var invitation = (await _slack.WaitForAsync("chat.postMessage"))[0].Json;
        var payload = Payload(Button(invitation, "3"), "same", "U0CUSTOMER", null);

        var first = await _host.PostFormAsync("/slack/interactivity", new Dictionary<string, string> { ["payload"] = payload });
        var replay = await _host.PostFormAsync("/slack/interactivity", new Dictionary<string, string> { ["payload"] = payload });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        await _slack.WaitForAsync("response_url");
        Assert.Single(_slack.Calls, call => call.Method == "response_url");
        Assert.Equal(1, _host.Services.GetRequiredService<IMetricEngine>().Statistics.Responses);
    }

    [Fact]
    public async Task Survey_PressAfterExpiry_GetsThisSurveyHasClosed()
    {
        await CommandAsync("survey link <@U0CUSTOMER> C-42", "9");
        await CommandAsync("survey csat <@U0CUSTOMER> about the onboarding call", "10");
        var invitation = (await _slack.WaitForAsync("chat.postMessage"))[0].Json;
        Assert.Contains("How satisfied were you with the onboarding call?", invitation.GetProperty("text").GetString(), StringComparison.Ordinal);

        // The reminder makes the invitation stale (its buttons point to the reminder), and the expiry
        // (7 days for CSAT) closes the reminder's buttons in the DM (chat.update) …
        var superseded = await AdvanceUntilAsync("chat.update");
        Assert.Contains("repeated in a newer message", superseded.GetProperty("text").GetString(), StringComparison.Ordinal);
        var update = await AdvanceUntilAsync("chat.update", 2);
        Assert.Contains("This survey has closed", update.GetProperty("text").GetString(), StringComparison.Ordinal);
        // … and a tap on an old button is told so, without touching the data.
        var press = await PressAsync(Button(invitation, "5"), "late");

        Assert.Equal(HttpStatusCode.OK, press.StatusCode);
        var reply = (await _slack.WaitForAsync("response_url"))[0].Json;
        Assert.Contains("This survey has closed", reply.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.True(reply.GetProperty("replace_original").GetBoolean());
        Assert.Equal(0, _host.Services.GetRequiredService<IMetricEngine>().Statistics.Responses);
    }

    [Fact]
    public async Task Survey_NotStaff_CannotStartOne()
    {
        var fields = Command("survey nps <@U0STAFF>", "8");
        fields["user_id"] = "U0CUSTOMER";
        fields["team_id"] = "T0CUSTOMER";

        var response = await _host.PostFormAsync("/slack/commands", fields);

        Assert.Contains("only staff of Acme", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_host.Services.GetRequiredService<ISurveyStore>().Runs());
    }

    /// <summary>
    /// Moves the host's fake clock a day at a time (its scheduler sets its timers in the background, so
    /// one big jump could land before a timer is set) until the fake Slack sees <paramref name="method"/>.
    /// </summary>
    private async Task<JsonElement> AdvanceUntilAsync(string method, int count = 1)
    {
        for (var day = 0; day < 10; day++)
        {
            _host.Time.Advance(TimeSpan.FromDays(1));
            try
            {
                return (await _slack.WaitForAsync(method, count, limit: TimeSpan.FromSeconds(1)))[count - 1].Json;
            }
            catch (TimeoutException)
            {
                // Not yet due, or the scheduler had not set its timer before this step.
            }
        }
        throw new TimeoutException($"no {method} within 10 days");
    }

    private async Task<string> CommandAsync(string text, string trigger)
    {
        var response = await _host.PostFormAsync("/slack/commands", Command(text, trigger));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("text").GetString()!;
    }

    private Task<HttpResponseMessage> PressAsync(string value, string response, string user = "U0CUSTOMER", string? typed = null) =>
        _host.PostFormAsync("/slack/interactivity", new Dictionary<string, string> { ["payload"] = Payload(value, response, user, typed) });

    /// <summary>A block_actions payload as Slack sends it for a button in the bot's DM, with what was typed in the comment box.</summary>
    private string Payload(string value, string response, string user, string? typed)
    {
        var actionTs = $"1732616000.{Interlocked.Increment(ref _actions):D6}";
        var actionId = value.Split('|')[2] == "-1" ? (typed is null ? "survey.skip#1" : "survey.comment#0") : $"survey.score#{value.Split('|')[2]}";
        return JsonSerializer.Serialize(new
        {
            type = "block_actions",
            user = new { id = user, team_id = user == "U0STAFF" ? "T0HOME" : "T0CUSTOMER" },
            team = new { id = "T0HOME" },
            channel = new { id = "D0OPENED" },
            message = new { ts = "1732615999.000001" },
            state = new { values = new Dictionary<string, object> { ["comment"] = new { comment = new { type = "plain_text_input", value = typed } } } },
            response_url = _slack.ResponseUrl(response),
            actions = new[] { new { action_id = actionId, block_id = "b", value, type = "button", action_ts = actionTs } },
        });
    }

    /// <summary>The value of the button labelled <paramref name="label"/> in a rendered message.</summary>
    private static string Button(JsonElement message, string label) =>
        message.GetProperty("blocks").EnumerateArray()
            .Where(block => block.GetProperty("type").GetString() == "actions")
            .SelectMany(block => block.GetProperty("elements").EnumerateArray())
            .Single(button => button.GetProperty("text").GetProperty("text").GetString() == label)
            .GetProperty("value").GetString()!;

    private Dictionary<string, string> Command(string text, string trigger) => new()
    {
        ["team_id"] = "T0HOME",
        ["channel_id"] = "C0GROWTH",
        ["user_id"] = "U0STAFF",
        ["user_name"] = "staff",
        ["command"] = "/growth",
        ["text"] = text,
        ["response_url"] = _slack.ResponseUrl("command" + trigger),
        ["trigger_id"] = $"{trigger}.47445629121.803a0bc887a14d10d2c447fce8b6703c",
    };
}
