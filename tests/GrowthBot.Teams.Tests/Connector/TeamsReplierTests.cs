using System.Net;
using System.Text.Json;
using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Connector;
using GrowthBot.Teams.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Teams.Tests.Connector;

/// <summary>Answers go back as replies at the activity's service URL; permanent refusals are dropped, transient ones thrown for a later retry.</summary>
public sealed class TeamsReplierTests : IDisposable
{
    private const string Chat = "a:1chat";
    private const string ServiceUrl = "http://127.0.0.1:9/emea/";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
    private readonly StubHttp _http = new();
    private readonly BotTokenProvider _tokens;
    private readonly MemoryConversationDirectory _conversations = new();
    private readonly TeamsReplier _replier;

    public TeamsReplierTests()
    {
        var options = Options.Create(new TeamsOptions { MaxRetries = 0 });
        _tokens = new BotTokenProvider(_http.CreateClient("t"), options, _time, NullLogger<BotTokenProvider>.Instance);
        var connector = new TeamsConnectorClient(_http.CreateClient("c"), _tokens, new ConversationLimiter(_time), options, _time, NullLogger<TeamsConnectorClient>.Instance);
        _replier = new TeamsReplier(connector, new TeamsBotIdentity(options), _conversations, NullLogger<TeamsReplier>.Instance);
    }

    public void Dispose()
    {
        _tokens.Dispose();
        _http.Dispose();
    }

    private static IncomingMessage Message(string? serviceUrl = ServiceUrl, string? replyTo = "1764151200123") =>
        new(ChatPlatform.Teams, $"{Chat}|{replyTo}", Chat, replyTo, new Requester(ChatPlatform.Teams, "aad-ana", "t", false), "help", DateTimeOffset.UnixEpoch, serviceUrl);

    private static string ReplyPath => $"/emea/v3/conversations/{Uri.EscapeDataString(Chat)}/activities/1764151200123";

    [Fact]
    public async Task Reply_GoesToTheActivityAtItsServiceUrl()
    {
        _http.OnJson(ReplyPath, () => "{\"id\":\"1:r\"}");

        await _replier.ReplyAsync(Message(), ChatMessage.Plain("Hello"), CancellationToken.None);

        var request = Assert.Single(_http.Requests);
        Assert.Equal("Hello", JsonDocument.Parse(request.Body).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Reply_WithoutAServiceUrl_UsesTheRememberedConversation()
    {
        _http.OnJson(ReplyPath, () => "{\"id\":\"1:r\"}");
        _conversations.Remember(new KnownConversation(ChatPlatform.Teams, Chat, ConversationKind.Personal, "t", null, null, "aad-ana", ServiceUrl, DateTimeOffset.UnixEpoch));

        await _replier.ReplyAsync(Message(serviceUrl: null), ChatMessage.Plain("Hello"), CancellationToken.None);

        Assert.Single(_http.Requests);
    }

    [Fact]
    public async Task Reply_BotBlocked_IsLoggedAndDropped()
    {
        _http.On(ReplyPath, _ => StubHttp.Json(HttpStatusCode.Forbidden, "{\"error\":{\"code\":\"ConversationBlockedByUser\",\"message\":\"User blocked the conversation with the bot.\"}}"));

        await _replier.ReplyAsync(Message(), ChatMessage.Plain("Hello"), CancellationToken.None);

        Assert.Single(_http.Requests);
    }

    [Fact]
    public async Task Reply_TeamsFailing_IsThrownSoTheMessageStaysPending()
    {
        _http.On(ReplyPath, _ => StubHttp.Json(HttpStatusCode.BadGateway, "{}"));

        var failure = await Assert.ThrowsAsync<ChatDeliveryException>(() => _replier.ReplyAsync(Message(), ChatMessage.Plain("Hello"), CancellationToken.None));

        Assert.True(failure.IsTransient);
    }
}
