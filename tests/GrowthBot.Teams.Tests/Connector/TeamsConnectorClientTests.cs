using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Connector;
using GrowthBot.Teams.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Teams.Tests.Connector;

/// <summary>The connector REST calls: paths, tokens, retries honouring Retry-After on the injected clock, and failures told apart.</summary>
public sealed class TeamsConnectorClientTests : IDisposable
{
    private const string Chat = "a:1Fq3Uh7h8p2sO6wR9lJxKkQ_AnaPersonalChat_w8Zz";
    private static readonly Uri ServiceUrl = new("http://127.0.0.1:9/emea");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
    private readonly StubHttp _http = new();
    private readonly BotTokenProvider _tokens;
    private readonly TeamsConnectorClient _client;

    public TeamsConnectorClientTests()
    {
        var options = Options.Create(new TeamsOptions { AppId = "app-1", AppPassword = "s3cret", TokenEndpoint = "http://127.0.0.1:9/token", MaxRetries = 3 });
        _http.OnJson("/token", () => "{\"expires_in\":3600,\"access_token\":\"app-token\"}");
        _http.OnJson($"/emea/v3/conversations/{Uri.EscapeDataString(Chat)}/activities/1764151200123", () => "{\"id\":\"1:reply\"}");
        _http.OnJson($"/emea/v3/conversations/{Uri.EscapeDataString(Chat)}/activities", () => "{\"id\":\"1:sent\"}");
        _http.OnJson("/emea/v3/conversations", () => "{\"id\":\"a:1created\"}");
        _tokens = new BotTokenProvider(_http.CreateClient("t"), options, _time, NullLogger<BotTokenProvider>.Instance);
        _client = new TeamsConnectorClient(_http.CreateClient("c"), _tokens, new ConversationLimiter(_time), options, _time, NullLogger<TeamsConnectorClient>.Instance, jitter: () => 0.5);
    }

    public void Dispose()
    {
        _tokens.Dispose();
        _http.Dispose();
    }

    private static JsonObject Hello() => new() { ["type"] = "message", ["text"] = "hello" };

    private IEnumerable<RecordedRequest> ToConnector => _http.Requests.Where(request => request.Uri.AbsolutePath.StartsWith("/emea/", StringComparison.Ordinal));

    [Fact]
    public async Task Reply_PostsToTheActivityWithTheAppToken()
    {
        var id = await _client.ReplyAsync(ServiceUrl, Chat, "1764151200123", Hello(), CancellationToken.None);

        Assert.Equal("1:reply", id);
        var request = Assert.Single(ToConnector);
        Assert.Equal("Bearer app-token", request.Authorization);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("1764151200123", body.GetProperty("replyToId").GetString());
        Assert.Equal(Chat, body.GetProperty("conversation").GetProperty("id").GetString());
    }

    private static string ActivityPath(string activityId) => $"/emea/v3/conversations/{Uri.EscapeDataString(Chat)}/activities/{Uri.EscapeDataString(activityId)}";

    [Fact]
    public async Task Delete_SendsDeleteForTheActivityWithTheAppToken()
    {
        _http.On(ActivityPath("1:stale"), _ => new HttpResponseMessage(HttpStatusCode.OK));

        await _client.DeleteAsync(ServiceUrl, Chat, "1:stale", CancellationToken.None);

        var request = Assert.Single(ToConnector);
        Assert.Equal(HttpMethod.Delete, request.Method);
        Assert.Equal("Bearer app-token", request.Authorization);
    }

    [Fact]
    public async Task Delete_OfAnActivityAlreadyGone_404_CountsAsDone()
    {
        _http.On(ActivityPath("1:gone"), _ => StubHttp.Json(HttpStatusCode.NotFound, """{"error":{"code":"ActivityNotFoundInConversation","message":"The activity was not found in the conversation."}}"""));

        await _client.DeleteAsync(ServiceUrl, Chat, "1:gone", CancellationToken.None);

        Assert.Single(ToConnector);
    }

    [Theory]
    [InlineData("update")]
    [InlineData("delete")]
    public async Task UpdateOrDelete_Forbidden_IsConversationUnavailable_NotRetried(string operation)
    {
        _http.On(ActivityPath("1:card"), _ => StubHttp.Json(HttpStatusCode.Forbidden, """{"error":{"code":"BotNotInConversationRoster","message":"The bot is not part of the conversation roster."}}"""));

        var failure = await Assert.ThrowsAsync<ChatDeliveryException>(() => operation == "update"
            ? _client.UpdateAsync(ServiceUrl, Chat, "1:card", Hello(), CancellationToken.None)
            : _client.DeleteAsync(ServiceUrl, Chat, "1:card", CancellationToken.None));

        Assert.Equal(ChatDeliveryFailure.ConversationUnavailable, failure.Failure);
        Assert.Single(ToConnector);
    }

    [Fact]
    public async Task Update_OfADeletedActivity_404_IsConversationUnavailable()
    {
        _http.On(ActivityPath("1:deleted"), _ => StubHttp.Json(HttpStatusCode.NotFound, """{"error":{"code":"ActivityNotFoundInConversation","message":"The activity was not found in the conversation."}}"""));

        var failure = await Assert.ThrowsAsync<ChatDeliveryException>(() => _client.UpdateAsync(ServiceUrl, Chat, "1:deleted", Hello(), CancellationToken.None));

        Assert.Equal(ChatDeliveryFailure.ConversationUnavailable, failure.Failure);
    }

    [Fact]
    public async Task Delete_Throttled_WaitsRetryAfter_ThenDeletes()
    {
        _http.On(ActivityPath("1:stale"), _ => new HttpResponseMessage(HttpStatusCode.OK));
        _http.Next(ActivityPath("1:stale"), _ =>
        {
            var response = StubHttp.Json(HttpStatusCode.TooManyRequests, """{"error":{"code":"ThrottledRequest","message":"Too many requests"}}""");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3));
            return response;
        });

        var deleting = _client.DeleteAsync(ServiceUrl, Chat, "1:stale", CancellationToken.None);
        await WaitForConnectorCallsAsync(1);
        _time.Advance(TimeSpan.FromSeconds(3));

        await deleting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, ToConnector.Count());
    }

    [Fact]
    public async Task Update_5xxAfterTheWrite_IsTransient_AndNotRepeated()
    {
        _http.On(ActivityPath("1:card"), _ => StubHttp.Json(HttpStatusCode.BadGateway, "{}"));

        var failure = await Assert.ThrowsAsync<ChatDeliveryException>(() => _client.UpdateAsync(ServiceUrl, Chat, "1:card", Hello(), CancellationToken.None));

        Assert.True(failure.IsTransient);
        Assert.Single(ToConnector);
    }

    [Fact]
    public async Task CreateDirect_AsksForAOneToOneChatInTheTenant()
    {
        var created = await _client.CreateDirectAsync(ServiceUrl, "tenant-1", "aad-ana", "28:app-1", CancellationToken.None);

        Assert.Equal("a:1created", created.Id);
        var body = JsonDocument.Parse(Assert.Single(ToConnector).Body).RootElement;
        Assert.False(body.GetProperty("isGroup").GetBoolean());
        Assert.Equal("aad-ana", body.GetProperty("members")[0].GetProperty("id").GetString());
        Assert.Equal("tenant-1", body.GetProperty("tenantId").GetString());
        Assert.Equal("28:app-1", body.GetProperty("bot").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Send_Throttled_WaitsRetryAfterOnTheClock_ThenSucceeds()
    {
        var path = $"/emea/v3/conversations/{Uri.EscapeDataString(Chat)}/activities";
        _http.Next(path, _ =>
        {
            var response = StubHttp.Json(HttpStatusCode.TooManyRequests, "{}");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return response;
        });

        var sending = _client.SendAsync(ServiceUrl, Chat, Hello(), CancellationToken.None);
        await WaitForConnectorCallsAsync(1);
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.False(sending.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("1:sent", await sending.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, ToConnector.Count());
    }

    [Theory]
    [InlineData(HttpStatusCode.PreconditionFailed)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task Send_AnswerThatMayHavePosted_IsNotRepeated_AndIsTransient(HttpStatusCode status)
    {
        // A 5xx after the write: Teams may have posted the message. Repeating the POST could post it twice.
        _http.Next($"/emea/v3/conversations/{Uri.EscapeDataString(Chat)}/activities", _ => StubHttp.Json(status, "{}"));

        var failure = await Assert.ThrowsAsync<ChatDeliveryException>(() => _client.SendAsync(ServiceUrl, Chat, Hello(), CancellationToken.None));

        Assert.True(failure.IsTransient);
        Assert.Single(ToConnector);
    }

    [Fact]
    public async Task Send_ConnectionRefused_IsRetriedAfterABackoff()
    {
        var path = $"/emea/v3/conversations/{Uri.EscapeDataString(Chat)}/activities";
        _http.Next(path, _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:9)"));

        var sending = _client.SendAsync(ServiceUrl, Chat, Hello(), CancellationToken.None);
        await WaitForConnectorCallsAsync(1);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("1:sent", await sending.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, ToConnector.Count());
    }

    [Fact]
    public async Task Send_ConnectionDroppedAfterTheRequestWentOut_IsNotRepeated()
    {
        _http.Next($"/emea/v3/conversations/{Uri.EscapeDataString(Chat)}/activities", _ => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));

        var failure = await Assert.ThrowsAsync<ChatDeliveryException>(() => _client.SendAsync(ServiceUrl, Chat, Hello(), CancellationToken.None));

        Assert.True(failure.IsTransient);
        Assert.Single(ToConnector);
    }

    [Fact]
    public async Task Send_StillThrottledAfterEveryRetry_IsTransient()
    {
        var path = $"/emea/v3/conversations/{Uri.EscapeDataString(Chat)}/activities";
        _http.On(path, _ => StubHttp.Json(HttpStatusCode.TooManyRequests, "{}"));

        var sending = _client.SendAsync(ServiceUrl, Chat, Hello(), CancellationToken.None);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await WaitForConnectorCallsAsync(attempt);
            _time.Advance(TimeSpan.FromSeconds(Math.Pow(2, attempt - 1)));
        }

        var failure = await Assert.ThrowsAsync<ChatDeliveryException>(() => sending.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(failure.IsTransient);
        Assert.Equal(4, ToConnector.Count());
    }

    [Fact]
    public void Backoff_IsSpreadByJitter()
    {
        var options = Options.Create(new TeamsOptions());
        TeamsConnectorClient With(double draw) => new(_http.CreateClient("j"), _tokens, new ConversationLimiter(_time), options, _time, NullLogger<TeamsConnectorClient>.Instance, jitter: () => draw);

        Assert.Equal(TimeSpan.FromSeconds(2), With(0).Backoff(2));
        Assert.Equal(TimeSpan.FromSeconds(4), With(0.5).Backoff(2));
        Assert.Equal(TimeSpan.FromSeconds(5.96), With(0.99).Backoff(2));
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "{\"error\":{\"code\":\"ConversationBlockedByUser\",\"message\":\"User blocked the conversation with the bot.\"}}", ChatDeliveryFailure.ConversationUnavailable)]
    [InlineData(HttpStatusCode.NotFound, "{\"error\":{\"code\":\"NotFound\",\"message\":\"Conversation not found.\"}}", ChatDeliveryFailure.ConversationUnavailable)]
    [InlineData(HttpStatusCode.BadRequest, "{\"error\":{\"code\":\"BadSyntax\",\"message\":\"Invalid card\"}}", ChatDeliveryFailure.Rejected)]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, "{\"error\":{\"code\":\"MessageSizeTooBig\",\"message\":\"Message size too large\"}}", ChatDeliveryFailure.Rejected)]
    public async Task Send_PermanentRefusals_AreNotRetried(HttpStatusCode status, string body, ChatDeliveryFailure expected)
    {
        _http.Next($"/emea/v3/conversations/{Uri.EscapeDataString(Chat)}/activities", _ => StubHttp.Json(status, body));

        var failure = await Assert.ThrowsAsync<ChatDeliveryException>(() => _client.SendAsync(ServiceUrl, Chat, Hello(), CancellationToken.None));

        Assert.Equal(expected, failure.Failure);
        Assert.Single(ToConnector);
    }

    [Fact]
    public async Task Send_TokenRefused_FetchesANewTokenOnce()
    {
        _http.Next($"/emea/v3/conversations/{Uri.EscapeDataString(Chat)}/activities", _ => StubHttp.Json(HttpStatusCode.Unauthorized, "{}"));

        Assert.Equal("1:sent", await _client.SendAsync(ServiceUrl, Chat, Hello(), CancellationToken.None));
        Assert.Equal(2, _http.Requests.Count(request => request.Uri.AbsolutePath == "/token"));
    }

    [Fact]
    public async Task GetMember_ReadsRoleAndTenant_NotAMemberIsNull()
    {
        _http.OnJson($"/emea/v3/conversations/{Uri.EscapeDataString(Chat)}/members/aad-guest",
            () => "{\"id\":\"29:1g\",\"name\":\"Gus Guest\",\"objectId\":\"aad-guest\",\"tenantId\":\"tenant-1\",\"userRole\":\"guest\"}");

        var guest = await _client.GetMemberAsync(ServiceUrl, Chat, "aad-guest", CancellationToken.None);
        var nobody = await _client.GetMemberAsync(ServiceUrl, Chat, "aad-nobody", CancellationToken.None);

        Assert.NotNull(guest);
        Assert.True(guest.IsGuest);
        Assert.Equal("tenant-1", guest.TenantId);
        Assert.Equal("aad-guest", guest.AadObjectId); // Teams documents the object id as "objectId"
        Assert.Null(nobody);
    }

    private Task WaitForConnectorCallsAsync(int count) =>
        _http.WaitForAsync(request => request.Uri.AbsolutePath.StartsWith("/emea/", StringComparison.Ordinal), count);
}
