using GrowthBot.Slack.Installations;
using GrowthBot.Core.Conversations;
using GrowthBot.Slack;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>Proactive sends (digests, survey invitations) through the Web API against the loopback fake.</summary>
public sealed class SlackChatSenderTests : IAsyncLifetime
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
    public async Task Send_UploadsTheChartPrivatelyThenShowsItInlineInThePost_AndUpdateEditsIt()
    {
        var sender = Sender();
        var message = new ChatMessage("Digest", [new HeaderBlock("Digest"), new ImageBlock([0x89, 0x50, 0x4E, 0x47], "NPS, 12 weeks", "NPS rising")]);

        var posted = await sender.SendAsync(new ChatAddress(ChatPlatform.Slack, "C1"), message, CancellationToken.None);
        await sender.UpdateAsync(posted, ChatMessage.Plain("Thanks!"), CancellationToken.None);

        Assert.Equal("C1", posted.Address.ConversationId);
        Assert.Equal(["files.getUploadURLExternal", "upload", "files.completeUploadExternal", "chat.postMessage", "chat.update"], _slack.Calls.Select(call => call.Method));
        Assert.False(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(_slack.Calls[2].Body).ContainsKey("channel_id"), "uploaded privately, shown by the post");
        var image = _slack.Calls[3].Json.GetProperty("blocks").EnumerateArray().Single(block => block.GetProperty("type").GetString() == "image");
        Assert.Equal("F0CHART", image.GetProperty("slack_file").GetProperty("id").GetString());
        Assert.Equal("NPS rising", image.GetProperty("alt_text").GetString());
        Assert.Equal("NPS, 12 weeks", image.GetProperty("title").GetProperty("text").GetString());
        Assert.Equal(posted.MessageId, _slack.Calls[^1].Json.GetProperty("ts").GetString());
        Assert.Equal("Thanks!", _slack.Calls[^1].Json.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("file_uploads_disabled")]
    [InlineData("http_403")]
    public async Task Send_ChartCannotBeUploaded_PostsOnceAndReportsTheMessageSent(string refusal)
    {
        if (refusal == "http_403") _slack.FailWithStatus("files.getUploadURLExternal", 403);
        else _slack.FailNext("files.getUploadURLExternal", refusal);
        var message = new ChatMessage("Digest", [new HeaderBlock("Digest"), new ImageBlock([0x89, 0x50, 0x4E, 0x47], "NPS, 12 weeks", "NPS rising")]);

        var posted = await Sender().SendAsync(new ChatAddress(ChatPlatform.Slack, "C1"), message, CancellationToken.None);

        var post = Assert.Single(_slack.Calls, call => call.Method == "chat.postMessage");
        Assert.DoesNotContain("\"image\"", post.Body, StringComparison.Ordinal);
        Assert.Equal(_slack.Stored("C1").Single().GetProperty("ts").GetString(), posted.MessageId);
    }

    [Fact]
    public async Task Send_PostRefusedBecauseOfItsInlineChart_IsPostedOnceWithoutIt()
    {
        _slack.FailNext("chat.postMessage", "invalid_blocks");
        var message = new ChatMessage("Digest", [new HeaderBlock("Digest"), new ImageBlock([0x89, 0x50, 0x4E, 0x47], "NPS, 12 weeks", "NPS rising")]);

        var posted = await Sender().SendAsync(new ChatAddress(ChatPlatform.Slack, "C1"), message, CancellationToken.None);

        var stored = Assert.Single(_slack.Stored("C1"));
        Assert.Equal(stored.GetProperty("ts").GetString(), posted.MessageId);
        var retried = _slack.Calls.Single(call => call.Method == "chat.postMessage");
        Assert.DoesNotContain("slack_file", retried.Body, StringComparison.Ordinal);
        Assert.Contains("slack_file", _slack.Calls.Single(call => call.Method == "chat.postMessage!scripted").Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ChartUpload_CarriesTheAltText()
    {
        var message = new ChatMessage("Digest", [new ImageBlock([0x89, 0x50, 0x4E, 0x47], "NPS, 12 weeks", "NPS rose from 31 to 38")]);

        await Sender().SendAsync(new ChatAddress(ChatPlatform.Slack, "C1"), message, CancellationToken.None);

        var ticket = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(_slack.Calls.Single(call => call.Method == "files.getUploadURLExternal").Body);
        Assert.Equal("NPS rose from 31 to 38", ticket["alt_txt"].ToString());
    }

    [Fact]
    public async Task Send_5xxAfterSlackStoredThePost_CountsAsSentAndIsNotPostedAgain()
    {
        _slack.FailAfterApplying("chat.postMessage", 503);

        var posted = await Sender().SendAsync(new ChatAddress(ChatPlatform.Slack, "C1"), ChatMessage.Plain("Weekly digest"), CancellationToken.None);

        var stored = Assert.Single(_slack.Stored("C1"));
        Assert.Equal(stored.GetProperty("ts").GetString(), posted.MessageId);
        Assert.Single(_slack.Calls, call => call.Method.StartsWith("chat.postMessage", StringComparison.Ordinal));
        Assert.Contains(_slack.Calls, call => call.Method == "conversations.history");
    }

    [Fact]
    public async Task Send_5xxBeforeSlackStoredIt_IsTransientAndNotRetriedBlindly()
    {
        _slack.FailWithStatus("chat.postMessage", 500);

        var exception = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            Sender().SendAsync(new ChatAddress(ChatPlatform.Slack, "C1"), ChatMessage.Plain("Weekly digest"), CancellationToken.None));

        Assert.Equal(ChatDeliveryFailure.Transient, exception.Failure);
        Assert.Single(_slack.Calls, call => call.Method.StartsWith("chat.postMessage", StringComparison.Ordinal));
        Assert.Empty(_slack.Stored("C1"));
    }

    [Fact]
    public async Task Send_HttpClientTimeout_IsATransientDeliveryFailure()
    {
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        _slack.HangNext("chat.postMessage");
        var sender = new SlackChatSender(SlackInstallations.SingleToken(new SlackWebApiClient(impatient, Options.Create(Settings()), _time, NullLogger<SlackWebApiClient>.Instance), Options.Create(Settings())),
            Options.Create(Settings()), NullLogger<SlackChatSender>.Instance);

        var exception = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            sender.SendAsync(new ChatAddress(ChatPlatform.Slack, "C1"), ChatMessage.Plain("Weekly digest"), CancellationToken.None));

        Assert.Equal(ChatDeliveryFailure.Transient, exception.Failure);
        Assert.Contains("timeout", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenDirect_ReturnsTheDmChannel()
    {
        var address = await Sender().OpenDirectAsync("U1", null, CancellationToken.None);

        Assert.Equal(new ChatAddress(ChatPlatform.Slack, "D0OPENED"), address);
    }

    [Theory]
    [InlineData("is_archived", ChatDeliveryFailure.ConversationUnavailable)]
    [InlineData("not_in_channel", ChatDeliveryFailure.ConversationUnavailable)]
    [InlineData("channel_not_found", ChatDeliveryFailure.ConversationUnavailable)]
    [InlineData("token_revoked", ChatDeliveryFailure.Unauthorized)]
    [InlineData("msg_too_long", ChatDeliveryFailure.Rejected)]
    [InlineData("fatal_error", ChatDeliveryFailure.Transient)]       // looked up, not in the channel: safe to send again
    [InlineData("msg_blocks_too_long", ChatDeliveryFailure.Rejected)]
    [InlineData("team_access_not_granted", ChatDeliveryFailure.Unauthorized)]
    [InlineData("a_code_slack_adds_next_year", ChatDeliveryFailure.Rejected)]
    public async Task Refusals_SayWhetherTryingAgainCanHelp(string error, ChatDeliveryFailure failure)
    {
        _slack.FailNext("chat.postMessage", error);

        var exception = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            Sender().SendAsync(new ChatAddress(ChatPlatform.Slack, "C1"), ChatMessage.Plain("x"), CancellationToken.None));

        Assert.Equal(failure, exception.Failure);
        Assert.Contains(error, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAToken_SendingSaysSlackIsNotConfigured()
    {
        var sender = new SlackChatSender(SlackInstallations.SingleToken(Client(), Options.Create(new SlackOptions())), Options.Create(new SlackOptions()), NullLogger<SlackChatSender>.Instance);

        var exception = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            sender.SendAsync(new ChatAddress(ChatPlatform.Slack, "C1"), ChatMessage.Plain("x"), CancellationToken.None));

        Assert.Equal(ChatDeliveryFailure.NotConfigured, exception.Failure);
        Assert.Empty(_slack.Calls);
    }

    [Fact]
    public async Task SendOnce_Resumed_FindsThePostAnEarlierAttemptMade_AndDoesNotPostItAgain()
    {
        var sender = Sender();
        var address = new ChatAddress(ChatPlatform.Slack, "C1");
        var first = await sender.SendOnceAsync(address, ChatMessage.Plain("Weekly digest"), "digest:sub-1:2026-W47", false, CancellationToken.None);   // then the host died
        await sender.SendAsync(address, ChatMessage.Plain("someone else's message"), CancellationToken.None);

        var resumed = await sender.SendOnceAsync(address, ChatMessage.Plain("Weekly digest"), "digest:sub-1:2026-W47", true, CancellationToken.None);

        Assert.Equal(first.MessageId, resumed.MessageId);
        Assert.Equal(2, _slack.Calls.Count(call => call.Method == "chat.postMessage"));
        Assert.Contains("include_all_metadata=true", Assert.Single(_slack.Calls, call => call.Method == "conversations.history").Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendOnce_Resumed_WithNoEarlierPost_PostsCarryingTheSendId_AndFresh_DoesNotLook()
    {
        var sender = Sender();
        var address = new ChatAddress(ChatPlatform.Slack, "C1");

        await sender.SendOnceAsync(address, ChatMessage.Plain("Weekly digest"), "digest:sub-1:2026-W47", true, CancellationToken.None);
        await sender.SendOnceAsync(address, ChatMessage.Plain("Weekly digest"), "digest:sub-1:2026-W48", false, CancellationToken.None);

        Assert.Equal(["conversations.history", "chat.postMessage", "chat.postMessage"], _slack.Calls.Select(call => call.Method));
        Assert.Equal(["digest:sub-1:2026-W47", "digest:sub-1:2026-W48"],
            _slack.Calls.Where(call => call.Method == "chat.postMessage").Select(call => call.Json.GetProperty("metadata").GetProperty("event_payload").GetProperty("post_id").GetString()));
    }

    [Fact]
    public async Task SendOnce_Resumed_HistoryRefusedForGood_PostsAnyway_ForNow_IsTransient()
    {
        var sender = Sender();
        var address = new ChatAddress(ChatPlatform.Slack, "C1");
        _slack.FailNext("conversations.history", "missing_scope");
        await sender.SendOnceAsync(address, ChatMessage.Plain("Weekly digest"), "digest:sub-1:2026-W47", true, CancellationToken.None);
        _slack.FailWithStatus("conversations.history", 503);

        var failed = await Assert.ThrowsAsync<ChatDeliveryException>(() => sender.SendOnceAsync(address, ChatMessage.Plain("Weekly digest"), "digest:sub-1:2026-W48", true, CancellationToken.None));

        Assert.True(failed.IsTransient);
        Assert.Single(_slack.Calls, call => call.Method == "chat.postMessage");
    }

    private SlackChatSender Sender() => new(SlackInstallations.SingleToken(Client(), Options.Create(Settings())), Options.Create(Settings()), NullLogger<SlackChatSender>.Instance);

    private SlackOptions Settings() => new() { BotToken = "xoxb-test-token", SigningSecret = "s", ApiBaseUrl = _slack.ApiBaseUrl, MinimumChannelInterval = TimeSpan.Zero };

    private SlackWebApiClient Client() => new(_http, Options.Create(Settings()), _time, NullLogger<SlackWebApiClient>.Instance);
}
