using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;
using GrowthBot.Slack;
using GrowthBot.Slack.WebApi;
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

        await Client().UploadFileAsync("C1", "1.0", "trend.png", "Churn, 12 months", png, CancellationToken.None);

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
    public async Task Replier_PermanentRefusal_IsLoggedNotRetried()
    {
        _slack.FailNext("chat.postMessage", "not_in_channel");
        var replier = new SlackReplier(Client(), NullLogger<SlackReplier>.Instance);
        var message = new IncomingMessage(ChatPlatform.Slack, "T:E1", "C9", null, new Requester(ChatPlatform.Slack, "U1", "T0HOME", false), "mrr", _time.GetUtcNow());

        await replier.ReplyAsync(message, ChatMessage.Plain("answer"), CancellationToken.None);

        Assert.Single(_slack.Calls, call => call.Method.StartsWith("chat.postMessage", StringComparison.Ordinal));
    }

    private SlackWebApiClient Client(TimeSpan? interval = null) => new(
        _http,
        Options.Create(new SlackOptions
        {
            BotToken = "xoxb-test-token",
            SigningSecret = "s",
            ApiBaseUrl = _slack.ApiBaseUrl,
            MinimumChannelInterval = interval ?? TimeSpan.Zero,
        }),
        _time,
        NullLogger<SlackWebApiClient>.Instance);
}
