using System.Net;
using System.Text.Json;
using GrowthBot.Host.Tests.Slack;

namespace GrowthBot.Host.Tests.Security;

/// <summary>
/// Issue 18, item 3: with every log level opened up (as when appsettings.json is missed, or more),
/// no response_url, token or signature reaches the logs; refusals are logged once per interval.
/// </summary>
public sealed class LogHygieneTests : IAsyncLifetime
{
    private const string UrlSecret = "T0HOME1234567890SeCrEtPaRtOfTheResponseUrl";
    private readonly TempStore _store = new();
    private FakeSlackWebApi _slack = null!;
    private SlackHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackWebApi.StartAsync();
        _host = new SlackHostFactory(_slack, _store.DbPath, new EchoHandler(), settings: new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
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
    public async Task ButtonPress_AnsweredThroughItsResponseUrl_LogsNoResponseUrlTokenOrSignature()
    {
        var payload = JsonSerializer.Serialize(new
        {
            type = "block_actions",
            token = "legacy-verification-token-Zq81",
            user = new { id = "U0STAFF", team_id = "T0HOME", name = "staff" },
            team = new { id = "T0HOME" },
            channel = new { id = "C0GROWTH" },
            message = new { ts = "1732615200.000100" },
            response_url = _slack.ResponseUrl(UrlSecret),
            trigger_id = "13345224609.738474920.8088930838d88f008e0",
            actions = new[] { new { action_id = "metric.explain#0", block_id = "b1", value = "explain churn this month", type = "button", action_ts = "1732615999.123456" } },
        });

        using var response = await _host.PostFormAsync("/slack/interactivity", new Dictionary<string, string> { ["payload"] = payload });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _slack.WaitForAsync("response_url");
        using var command = await _host.PostFormAsync("/slack/commands", new Dictionary<string, string>
        {
            ["token"] = "legacy-verification-token-Zq81",
            ["team_id"] = "T0HOME",
            ["channel_id"] = "C0GROWTH",
            ["user_id"] = "U0STAFF",
            ["command"] = "/growth",
            ["text"] = "churn",
            ["response_url"] = _slack.ResponseUrl(UrlSecret + "2"),
            ["trigger_id"] = "2.47445629121.803a0bc887a14d10d2c447fce8b6703c",
        });
        Assert.Equal(HttpStatusCode.OK, command.StatusCode);
        using var oauth = await _host.CreateClient().GetAsync("/slack/oauth_redirect?code=OAUTHCODE-S3cr3t&state=whatever");

        var lines = _host.Logs.Lines;
        Assert.NotEmpty(lines);
        foreach (var secret in new[] { "SeCrEtPaRt", "/respond/", "legacy-verification-token-Zq81", "xoxb-test-token", SlackHostFactory.SigningSecret, "v0=", "OAUTHCODE-S3cr3t" })
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task BadSignatures_Flood_AreLoggedOncePerIntervalWithACountAndNoStackTrace()
    {
        for (var i = 0; i < 20; i++)
        {
            using var refused = await _host.PostSignedAsync("/slack/events", """{"type":"url_verification","challenge":"x"}""", "application/json", secret: "not-the-secret");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        Assert.Single(Refusals());

        _host.Time.Advance(TimeSpan.FromMinutes(1));
        using (await _host.PostSignedAsync("/slack/events", """{"type":"url_verification","challenge":"x"}""", "application/json", secret: "not-the-secret"))
        {
        }

        var lines = Refusals();
        Assert.Equal(2, lines.Count);
        Assert.Contains("0 more refused", lines[0], StringComparison.Ordinal);
        Assert.Contains("19 more refused", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(_host.Logs.Lines, line => line.Contains("   at ", StringComparison.Ordinal));
    }

    private List<string> Refusals() => _host.Logs.Lines.Where(line => line.Contains("Refused a Slack request", StringComparison.Ordinal)).ToList();
}
