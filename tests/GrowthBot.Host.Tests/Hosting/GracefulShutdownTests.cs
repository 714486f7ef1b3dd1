using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using GrowthBot.Host.Tests.Slack;
using GrowthBot.Slack.Inbound;

namespace GrowthBot.Host.Tests.Hosting;

/// <summary>
/// SIGTERM while Slack is slow to take an answer: the real host process stops taking work, lets the
/// answer in flight finish within Host__ShutdownTimeoutSeconds and records it, so the restarted host
/// does not answer the question a second time; an answer still in flight when the timeout passes is
/// given up, logged, and sent once by the next start.
/// </summary>
public sealed partial class GracefulShutdownTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly TempStore _store = new();
    private FakeSlackWebApi _slack = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackWebApi.StartAsync();
        _slack.AddUser("U0STAFF", "T0HOME");
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task Sigterm_WhileAnAnswerIsSending_FinishesAndRecordsIt_NoSecondAnswerAfterTheRestart()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _slack.SlowNext("chat.postMessage", release.Task);
        using (var host = Start(shutdownTimeoutSeconds: 60))
        {
            await AskAsync(host);
            await _slack.WaitForAsync("chat.postMessage!scripted", 1, Limit);

            host.SendSigterm();
            Assert.True(host.WaitForOutput("finishing what is in flight (1 answer)", Limit), host.Output);
            // Slack answers only now, after the stop began: the host is still there to record it.
            release.SetResult();
            Assert.Equal(0, host.WaitForExit(Limit));
            Assert.Contains("everything in flight has finished", host.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Shutdown timeout passed", host.Output, StringComparison.Ordinal);
        }

        using (var restarted = Start(shutdownTimeoutSeconds: 60))
        {
            restarted.SendSigterm();
            Assert.Equal(0, restarted.WaitForExit(Limit));
            Assert.DoesNotContain("Re-queued", restarted.Output, StringComparison.Ordinal);
        }
        Assert.Single(_slack.Calls, call => call.Method.StartsWith("chat.postMessage", StringComparison.Ordinal));
        Assert.Single(_slack.Stored("D0DIRECT"));
    }

    [Fact]
    public async Task Sigterm_AnAnswerSlowerThanTheShutdownTimeout_IsLeftAndLogged_AndSentOnceByTheNextStart()
    {
        var never = new TaskCompletionSource();
        _slack.SlowNext("chat.postMessage", never.Task);
        using (var host = Start(shutdownTimeoutSeconds: 2))
        {
            await AskAsync(host);
            await _slack.WaitForAsync("chat.postMessage!scripted", 1, Limit);

            host.SendSigterm();
            var exit = host.WaitForExit(Limit);
            Assert.True(exit == 0 && host.Output.Contains("Shutdown timeout passed with 1 sends still in flight (1 answer)", StringComparison.Ordinal), $"exit {exit}:\n{host.Output}");
        }
        Assert.Empty(_slack.Stored("D0DIRECT"));

        using (var restarted = Start(shutdownTimeoutSeconds: 2))
        {
            Assert.True(restarted.WaitForOutput("Re-queued 1 messages", Limit), restarted.Output);
            await _slack.WaitForAsync("chat.postMessage", 1, Limit);
            restarted.SendSigterm();
            Assert.Equal(0, restarted.WaitForExit(Limit));
        }
        Assert.Single(_slack.Stored("D0DIRECT"));
    }

    [Fact]
    public void Start_ShutdownTimeoutOutOfRange_IsRefusedWithTheSettingNamed()
    {
        using var host = HostProcess.Start(_store.DbPath, "Production", new Dictionary<string, string> { ["Host__ShutdownTimeoutSeconds"] = "0" }, "--urls", "http://127.0.0.1:0");

        Assert.Equal(GrowthBot.Host.Cli.ExitCodes.BadSettings, host.WaitForExit(Limit));
        Assert.Contains("ShutdownTimeoutSeconds", host.Output, StringComparison.Ordinal);
    }

    private HostProcess Start(int shutdownTimeoutSeconds)
    {
        var host = HostProcess.Start(_store.DbPath, "Production", new Dictionary<string, string>
        {
            ["Slack__BotToken"] = "xoxb-test-token",
            ["Slack__SigningSecret"] = SlackHostFactory.SigningSecret,
            ["Slack__ApiBaseUrl"] = _slack.ApiBaseUrl,
            ["Slack__MinimumChannelInterval"] = "00:00:00",
            ["Access__SlackHomeTeamIds__0"] = "T0HOME",
            ["Company__Name"] = "Acme",
            ["Host__ShutdownTimeoutSeconds"] = shutdownTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__GrowthBot"] = "Information",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        }, "--urls", "http://127.0.0.1:0");
        Assert.True(host.WaitForOutput("Application started", Limit), host.Output);
        return host;
    }

    /// <summary>A signed Slack DM event (Slack's Events API shape), signed now: the process runs on the real clock.</summary>
    private static async Task AskAsync(HostProcess host)
    {
        using var client = new HttpClient { BaseAddress = new Uri(ListeningAddress().Match(host.Output).Groups["address"].Value + "/") };
        var body = Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Slack", "Fixtures", "message_im.json")));
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("slack/events", UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", SlackSignature.Header(timestamp, body, SlackHostFactory.SigningSecret));
        using var response = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningAddress();
}
