using GrowthBot.Slack.Installations;
using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;
using GrowthBot.Slack;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>The Web API client against the loopback fake: every method's request, errors, pacing and the upload flow.</summary>
public sealed class SlackWebApiClientTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();
    private FakeSlackWebApi _slack = null!;

    public async Task InitializeAsync() => _slack = await FakeSlackWebApi.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task Methods_SendWhatSlackExpects()
    {
        var client = Client();

        var identity = await client.AuthTestAsync(CancellationToken.None);
        var ts = await client.PostMessageAsync("C1", "1.0", "hello", [new JsonObject { ["type"] = "divider" }], CancellationToken.None);
        await client.PostEphemeralAsync("C1", "U1", null, "just you", null, CancellationToken.None);
        await client.UpdateMessageAsync("C1", ts!, "edited", null, CancellationToken.None);
        var dm = await client.OpenDirectMessageAsync("U1", CancellationToken.None);

        Assert.Equal(new SlackIdentity("T0HOME", "U0BOT", "B0GROWTH"), identity);
        Assert.StartsWith("1732615999.", ts, StringComparison.Ordinal);
        Assert.Equal("D0OPENED", dm);
        var post = _slack.Calls.Single(call => call.Method == "chat.postMessage");
        Assert.Equal("application/json; charset=utf-8", post.ContentType);
        Assert.Equal("1.0", post.Json.GetProperty("thread_ts").GetString());
        Assert.Equal("U1", _slack.Calls.Single(call => call.Method == "chat.postEphemeral").Json.GetProperty("user").GetString());
        Assert.Equal(ts, _slack.Calls.Single(call => call.Method == "chat.update").Json.GetProperty("ts").GetString());
        Assert.All(_slack.Calls, call => Assert.Equal("Bearer xoxb-test-token", call.Authorization));
    }

    [Fact]
    public async Task UploadFile_UsesTheExternalUploadFlow()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 };

        await Client().UploadFileAsync("C1", "1.0", "trend.png", "Churn, 12 months", "Churn fell", png, CancellationToken.None);

        Assert.Equal(["files.getUploadURLExternal", "upload", "files.completeUploadExternal"], _slack.Calls.Select(call => call.Method));
        Assert.Contains("length=7", _slack.Calls[0].Body, StringComparison.Ordinal);
        Assert.Contains("bytes", _slack.Calls[1].Body, StringComparison.Ordinal);
        var complete = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(_slack.Calls[2].Body);
        Assert.Equal("C1", complete["channel_id"].ToString());
        Assert.Contains("F0CHART", complete["files"].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not_in_channel", "invite it with /invite")]
    [InlineData("channel_not_found", "does not exist")]
    [InlineData("invalid_auth", "Slack__BotToken")]
    public async Task NotOk_BecomesAnExceptionWithSlacksErrorAndWhatToDo(string error, string advice)
    {
        _slack.FailNext("chat.postMessage", error);

        var exception = await Assert.ThrowsAsync<SlackApiException>(() => Client().PostMessageAsync("C1", null, "x", null, CancellationToken.None));

        Assert.Equal(error, exception.Error);
        Assert.Contains(advice, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostsToOneChannel_ArePacedButOtherChannelsAreNot()
    {
        var client = Client(TimeSpan.FromSeconds(1));

        await client.PostMessageAsync("C1", null, "first", null, CancellationToken.None);
        await client.PostMessageAsync("C2", null, "other channel", null, CancellationToken.None);
        var second = client.PostMessageAsync("C1", null, "second", null, CancellationToken.None);

        Assert.Equal(2, (await _slack.WaitForAsync("chat.postMessage", 2)).Count);
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        await second;
        Assert.Equal(3, _slack.Calls.Count(call => call.Method == "chat.postMessage"));
    }

    [Fact]
    public async Task Call_5xx_IsNotRetried_ButRateLimitsAre()
    {
        _slack.FailWithStatus("chat.update", 502);
        _slack.RateLimitNext("conversations.open", retryAfterSeconds: 0);
        _slack.FailNext("users.info", "ratelimited");
        _slack.AddUser("U1", "T0HOME");
        var client = Client();

        var update = await Assert.ThrowsAsync<SlackApiException>(() => client.UpdateMessageAsync("C1", "1.0", "x", null, CancellationToken.None));
        var dm = await client.OpenDirectMessageAsync("U1", CancellationToken.None);
        var retried = client.UserInfoAsync("U1", CancellationToken.None);
        for (var step = 0; step < 200 && !retried.IsCompleted; step++)
        {
            await Task.Delay(20);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }
        var user = await retried;

        Assert.Equal("http_502", update.Error);
        Assert.Single(_slack.Calls, call => call.Method.StartsWith("chat.update", StringComparison.Ordinal));
        Assert.Equal("D0OPENED", dm);
        Assert.Equal("U1", user.Id);
    }

    [Fact]
    public async Task Call_ConnectionRefused_IsRetriedThenUnreachable()
    {
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var client = new SlackWebApiClient(_http, Options.Create(new SlackOptions
        {
            BotToken = "xoxb-test-token", SigningSecret = "s", ApiBaseUrl = $"http://127.0.0.1:{port}/api/", MinimumChannelInterval = TimeSpan.Zero, MaxRetries = 1,
        }), _time, NullLogger<SlackWebApiClient>.Instance);

        var call = client.AuthTestAsync(CancellationToken.None);
        while (_time.GetUtcNow() < new DateTimeOffset(2026, 11, 26, 10, 0, 5, TimeSpan.Zero) && !call.IsCompleted)
        {
            await Task.Delay(20);
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        var exception = await Assert.ThrowsAsync<SlackApiException>(() => call);

        Assert.Equal(SlackApiException.Unreachable, exception.Error);
        Assert.True(SlackApiException.IsTransient(exception.Error));
    }

    [Fact]
    public async Task IdentityCache_AuthTestFailingAtStart_IsAskedAgainAndThenEveryRefresh()
    {
        _slack.FailNext("auth.test", "service_unavailable");
        var settings = Options.Create(new SlackOptions { BotToken = "xoxb-test-token", SigningSecret = "s", ApiBaseUrl = _slack.ApiBaseUrl, IdentityRefresh = TimeSpan.FromHours(1) });
        using var cache = new SlackIdentityCache(Client(), settings, _time, NullLogger<SlackIdentityCache>.Instance);

        await cache.StartAsync(CancellationToken.None);
        Assert.Null(cache.Identity);
        await AdvanceUntilAsync(() => cache.Identity is not null, TimeSpan.FromSeconds(10));
        Assert.Equal("U0BOT", cache.Identity!.UserId);
        await AdvanceUntilAsync(() => _slack.Calls.Count(call => call.Method == "auth.test") >= 2, TimeSpan.FromMinutes(5));
        await cache.StopAsync(CancellationToken.None);

        Assert.Equal(2, _slack.Calls.Count(call => call.Method == "auth.test"));
        Assert.True(_time.GetUtcNow() - new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero) >= TimeSpan.FromHours(1));
    }

    private async Task AdvanceUntilAsync(Func<bool> done, TimeSpan step)
    {
        for (var i = 0; i < 200 && !done(); i++)
        {
            _time.Advance(step);
            await Task.Delay(20);
        }
        Assert.True(done());
    }

    [Fact]
    public async Task Replier_PermanentRefusal_IsLoggedNotRetried()
    {
        _slack.FailNext("chat.postMessage", "msg_blocks_too_long");
        var replier = await Replier();
        var message = new IncomingMessage(ChatPlatform.Slack, "T:E1", "C9", null, new Requester(ChatPlatform.Slack, "U1", "T0HOME", false), "mrr", _time.GetUtcNow());

        await replier.ReplyAsync(message, ChatMessage.Plain("answer"), CancellationToken.None);

        Assert.Single(_slack.Calls, call => call.Method.StartsWith("chat.postMessage", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("token_revoked")]
    [InlineData("invalid_auth")]
    [InlineData("account_inactive")]
    public async Task DeadBotToken_SingleTokenSetup_LogsOneClearErrorLineUntilACallWorksAgain(string error)
    {
        using var logs = new GrowthBot.Host.Tests.Teams.LogCapture();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var client = Client(logger: factory.CreateLogger<SlackWebApiClient>());
        _slack.FailNext("chat.postMessage", error);
        _slack.FailNext("chat.postMessage", error);

        var first = await Assert.ThrowsAsync<SlackApiException>(() => client.PostMessageAsync("C1", null, "hello", null, CancellationToken.None));
        await Assert.ThrowsAsync<SlackApiException>(() => client.PostMessageAsync("C1", null, "hello", null, CancellationToken.None));

        Assert.Equal(error, first.Error);
        var line = Assert.Single(logs.Lines, entry => entry.StartsWith("Error", StringComparison.Ordinal));
        Assert.Contains($"refused Slack__BotToken with {error}", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain("xoxb-test-token", line, StringComparison.Ordinal);

        await client.PostMessageAsync("C1", null, "works again", null, CancellationToken.None);
        _slack.FailNext("chat.postMessage", error);
        await Assert.ThrowsAsync<SlackApiException>(() => client.PostMessageAsync("C1", null, "hello", null, CancellationToken.None));
        Assert.Equal(2, logs.Lines.Count(entry => entry.StartsWith("Error", StringComparison.Ordinal)));
    }

    private Task<SlackReplier> Replier() => SlackReplierFactory.CreateAsync(_slack, _http, _time);

    private SlackWebApiClient Client(TimeSpan? interval = null, Microsoft.Extensions.Logging.ILogger<SlackWebApiClient>? logger = null) => new(
        _http,
        Options.Create(new SlackOptions
        {
            BotToken = "xoxb-test-token",
            SigningSecret = "s",
            ApiBaseUrl = _slack.ApiBaseUrl,
            MinimumChannelInterval = interval ?? TimeSpan.Zero,
        }),
        _time,
        logger ?? NullLogger<SlackWebApiClient>.Instance);
}
