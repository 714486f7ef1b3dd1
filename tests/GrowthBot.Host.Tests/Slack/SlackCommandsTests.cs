using System.Net;
using System.Text.Json;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>The slash command and interactivity endpoints end to end.</summary>
public sealed class SlackCommandsTests : SlackHostTest
{
    [Fact]
    public async Task Command_QuickAnswer_ComesBackInTheResponseOnlyToTheAsker()
    {
        var response = await Host.PostFormAsync("/slack/commands", Command("churn this month", "1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ephemeral", json.GetProperty("response_type").GetString());
        Assert.Equal("You asked: churn this month", json.GetProperty("text").GetString());
        Assert.Equal("header", json.GetProperty("blocks")[0].GetProperty("type").GetString());
        var received = Assert.Single(Handler.Received);
        Assert.Equal("C0GROWTH", received.ConversationId);
        Assert.Equal("U0STAFF", received.From.UserId);
    }

    [Fact]
    public async Task Command_QuickAnswer_CountsAsAnsweredOnceSent_AndIsNotSentAgain()
    {
        await Host.PostFormAsync("/slack/commands", Command("nps", "5"));

        var inbox = Host.Services.GetService(typeof(GrowthBot.Core.Conversations.IInbox)) as GrowthBot.Core.Conversations.IInbox;
        for (var i = 0; i < 100 && inbox!.Pending().Count > 0; i++) await Task.Delay(20);
        Assert.Empty(inbox!.Pending());
        Assert.DoesNotContain(Slack.Calls, call => call.Method.StartsWith("response_url", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Command_WithoutText_AsksForHelp()
    {
        await Host.PostFormAsync("/slack/commands", Command("", "2"));

        Assert.Equal("help", Assert.Single(Handler.Received).Text);
    }

    [Fact]
    public async Task Command_SameTriggerTwice_IsAnsweredOnce()
    {
        await Host.PostFormAsync("/slack/commands", Command("mrr", "3"));
        var again = await Host.PostFormAsync("/slack/commands", Command("mrr", "3"));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(Handler.Received);
    }

    [Fact]
    public async Task Command_UnknownCommandName_GetsAFriendlyReply()
    {
        var fields = Command("x", "4");
        fields["command"] = "/weather";

        var response = await Host.PostFormAsync("/slack/commands", fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("I don't know the command /weather. Try /growth help.", json.GetProperty("text").GetString());
        Assert.Empty(Handler.Received);
    }

    [Fact]
    public async Task SslCheck_IsAnsweredWithoutASignature()
    {
        using var client = Host.CreateClient();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["ssl_check"] = "1", ["token"] = "legacy" });

        var response = await client.PostAsync(new Uri("/slack/commands", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SslCheckWithMoreFields_StillNeedsASignature()
    {
        using var client = Host.CreateClient();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["ssl_check"] = "1", ["command"] = "/growth", ["text"] = "mrr" });

        var response = await client.PostAsync(new Uri("/slack/commands", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ButtonPress_ReachesTheActionHandlerWithItsOriginalId()
    {
        var payload = JsonSerializer.Serialize(new
        {
            type = "block_actions",
            user = new { id = "U0STAFF", team_id = "T0HOME", name = "staff" },
            team = new { id = "T0HOME" },
            channel = new { id = "C0GROWTH" },
            message = new { ts = "1732615200.000100" },
            response_url = Slack.ResponseUrl("button"),
            trigger_id = "13345224609.738474920.8088930838d88f008e0",
            actions = new[] { new { action_id = "metric.explain#0", block_id = "b1", value = "explain churn this month", type = "button", action_ts = "1732615999.123456" } },
        });

        var response = await Host.PostFormAsync("/slack/interactivity", new Dictionary<string, string> { ["payload"] = payload });

        // Slack ignores the body of a block_actions response: an empty 200 now, the answer to response_url.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        var answer = Assert.Single(await Slack.WaitForAsync("response_url")).Json;
        Assert.Equal("You pressed metric.explain: explain churn this month", answer.GetProperty("text").GetString());
        Assert.Equal("ephemeral", answer.GetProperty("response_type").GetString());
        Assert.False(answer.GetProperty("replace_original").GetBoolean());
        var pressed = Assert.Single(Handler.Pressed);
        Assert.Equal("metric.explain", pressed.ActionId);
        Assert.Equal("explain churn this month", pressed.Value);
        Assert.Equal("U0STAFF", pressed.From.UserId);
    }

    [Fact]
    public async Task ButtonPress_SameDeliveryTwice_IsAnsweredOnce()
    {
        var payload = JsonSerializer.Serialize(new
        {
            type = "block_actions",
            user = new { id = "U0STAFF", team_id = "T0HOME" },
            team = new { id = "T0HOME" },
            channel = new { id = "C0GROWTH" },
            response_url = Slack.ResponseUrl("replayed"),
            actions = new[] { new { action_id = "metric.trend#1", value = "churn trend", type = "button", action_ts = "1732615999.654321" } },
        });

        await Host.PostFormAsync("/slack/interactivity", new Dictionary<string, string> { ["payload"] = payload });
        var again = await Host.PostFormAsync("/slack/interactivity", new Dictionary<string, string> { ["payload"] = payload });

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await Slack.WaitForAsync("response_url");
        Assert.Single(Handler.Pressed);
    }

    [Fact]
    public async Task ViewSubmission_ClosesTheModal()
    {
        var payload = JsonSerializer.Serialize(new { type = "view_submission", user = new { id = "U0STAFF" }, view = new { callback_id = "survey.comment" } });

        var response = await Host.PostFormAsync("/slack/interactivity", new Dictionary<string, string> { ["payload"] = payload });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Interactivity_MalformedPayload_IsA400()
    {
        var response = await Host.PostFormAsync("/slack/interactivity", new Dictionary<string, string> { ["payload"] = "{not json" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private Dictionary<string, string> Command(string text, string trigger) => new()
    {
        ["token"] = "legacy-verification-token",
        ["team_id"] = "T0HOME",
        ["team_domain"] = "home",
        ["channel_id"] = "C0GROWTH",
        ["channel_name"] = "growth",
        ["user_id"] = "U0STAFF",
        ["user_name"] = "staff",
        ["command"] = "/growth",
        ["text"] = text,
        ["api_app_id"] = "A0GROWTH",
        ["response_url"] = Slack.ResponseUrl(trigger),
        ["trigger_id"] = $"{trigger}.47445629121.803a0bc887a14d10d2c447fce8b6703c",
    };
}

/// <summary>With no token or secret, the Slack endpoints say so instead of failing.</summary>
public sealed class SlackNotConfiguredTests : IDisposable
{
    private readonly TempStore _store = new();

    [Fact]
    public async Task Endpoints_WithoutCredentials_SayTheyAreNotConfigured()
    {
        using var factory = new Hosting.GrowthBotFactory(_store.DbPath, "Production");
        using var client = factory.CreateClient();
        using var content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");

        var response = await client.PostAsync(new Uri("/slack/events", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Slack is not configured", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => _store.Dispose();
}
