using System.Text.Json;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>
/// Socket Mode end to end: the real host with Slack__AppToken set opens a WebSocket to the
/// loopback fake (after apps.connections.open), which sends Slack's envelope shapes.
/// </summary>
public sealed class SlackSocketModeTests : IAsyncLifetime
{
    private readonly TempStore _store = new();
    private readonly EchoHandler _handler = new();
    private FakeSlackWebApi _slack = null!;
    private SlackHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackWebApi.StartAsync();
        _host = new SlackHostFactory(_slack, _store.DbPath, _handler, settings: new Dictionary<string, string>
        {
            ["Slack:AppToken"] = "xapp-1-A0GROWTH-test",
            ["Slack:SigningSecret"] = "",
            ["Slack:SocketReconnectDelay"] = "00:00:00",
        });
        _host.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _slack.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task EventEnvelope_IsAcknowledgedWithItsEnvelopeId_AndAnswered()
    {
        var socket = await _slack.NextSocketAsync();

        await socket.SendEventAsync("a1b2c3d4-0001", Fixture("app_mention.json"));

        var ack = await socket.ReceiveAsync();
        Assert.Equal("a1b2c3d4-0001", ack.GetProperty("envelope_id").GetString());
        Assert.False(ack.TryGetProperty("payload", out _));
        var post = Assert.Single(await _slack.WaitForAsync("chat.postMessage")).Json;
        Assert.Equal("You asked: what's our churn this month?", post.GetProperty("text").GetString());
        Assert.Equal("Bearer xapp-1-A0GROWTH-test", _slack.Calls.Single(call => call.Method == "apps.connections.open").Authorization);
    }

    [Fact]
    public async Task DuplicateEnvelope_IsAcknowledgedAgain_ButAnsweredOnce()
    {
        var socket = await _slack.NextSocketAsync();

        await socket.SendEventAsync("dup-0001", Fixture("message_im.json"));
        await socket.ReceiveAsync();
        // Slack re-sends an event it thinks was not acknowledged: a new envelope, the same event_id, retry_attempt 1.
        await socket.SendEventAsync("dup-0002", Fixture("message_im.json"), retryAttempt: 1);
        var second = await socket.ReceiveAsync();

        Assert.Equal("dup-0002", second.GetProperty("envelope_id").GetString());
        await _slack.WaitForAsync("chat.postMessage");
        await Task.Delay(300);
        Assert.Single(_slack.Calls, call => call.Method == "chat.postMessage");
        Assert.Single(_handler.Received);
    }

    [Fact]
    public async Task SlashCommandEnvelope_IsAcknowledgedWithTheAnswerAsPayload()
    {
        var socket = await _slack.NextSocketAsync();

        await socket.SendAsync(new
        {
            envelope_id = "cmd-0001",
            payload = new
            {
                token = "legacy", team_id = "T0HOME", team_domain = "home", channel_id = "C0GROWTH", channel_name = "growth",
                user_id = "U0STAFF", user_name = "staff", command = "/growth", text = "Q&amp;A churn", api_app_id = "A0GROWTH",
                is_enterprise_install = "false", response_url = _slack.ResponseUrl("cmd"), trigger_id = "1.47445629121.803a0bc887a14d10d2c447fce8b6703c",
            },
            type = "slash_commands",
            accepts_response_payload = true,
        });

        var ack = await socket.ReceiveAsync();
        Assert.Equal("cmd-0001", ack.GetProperty("envelope_id").GetString());
        Assert.Equal("ephemeral", ack.GetProperty("payload").GetProperty("response_type").GetString());
        Assert.Equal("You asked: Q&amp;A churn", ack.GetProperty("payload").GetProperty("text").GetString());
        Assert.Equal("Q&A churn", Assert.Single(_handler.Received).Text);
    }

    [Fact]
    public async Task InteractiveEnvelope_IsAcknowledged_AndAnsweredThroughTheResponseUrl()
    {
        var socket = await _slack.NextSocketAsync();

        await socket.SendAsync(new
        {
            envelope_id = "int-0001",
            payload = new
            {
                type = "block_actions",
                user = new { id = "U0STAFF", team_id = "T0HOME", name = "staff" },
                team = new { id = "T0HOME" },
                channel = new { id = "C0GROWTH" },
                message = new { ts = "1732615200.000100" },
                response_url = _slack.ResponseUrl("press"),
                trigger_id = "13345224609.738474920.8088930838d88f008e0",
                actions = new[] { new { action_id = "metric.explain#0", block_id = "b1", value = "explain churn", type = "button", action_ts = "1732615999.123456" } },
            },
            type = "interactive",
            accepts_response_payload = false,
        });

        Assert.Equal("int-0001", (await socket.ReceiveAsync()).GetProperty("envelope_id").GetString());
        var answer = Assert.Single(await _slack.WaitForAsync("response_url")).Json;
        Assert.Equal("You pressed metric.explain: explain churn", answer.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("refresh_requested")]
    [InlineData("warning")]
    public async Task Disconnect_OpensAFreshConnection_WhichIsServed(string reason)
    {
        var first = await _slack.NextSocketAsync();

        await first.SendDisconnectAsync(reason);
        var second = await _slack.NextSocketAsync();
        await second.SendEventAsync("after-0001", Fixture("app_mention.json"));

        Assert.NotEqual(first.Ticket, second.Ticket);
        Assert.Equal("after-0001", (await second.ReceiveAsync()).GetProperty("envelope_id").GetString());
        await first.Closed.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(2, _slack.Calls.Count(call => call.Method == "apps.connections.open"));
    }

    [Fact]
    public async Task DroppedConnection_IsOpenedAgain()
    {
        var first = await _slack.NextSocketAsync();

        first.Abort();
        var second = await _slack.NextSocketAsync();
        await second.SendEventAsync("drop-0001", Fixture("message_im.json"));

        Assert.Equal("drop-0001", (await second.ReceiveAsync()).GetProperty("envelope_id").GetString());
    }

    [Fact]
    public async Task HttpEndpoints_WithoutASigningSecret_SaySoInsteadOfAcceptingUnsignedRequests()
    {
        using var client = _host.CreateClient();
        using var content = new StringContent(Fixture("app_mention.json"), System.Text.Encoding.UTF8, "application/json");

        var response = await client.PostAsync(new Uri("/slack/events", UriKind.Relative), content);

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Socket Mode", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Slack", "Fixtures", name));
}
