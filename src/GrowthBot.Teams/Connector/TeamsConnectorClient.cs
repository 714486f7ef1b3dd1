using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Auth;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Teams.Connector;

/// <summary>
/// The Bot Framework connector REST API (v3) that Teams serves at each activity's service URL:
/// reply, send, create a 1:1 conversation, update an activity, read a member. Every call carries
/// the bot's app token (none in development mode). Every call is kept within Teams' documented
/// limits by the <see cref="ConversationLimiter"/> (per conversation, per bot for creating
/// conversations, and per app per tenant). Only what certainly did not happen is retried: a 429
/// (waiting <c>Retry-After</c> when Teams gives it) and a connection that could not be made, with
/// jittered exponential backoff. Anything else (a 5xx or a timeout after the request went out may
/// have posted the message) is not repeated, so nothing is posted twice; it becomes a
/// <see cref="ChatDeliveryException"/> saying whether trying later can help, for the delivery logs.
/// </summary>
internal sealed partial class TeamsConnectorClient(
    HttpClient http,
    BotTokenProvider tokens,
    ConversationLimiter limiter,
    IOptions<TeamsOptions> options,
    TimeProvider time,
    ILogger<TeamsConnectorClient> logger,
    ConversationTenants? tenants = null,
    Func<double>? jitter = null)
{
    private readonly Func<double> _jitter = jitter ?? Random.Shared.NextDouble;

    /// <summary>The longest Retry-After honoured; a longer one is given up on at once and reported as transient.</summary>
    internal static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(2);

    /// <summary><c>POST v3/conversations/{id}/activities/{replyToId}</c>: answers an activity (in its thread for channels). Returns the new activity's id.</summary>
    public async Task<string?> ReplyAsync(Uri serviceUrl, string conversationId, string replyToId, JsonObject activity, CancellationToken cancellationToken)
    {
        activity["replyToId"] = replyToId;
        await limiter.WaitAsync(Sending(conversationId), cancellationToken).ConfigureAwait(false);
        var answer = await CallAsync(HttpMethod.Post, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(replyToId)}", Addressed(activity, conversationId), "reply", cancellationToken).ConfigureAwait(false);
        return IdOf(answer);
    }

    /// <summary><c>POST v3/conversations/{id}/activities</c>: a new message in a conversation (a new thread in a channel).</summary>
    public async Task<string?> SendAsync(Uri serviceUrl, string conversationId, JsonObject activity, CancellationToken cancellationToken)
    {
        await limiter.WaitAsync(Sending(conversationId), cancellationToken).ConfigureAwait(false);
        var answer = await CallAsync(HttpMethod.Post, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities", Addressed(activity, conversationId), "send", cancellationToken).ConfigureAwait(false);
        return IdOf(answer);
    }

    /// <summary><c>PUT v3/conversations/{id}/activities/{activityId}</c>: replaces a message the bot sent.</summary>
    public async Task UpdateAsync(Uri serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken cancellationToken)
    {
        activity["id"] = activityId;
        await limiter.WaitAsync(Sending(conversationId), cancellationToken).ConfigureAwait(false);
        await CallAsync(HttpMethod.Put, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", Addressed(activity, conversationId), "update", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>DELETE v3/conversations/{id}/activities/{activityId}</c>: removes a message the bot sent. A message
    /// already gone (404) counts as removed; any other refusal is a <see cref="ChatDeliveryException"/>.
    /// </summary>
    public async Task DeleteAsync(Uri serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken)
    {
        await limiter.WaitAsync(Sending(conversationId), cancellationToken).ConfigureAwait(false);
        // A 404 means deleted already (by someone else, or an earlier attempt whose answer was lost): what was asked for is true.
        await CallAsync(HttpMethod.Delete, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", null, "delete", cancellationToken, notFoundIsDone: true).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>POST v3/conversations</c>: opens (or finds: Teams returns the existing one) the 1:1 chat
    /// between the bot and a user of <paramref name="tenantId"/>. The bot must be installed for the user.
    /// </summary>
    public async Task<CreatedConversation> CreateDirectAsync(Uri serviceUrl, string tenantId, string userId, string? botId, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["isGroup"] = false,
            ["members"] = new JsonArray { new JsonObject { ["id"] = userId } },
            ["tenantId"] = tenantId,
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = tenantId } },
        };
        if (botId is not null) body["bot"] = new JsonObject { ["id"] = botId };
        await limiter.WaitAsync([new RateKey("create", ConversationLimiter.CreateLimits), new RateKey("tenant|" + tenantId, ConversationLimiter.TenantLimits)], cancellationToken).ConfigureAwait(false);
        var answer = await CallAsync(HttpMethod.Post, serviceUrl, "v3/conversations", body, "create conversation", cancellationToken).ConfigureAwait(false);
        var id = IdOf(answer) ?? throw new ChatDeliveryException(ChatDeliveryFailure.Transient, "Teams created a conversation but returned no id");
        return new CreatedConversation(id, Text(answer, "activityId"));
    }

    /// <summary><c>GET v3/conversations/{id}/members/{userId}</c>: who a member is (role and tenant); null when they are not a member.</summary>
    public async Task<TeamsMember?> GetMemberAsync(Uri serviceUrl, string conversationId, string userId, CancellationToken cancellationToken)
    {
        try
        {
            await limiter.WaitAsync([new RateKey("members|" + ThreadOf(conversationId), ConversationLimiter.MemberLimits), TenantWindow(conversationId)], cancellationToken).ConfigureAwait(false);
            var answer = await CallAsync(HttpMethod.Get, serviceUrl, $"v3/conversations/{Escape(conversationId)}/members/{Escape(userId)}", null, "get member", cancellationToken).ConfigureAwait(false);
            // Teams documents the Entra object id as "objectId"; the Bot Framework SDKs' TeamsChannelAccount (and the Agents Playground) write "aadObjectId".
            return new TeamsMember(Text(answer, "id") ?? userId, Text(answer, "objectId") ?? Text(answer, "aadObjectId"), Text(answer, "name"), Text(answer, "tenantId"), Text(answer, "userRole"));
        }
        catch (ChatDeliveryException exception) when (exception.Failure is ChatDeliveryFailure.UserUnavailable or ChatDeliveryFailure.ConversationUnavailable)
        {
            return null;
        }
    }

    /// <summary>The conversation a channel thread belongs to (<c>19:…@thread.tacv2;messageid=…</c> → the channel): Teams' limits are per conversation.</summary>
    internal static string ThreadOf(string conversationId)
    {
        var cut = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return cut < 0 ? conversationId : conversationId[..cut];
    }

    /// <summary>The windows a post to a conversation counts against: the conversation's (a channel's threads share it) and its tenant's.</summary>
    private IReadOnlyList<RateKey> Sending(string conversationId) =>
        [ConversationLimiter.SendKey(ThreadOf(conversationId)), TenantWindow(conversationId)];

    private RateKey TenantWindow(string conversationId) =>
        new("tenant|" + (tenants?.TenantOf(ThreadOf(conversationId)) ?? "unknown"), ConversationLimiter.TenantLimits);

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static JsonObject Addressed(JsonObject activity, string conversationId)
    {
        activity["conversation"] ??= new JsonObject { ["id"] = conversationId };
        return activity;
    }

    private async Task<JsonElement> CallAsync(HttpMethod method, Uri serviceUrl, string path, JsonObject? body, string operation, CancellationToken cancellationToken, bool notFoundIsDone = false)
    {
        var uri = new Uri(WithSlash(serviceUrl), path);
        var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        if (token is not null && uri.Scheme != Uri.UriSchemeHttps && !Loopback.IsLoopback(uri))
        {
            throw new ChatDeliveryException(ChatDeliveryFailure.Rejected, $"Refusing to send the bot's token to a service URL that is not https: {uri.GetLeftPart(UriPartial.Authority)}");
        }
        var payload = body?.ToJsonString();
        var retriedUnauthorized = false;
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                using var request = new HttpRequestMessage(method, uri);
                if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                if (payload is not null) request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
                response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException exception) when (NeverSent(exception) && attempt < options.Value.MaxRetries)
            {
                var backoff = Backoff(attempt);
                LogRetrying(operation, uri.Host, "unreachable", backoff.TotalSeconds, attempt + 1);
                await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (HttpRequestException exception)
            {
                throw new ChatDeliveryException(ChatDeliveryFailure.Transient, $"Teams ({uri.Host}) could not be reached for {operation}: {exception.Message}", exception);
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) return Parse(text);
                if (notFoundIsDone && response.StatusCode == HttpStatusCode.NotFound) return default;

                var status = (int)response.StatusCode;
                if (response.StatusCode == HttpStatusCode.Unauthorized && token is not null && !retriedUnauthorized)
                {
                    // The token may have been revoked or rotated early: fetch a fresh one once.
                    retriedUnauthorized = true;
                    tokens.Invalidate();
                    token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
                    attempt--;
                    continue;
                }
                if (IsRetryable(response.StatusCode) && attempt < options.Value.MaxRetries)
                {
                    var wait = RetryDelay(response, attempt);
                    if (wait <= LongestWait)
                    {
                        LogRetrying(operation, uri.Host, status.ToString(CultureInfo.InvariantCulture), wait.TotalSeconds, attempt + 1);
                        await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }
                var (code, message) = ErrorOf(text);
                LogFailed(operation, uri.Host, status, code, message);
                throw new ChatDeliveryException(FailureOf(response.StatusCode, code, operation), $"Teams refused {operation} with HTTP {status} {code}: {message}".TrimEnd(' ', ':'));
            }
        }
    }

    /// <summary>
    /// Only a throttled call is certain not to have happened. Teams also names 412, 502 and 504 as
    /// transient, but a POST answered so may have posted the message: repeating it could post it twice.
    /// </summary>
    internal static bool IsRetryable(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests;

    /// <summary>A connection that could not be made: the request never reached Teams, so repeating it cannot duplicate anything.</summary>
    internal static bool NeverSent(HttpRequestException exception) =>
        exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;

    /// <summary>Which delivery failure an HTTP answer is.</summary>
    internal static ChatDeliveryFailure FailureOf(HttpStatusCode status, string code, string operation) => status switch
    {
        HttpStatusCode.Unauthorized => ChatDeliveryFailure.Unauthorized,
        HttpStatusCode.Forbidden or HttpStatusCode.NotFound when operation == "create conversation" => ChatDeliveryFailure.UserUnavailable,
        HttpStatusCode.Forbidden when code is "BotDisabledByAdmin" or "ConversationBlockedByUser" or "BotNotInConversationRoster" => ChatDeliveryFailure.ConversationUnavailable,
        HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Gone => ChatDeliveryFailure.ConversationUnavailable,
        HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge => ChatDeliveryFailure.Rejected,
        _ => ChatDeliveryFailure.Transient,
    };

    /// <summary>Teams' Retry-After (seconds or a date) when it gives one, else about 1 s, 2 s, 4 s… with jitter.</summary>
    private TimeSpan RetryDelay(HttpResponseMessage response, int attempt) => RetryTiming.Delay(response, attempt, time, _jitter);

    internal TimeSpan Backoff(int attempt) => RetryTiming.Backoff(attempt, _jitter);

    private static Uri WithSlash(Uri serviceUrl) => serviceUrl.AbsoluteUri.EndsWith('/') ? serviceUrl : new Uri(serviceUrl.AbsoluteUri + "/");

    private static JsonElement Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return default;
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static (string Code, string Message) ErrorOf(string text)
    {
        var answer = Parse(text);
        if (answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            return (Text(error, "code") ?? string.Empty, Text(error, "message") ?? string.Empty);
        }
        return (string.Empty, text.Length > 200 ? text[..200] : text);
    }

    private static string? IdOf(JsonElement answer) => Text(answer, "id");

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams {Operation} at {Host} answered {Status}; retrying in {Seconds} s (attempt {Attempt})")]
    private partial void LogRetrying(string operation, string host, string status, double seconds, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams {Operation} at {Host} failed with HTTP {Status} {Code}: {Message}")]
    private partial void LogFailed(string operation, string host, int status, string code, string message);
}
