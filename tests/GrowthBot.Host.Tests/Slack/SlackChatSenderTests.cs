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
    public async Task Send_PostsTheMessageThenUploadsItsChartsInItsThread_AndUpdateEditsIt()
    {
        var sender = Sender();
        var message = new ChatMessage("Digest", [new HeaderBlock("Digest"), new ImageBlock([0x89, 0x50, 0x4E, 0x47], "NPS, 12 weeks", "NPS rising")]);

        var posted = await sender.SendAsync(new ChatAddress(ChatPlatform.Slack, "C1"), message, CancellationToken.None);
        await sender.UpdateAsync(posted, ChatMessage.Plain("Thanks!"), CancellationToken.None);

        Assert.Equal("C1", posted.Address.ConversationId);
        Assert.Equal(["chat.postMessage", "files.getUploadURLExternal", "upload", "files.completeUploadExternal", "chat.update"], _slack.Calls.Select(call => call.Method));
        Assert.Equal(posted.MessageId, _slack.Calls[^1].Json.GetProperty("ts").GetString());
        Assert.Equal("Thanks!", _slack.Calls[^1].Json.GetProperty("text").GetString());
    }

    [Fact]
    public async Task OpenDirect_ReturnsTheDmChannel()
    {
        var address = await Sender().OpenDirectAsync("U1", CancellationToken.None);

        Assert.Equal(new ChatAddress(ChatPlatform.Slack, "D0OPENED"), address);
    }

    [Theory]
    [InlineData("is_archived", ChatDeliveryFailure.ConversationUnavailable)]
    [InlineData("not_in_channel", ChatDeliveryFailure.ConversationUnavailable)]
    [InlineData("channel_not_found", ChatDeliveryFailure.ConversationUnavailable)]
    [InlineData("token_revoked", ChatDeliveryFailure.Unauthorized)]
    [InlineData("msg_too_long", ChatDeliveryFailure.Rejected)]
    [InlineData("fatal_error", ChatDeliveryFailure.Transient)]
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
        var sender = new SlackChatSender(Client(), Options.Create(new SlackOptions()));

        var exception = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            sender.SendAsync(new ChatAddress(ChatPlatform.Slack, "C1"), ChatMessage.Plain("x"), CancellationToken.None));

        Assert.Equal(ChatDeliveryFailure.NotConfigured, exception.Failure);
        Assert.Empty(_slack.Calls);
    }

    private SlackChatSender Sender() => new(Client(), Options.Create(Settings()));

    private SlackOptions Settings() => new() { BotToken = "xoxb-test-token", SigningSecret = "s", ApiBaseUrl = _slack.ApiBaseUrl, MinimumChannelInterval = TimeSpan.Zero };

    private SlackWebApiClient Client() => new(_http, Options.Create(Settings()), _time, NullLogger<SlackWebApiClient>.Instance);
}
