using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GrowthBot.Slack.Simulator;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Host.Tests.SlackSim;

/// <summary>The simulator's Web API answers and fails as Slack's does, so the bot meets the same errors locally.</summary>
public sealed class SimWebApiTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
    private readonly StringWriter _output = new();
    private readonly string _files = Path.Combine(Path.GetTempPath(), "growthbot-tests", Guid.NewGuid().ToString("N"));
    private readonly HttpClient _http = new();
    private SlackSimulator _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await SlackSimulator.StartAsync(new SimOptions { FilesFolder = _files }, TextWriter.Synchronized(_output), _time);

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        _http.Dispose();
        if (Directory.Exists(_files)) Directory.Delete(_files, recursive: true);
    }

    [Fact]
    public async Task Call_WithoutOrWithAWrongToken_IsRefusedAsSlackRefusesIt()
    {
        Assert.Equal("not_authed", (await CallAsync("auth.test", "{}", token: null)).GetProperty("error").GetString());
        Assert.Equal("invalid_auth", (await CallAsync("auth.test", "{}", token: "xoxb-1-2-revoked")).GetProperty("error").GetString());
        var identity = await CallAsync("auth.test", "{}");
        Assert.True(identity.GetProperty("ok").GetBoolean());
        Assert.Equal((_simulator.Workspace.TeamId, _simulator.Workspace.Bot.Id), (identity.GetProperty("team_id").GetString(), identity.GetProperty("user_id").GetString()));
    }

    [Fact]
    public async Task PostMessage_BadArguments_GetSlacksErrorCodes()
    {
        Assert.Equal("channel_not_found", (await CallAsync("chat.postMessage", """{"channel":"C0NOWHERE","text":"hi"}""")).GetProperty("error").GetString());
        Assert.Equal("no_text", (await CallAsync("chat.postMessage", $$"""{"channel":"{{_simulator.Workspace.General.Id}}"}""")).GetProperty("error").GetString());
        Assert.Equal("invalid_blocks", (await CallAsync("chat.postMessage", $$"""{"channel":"{{_simulator.Workspace.General.Id}}","text":"x","blocks":[{"text":"no type"}]}""")).GetProperty("error").GetString());
        Assert.Equal("message_not_found", (await CallAsync("chat.update", $$"""{"channel":"{{_simulator.Workspace.General.Id}}","ts":"1.000100","text":"x"}""")).GetProperty("error").GetString());
        Assert.Equal("unknown_method", (await CallAsync("chat.frobnicate", "{}")).GetProperty("error").GetString());
    }

    [Fact]
    public async Task PostMessage_IsShownReadably_WithControlCharactersEscaped()
    {
        var posted = await CallAsync("chat.postMessage", $$$"""
            {"channel":"{{{_simulator.Workspace.General.Id}}}","text":"fallback","blocks":[
              {"type":"header","text":{"type":"plain_text","text":"Q&amp;A"}},
              {"type":"section","text":{"type":"mrkdwn","text":"*Hi* <@{{{_simulator.Workspace.You.Id}}}>, see <#{{{_simulator.Workspace.General.Id}}}|general> \u001b[2J &lt;!channel&gt;"}},
              {"type":"context","elements":[{"type":"mrkdwn","text":"n = 3"}]},
              {"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"Go"},"action_id":"go#0","value":"1"}]}]}
            """);

        Assert.True(posted.GetProperty("ok").GetBoolean());
        var shown = _output.ToString();
        Assert.Contains("── GrowthBot in #general ──", shown, StringComparison.Ordinal);
        Assert.Contains("Q&A", shown, StringComparison.Ordinal);
        Assert.Contains("Hi @alex, see #general \\u001B[2J <!channel>", shown, StringComparison.Ordinal);
        Assert.Contains("│ n = 3", shown, StringComparison.Ordinal);
        Assert.Contains("[1] Go", shown, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', shown);
        // Slack gives a block without block_id one of its own, which presses then carry.
        Assert.All(Assert.Single(_simulator.Transcript.History(_simulator.Workspace.General.Id, null)).Blocks, block => Assert.NotNull(block!["block_id"]));
    }

    [Fact]
    public async Task FailNext_RateLimited_Answers429WithRetryAfter_ThenWorksAgain()
    {
        await _simulator.HandleAsync("/fail chat.postMessage ratelimited", CancellationToken.None);
        var body = $$"""{"channel":"{{_simulator.Workspace.General.Id}}","text":"hi"}""";

        using var limited = await SendAsync("chat.postMessage", body, _simulator.Workspace.BotToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.Delta);
        Assert.True((await CallAsync("chat.postMessage", body)).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public void ResponseUrl_IsGoodForFiveUsesWithinThirtyMinutes()
    {
        var issued = new SimResponseUrls(_time);
        var id = issued.Issue(_simulator.Workspace.General.Id, null, null);
        for (var use = 0; use < SimResponseUrls.MaxUses; use++) Assert.NotNull(issued.Use(id).Target);
        Assert.Equal("used_url", issued.Use(id).Error);

        var later = issued.Issue(_simulator.Workspace.General.Id, null, null);
        _time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal("expired_url", issued.Use(later).Error);
        Assert.Equal("invalid_url", issued.Use("123/nope").Error);
    }

    [Fact]
    public async Task FileUpload_ThreeSteps_ShowsTheFileAndSavesIt()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 };
        var ticket = await CallFormAsync("files.getUploadURLExternal", new() { ["filename"] = "trend.png", ["length"] = "7", ["alt_txt"] = "NPS from +10 to +20" });
        var fileId = ticket.GetProperty("file_id").GetString()!;
        Assert.Equal("file_not_found", (await CallFormAsync("files.completeUploadExternal", new() { ["files"] = $$"""[{"id":"{{fileId}}"}]""", ["channel_id"] = _simulator.Workspace.General.Id })).GetProperty("error").GetString());

        using (var bytes = new ByteArrayContent(png))
        {
            using var uploaded = await _http.PostAsync(new Uri(ticket.GetProperty("upload_url").GetString()!), bytes);
            Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        }
        var completed = await CallFormAsync("files.completeUploadExternal", new() { ["files"] = $$"""[{"id":"{{fileId}}","title":"NPS trend"}]""", ["channel_id"] = _simulator.Workspace.General.Id });

        Assert.True(completed.GetProperty("ok").GetBoolean());
        Assert.Contains("📎 NPS trend — trend.png, 7 bytes, saved as", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("alt text: NPS from +10 to +20", _output.ToString(), StringComparison.Ordinal);
        Assert.Equal(png, await File.ReadAllBytesAsync(Assert.Single(Directory.GetFiles(_files))));
    }

    [Fact]
    public void EventIds_AreUniqueAcrossSessions()
    {
        // The app recognises Slack's retries by event_id: a new session must never repeat an earlier one's.
        var first = new SimPayloads(_simulator.Workspace, new SimTimestamps(_time)).EventCallback([]);
        var second = new SimPayloads(_simulator.Workspace, new SimTimestamps(_time)).EventCallback([]);

        Assert.NotEqual(first["event_id"]!.GetValue<string>(), second["event_id"]!.GetValue<string>());
        Assert.Matches("^Ev0[A-Z0-9]{8}$", first["event_id"]!.GetValue<string>());
    }

    private async Task<JsonElement> CallAsync(string method, string json, string? token = "")
    {
        using var response = await SendAsync(method, json, token == string.Empty ? _simulator.Workspace.BotToken : token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string json, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(_simulator.ApiBaseUrl), method)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    private async Task<JsonElement> CallFormAsync(string method, Dictionary<string, string> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(_simulator.ApiBaseUrl), method)) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _simulator.Workspace.BotToken);
        using var response = await _http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
