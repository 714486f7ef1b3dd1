using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Slack.WebApi;

/// <summary>
/// The Slack Web API methods GrowthBot uses, over plain HTTP. Every answer's <c>ok</c> is
/// checked; <c>ok: false</c> becomes a <see cref="SlackApiException"/> with Slack's error code.
/// HTTP 429 waits <c>Retry-After</c> and 5xx back off, up to <c>MaxRetries</c>; posts to one
/// channel are paced. The base URL is a setting, so tests talk to a loopback fake.
/// </summary>
public sealed partial class SlackWebApiClient
{
    private readonly HttpClient _http;
    private readonly SlackOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackWebApiClient> _logger;
    private readonly ChannelPacer _pacer;
    private readonly string? _token;
    private readonly Action<string, string>? _onTokenRefused;
    private int _refusalLogged;

    /// <summary>
    /// The client. <paramref name="paces"/> is where each channel's send slots are kept: the storage
    /// adapter's (shared by every host on PostgreSQL); without one, this client's memory.
    /// </summary>
    public SlackWebApiClient(HttpClient http, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackWebApiClient> logger, IChannelPaceStore? paces = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _pacer = new ChannelPacer(paces ?? new LocalChannelPaceStore(), time, _options.MinimumChannelInterval, logger);
        _token = _options.BotToken;
    }

    private SlackWebApiClient(SlackWebApiClient shared, string token, Action<string, string>? onTokenRefused)
    {
        _onTokenRefused = onTokenRefused;
        _http = shared._http;
        _options = shared._options;
        _time = shared._time;
        _logger = shared._logger;
        _pacer = shared._pacer; // one pacer for every workspace: channel ids are unique across Slack
        _token = token;
    }

    /// <summary>
    /// The same client speaking with another workspace's bot token (installations from the install flow).
    /// <paramref name="onTokenRefused"/> (method, error) is told when Slack refuses that token for good.
    /// </summary>
    public SlackWebApiClient WithToken(string token, Action<string, string>? onTokenRefused = null) => new(this, token, onTokenRefused);

    /// <summary>
    /// Slack's documented answers for a bot token that will never work again: revoked (<c>token_revoked</c>),
    /// unknown or invalid (<c>invalid_auth</c>), or of a deleted workspace or bot user (<c>account_inactive</c>).
    /// </summary>
    public static bool IsTokenDead(string error) => error is "token_revoked" or "invalid_auth" or "account_inactive";

    /// <summary>
    /// oauth.v2.access: exchanges the code of the install redirect for the installation's bot token.
    /// The app's credentials go in the form (Slack accepts them there or as HTTP Basic); no bearer token.
    /// </summary>
    public async Task<SlackOAuthAccess> OAuthV2AccessAsync(string clientId, string clientSecret, string code, string redirectUri, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>> { new("client_id", clientId), new("client_secret", clientSecret), new("code", code) };
        if (!string.IsNullOrEmpty(redirectUri)) fields.Add(new("redirect_uri", redirectUri));
        var answer = await SendWithRetriesAsync("oauth.v2.access", () => new FormUrlEncodedContent(fields), MethodUri("oauth.v2.access"), expectOk: true, cancellationToken, bearer: false).ConfigureAwait(false);
        return SlackOAuthAccess.Read(answer) ?? throw new SlackApiException("oauth.v2.access", "invalid_response");
    }

    /// <summary>
    /// oauth.v2.access with <c>grant_type=refresh_token</c> (token rotation): the next bot token and refresh
    /// token for an installation; the refresh token given works once.
    /// </summary>
    public async Task<SlackOAuthAccess> OAuthV2RefreshAsync(string clientId, string clientSecret, string refreshToken, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("client_id", clientId), new("client_secret", clientSecret), new("grant_type", "refresh_token"), new("refresh_token", refreshToken),
        };
        var answer = await SendWithRetriesAsync("oauth.v2.access", () => new FormUrlEncodedContent(fields), MethodUri("oauth.v2.access"), expectOk: true, cancellationToken, bearer: false).ConfigureAwait(false);
        var access = SlackOAuthAccess.Read(answer) ?? throw new SlackApiException("oauth.v2.access", "invalid_response");
        return access.RefreshToken is null || access.ExpiresIn is null ? throw new SlackApiException("oauth.v2.access", "invalid_response") : access;
    }

    public async Task<SlackIdentity> AuthTestAsync(CancellationToken cancellationToken)
    {
        var answer = await CallAsync("auth.test", new JsonObject(), cancellationToken).ConfigureAwait(false);
        return new SlackIdentity(Text(answer, "team_id") ?? string.Empty, Text(answer, "user_id") ?? string.Empty, Text(answer, "bot_id"));
    }

    /// <summary>
    /// chat.postMessage; returns the message's ts. Each post carries message metadata with an id of
    /// its own. When Slack's answer leaves it open whether the post was stored (HTTP 5xx, a timeout,
    /// a dropped connection, <c>internal_error</c>/<c>fatal_error</c>), the conversation (or thread)
    /// is read back for that id: found, the post counts as done and is never sent again; not found,
    /// the error is thrown as one that retrying cannot duplicate. A caller that may post the same thing again
    /// later (an answer to one message) passes its own <paramref name="postId"/>, to look for it with
    /// <see cref="FindPostAsync"/> before that.
    /// </summary>
    public async Task<string?> PostMessageAsync(string channel, string? threadTs, string text, JsonArray? blocks, CancellationToken cancellationToken, string? postId = null)
    {
        await _pacer.WaitTurnAsync(channel, cancellationToken).ConfigureAwait(false);
        postId ??= Guid.NewGuid().ToString("N");
        var body = new JsonObject
        {
            ["channel"] = channel,
            ["text"] = text,
            ["unfurl_links"] = false,
            ["metadata"] = new JsonObject { ["event_type"] = PostMetadataType, ["event_payload"] = new JsonObject { ["post_id"] = postId } },
        };
        if (threadTs is not null) body["thread_ts"] = threadTs;
        if (blocks is not null) body["blocks"] = blocks;
        try
        {
            var answer = await CallAsync("chat.postMessage", body, cancellationToken).ConfigureAwait(false);
            return Text(answer, "ts");
        }
        catch (SlackApiException exception) when (SlackApiException.MayHaveBeenApplied(exception.Error))
        {
            string? found;
            try
            {
                found = await FindPostAsync(channel, threadTs, postId, cancellationToken).ConfigureAwait(false);
            }
            catch (SlackApiException lookup)
            {
                LogPostUnverified(channel, exception.Error, lookup.Error);
                throw new SlackApiException("chat.postMessage", SlackApiException.Unverified, exception);
            }
            if (found is not null)
            {
                LogPostFoundAfterError(channel, exception.Error, found);
                return found;
            }
            LogPostNotStored(channel, exception.Error);
            throw new SlackApiException("chat.postMessage", SlackApiException.NotStored, exception);
        }
    }

    /// <summary>The event_type of the metadata every post carries, so a post can be found again.</summary>
    internal const string PostMetadataType = "growthbot_post";

    /// <summary>The ts of the bot's post carrying <paramref name="postId"/> among the latest messages of the conversation or thread, or null.</summary>
    public async Task<string?> FindPostAsync(string channel, string? threadTs, string postId, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>> { new("channel", channel), new("limit", "50"), new("include_all_metadata", "true") };
        if (threadTs is not null) fields.Add(new("ts", threadTs));
        var answer = await CallFormAsync(threadTs is null ? "conversations.history" : "conversations.replies", fields, cancellationToken).ConfigureAwait(false);
        if (!answer.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array) return null;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.TryGetProperty("metadata", out var metadata) && Text(metadata, "event_type") == PostMetadataType &&
                metadata.TryGetProperty("event_payload", out var payload) && Text(payload, "post_id") == postId)
            {
                return Text(message, "ts");
            }
        }
        return null;
    }

    public async Task PostEphemeralAsync(string channel, string user, string? threadTs, string text, JsonArray? blocks, CancellationToken cancellationToken)
    {
        await _pacer.WaitTurnAsync(channel, cancellationToken).ConfigureAwait(false);
        var body = new JsonObject { ["channel"] = channel, ["user"] = user, ["text"] = text };
        if (threadTs is not null) body["thread_ts"] = threadTs;
        if (blocks is not null) body["blocks"] = blocks;
        await CallAsync("chat.postEphemeral", body, cancellationToken).ConfigureAwait(false);
    }

    public async Task UpdateMessageAsync(string channel, string ts, string text, JsonArray? blocks, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["channel"] = channel, ["ts"] = ts, ["text"] = text };
        if (blocks is not null) body["blocks"] = blocks;
        await CallAsync("chat.update", body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>conversations.open for a DM with one user; returns the channel id.</summary>
    public async Task<string> OpenDirectMessageAsync(string user, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("conversations.open", new JsonObject { ["users"] = user }, cancellationToken).ConfigureAwait(false);
        return answer.TryGetProperty("channel", out var channel) && channel.TryGetProperty("id", out var id) ? id.GetString() ?? string.Empty : string.Empty;
    }

    /// <summary>views.publish: the Home tab one user sees.</summary>
    public async Task PublishHomeAsync(string user, JsonArray blocks, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["user_id"] = user, ["view"] = new JsonObject { ["type"] = "home", ["blocks"] = blocks } };
        await CallAsync("views.publish", body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>apps.connections.open with the app-level token: a fresh WebSocket URL for Socket Mode (each is good for one connection).</summary>
    public async Task<Uri> OpenSocketConnectionAsync(string appToken, CancellationToken cancellationToken)
    {
        var answer = await SendWithRetriesAsync("apps.connections.open", () => new FormUrlEncodedContent([]), MethodUri("apps.connections.open"), expectOk: true, cancellationToken, appToken).ConfigureAwait(false);
        return Uri.TryCreate(Text(answer, "url"), UriKind.Absolute, out var url) ? url : throw new SlackApiException("apps.connections.open", "no_url");
    }

    /// <summary>conversations.info: whether the conversation is shared with another organisation, a DM, archived.</summary>
    public async Task<SlackChannel> ConversationInfoAsync(string channel, CancellationToken cancellationToken)
    {
        var answer = await CallFormAsync("conversations.info", [new("channel", channel)], cancellationToken).ConfigureAwait(false);
        var info = answer.GetProperty("channel");
        bool Flag(string name) => info.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
        return new SlackChannel(Text(info, "id") ?? channel, Text(info, "name"), Flag("is_im"), Flag("is_ext_shared") || Flag("is_pending_ext_shared"), Flag("is_archived"));
    }

    /// <summary>conversations.members, every page: the member ids of a conversation.</summary>
    public async Task<IReadOnlyList<string>> ConversationMembersAsync(string channel, CancellationToken cancellationToken)
    {
        var members = new List<string>();
        string? cursor = null;
        do
        {
            var fields = new List<KeyValuePair<string, string>> { new("channel", channel), new("limit", "200") };
            if (!string.IsNullOrEmpty(cursor)) fields.Add(new("cursor", cursor));
            var answer = await CallFormAsync("conversations.members", fields, cancellationToken).ConfigureAwait(false);
            if (answer.TryGetProperty("members", out var page) && page.ValueKind == JsonValueKind.Array)
            {
                members.AddRange(page.EnumerateArray().Where(member => member.ValueKind == JsonValueKind.String).Select(member => member.GetString()!));
            }
            cursor = answer.TryGetProperty("response_metadata", out var metadata) ? Text(metadata, "next_cursor") : null;
        }
        while (!string.IsNullOrEmpty(cursor));
        return members;
    }

    public async Task<SlackUser> UserInfoAsync(string user, CancellationToken cancellationToken)
    {
        var answer = await CallFormAsync("users.info", [new("user", user)], cancellationToken).ConfigureAwait(false);
        var info = answer.GetProperty("user");
        bool Flag(string name) => info.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
        return new SlackUser(
            Text(info, "id") ?? user,
            Text(info, "team_id"),
            Flag("is_restricted") || Flag("is_ultra_restricted"),
            Flag("is_bot"),
            Flag("is_stranger"),
            info.TryGetProperty("profile", out var profile) ? Text(profile, "display_name") ?? Text(info, "real_name") : Text(info, "real_name"),
            // Enterprise Grid: the org the person belongs to, whichever of its workspaces they are in.
            info.TryGetProperty("enterprise_user", out var enterpriseUser) ? Text(enterpriseUser, "enterprise_id") : null);
    }

    /// <summary>
    /// Uploads a file into a channel (or thread) with the current flow:
    /// files.getUploadURLExternal → POST the bytes → files.completeUploadExternal; returns its file id.
    /// Without a channel the file stays private to the bot until a message shows it (an image block's
    /// <c>slack_file</c>).
    /// </summary>
    public async Task<string> UploadFileAsync(string? channel, string? threadTs, string filename, string title, string? altText, byte[] content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var ticketFields = new List<KeyValuePair<string, string>> { new("filename", filename), new("length", content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        // The description screen readers read for the image (Slack's alt_txt).
        if (!string.IsNullOrWhiteSpace(altText)) ticketFields.Add(new("alt_txt", altText.Length <= 1000 ? altText : altText[..1000]));
        var ticket = await CallFormAsync("files.getUploadURLExternal", ticketFields, cancellationToken).ConfigureAwait(false);
        var uploadUrl = Text(ticket, "upload_url") ?? throw new SlackApiException("files.getUploadURLExternal", "no_upload_url");
        var fileId = Text(ticket, "file_id") ?? throw new SlackApiException("files.getUploadURLExternal", "no_file_id");

        using (var upload = new ByteArrayContent(content))
        {
            upload.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            HttpResponseMessage response;
            try
            {
                response = await _http.PostAsync(new Uri(uploadUrl), upload, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException exception)
            {
                throw new SlackApiException("file upload", NeverSent(exception) ? SlackApiException.Unreachable : SlackApiException.ConnectionLost, exception);
            }
            catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SlackApiException("file upload", SlackApiException.Timeout, exception);
            }
            using (response)
            {
                if (!response.IsSuccessStatusCode) throw new SlackApiException("file upload", $"http_{(int)response.StatusCode}");
            }
        }

        var files = new JsonArray { new JsonObject { ["id"] = fileId, ["title"] = title } }.ToJsonString();
        var fields = new List<KeyValuePair<string, string>> { new("files", files) };
        if (channel is not null)
        {
            fields.Add(new("channel_id", channel));
            if (threadTs is not null) fields.Add(new("thread_ts", threadTs));
            await _pacer.WaitTurnAsync(channel, cancellationToken).ConfigureAwait(false);
        }
        await CallFormAsync("files.completeUploadExternal", fields, cancellationToken).ConfigureAwait(false);
        return fileId;
    }

    /// <summary>Posts to a slash command's or action's response_url (valid for 30 minutes, 5 uses).</summary>
    public async Task RespondAsync(string responseUrl, string text, JsonArray? blocks, bool replaceOriginal, CancellationToken cancellationToken)
    {
        // Replacing the message the button was on keeps it as it was (in a DM, visible to that person); otherwise the answer is ephemeral.
        var body = new JsonObject { ["text"] = text, ["replace_original"] = replaceOriginal };
        if (!replaceOriginal) body["response_type"] = "ephemeral";
        if (blocks is not null) body["blocks"] = blocks;
        await SendWithRetriesAsync("response_url", () => JsonContent(body), new Uri(responseUrl), expectOk: false, cancellationToken).ConfigureAwait(false);
    }

    private Task<JsonElement> CallAsync(string method, JsonObject body, CancellationToken cancellationToken) =>
        SendWithRetriesAsync(method, () => JsonContent(body), MethodUri(method), expectOk: true, cancellationToken);

    private Task<JsonElement> CallFormAsync(string method, IReadOnlyList<KeyValuePair<string, string>> fields, CancellationToken cancellationToken) =>
        SendWithRetriesAsync(method, () => new FormUrlEncodedContent(fields), MethodUri(method), expectOk: true, cancellationToken);

    private Uri MethodUri(string method) => new(new Uri(_options.ApiBaseUrl.EndsWith('/') ? _options.ApiBaseUrl : _options.ApiBaseUrl + "/"), method);

    /// <summary>
    /// Sends one call. Only what Slack cannot have applied is retried here: a connection that was
    /// never made, HTTP 429 and <c>ratelimited</c>. A 5xx, a timeout or a connection lost mid-call
    /// may have been applied, so it is thrown (as <c>http_5xx</c>, <c>timeout</c>,
    /// <c>connection_lost</c>) for the caller to resolve: a post is looked up, a delivery is left to
    /// the delivery log.
    /// </summary>
    private async Task<JsonElement> SendWithRetriesAsync(string method, Func<HttpContent> content, Uri uri, bool expectOk, CancellationToken cancellationToken, string? token = null, bool bearer = true)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content() };
            if (expectOk && bearer) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? _token);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException exception) when (NeverSent(exception))
            {
                if (attempt < _options.MaxRetries)
                {
                    var wait = TimeSpan.FromSeconds(Math.Pow(2, attempt));
                    LogRetryingConnection(method, exception.HttpRequestError, wait.TotalSeconds, attempt + 1);
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                throw new SlackApiException(method, SlackApiException.Unreachable, exception);
            }
            catch (HttpRequestException exception)
            {
                throw new SlackApiException(method, SlackApiException.ConnectionLost, exception);
            }
            catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient.Timeout: the request may or may not have reached Slack.
                throw new SlackApiException(method, SlackApiException.Timeout, exception);
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    if (attempt < _options.MaxRetries)
                    {
                        var wait = RetryDelay(response, attempt);
                        LogRetrying(method, (int)response.StatusCode, wait.TotalSeconds, attempt + 1);
                        await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    throw new SlackApiException(method, "ratelimited");
                }
                if (!response.IsSuccessStatusCode) throw new SlackApiException(method, $"http_{(int)response.StatusCode}");

                string text;
                try
                {
                    text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (HttpRequestException exception)
                {
                    throw new SlackApiException(method, SlackApiException.ConnectionLost, exception);
                }
                catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new SlackApiException(method, SlackApiException.Timeout, exception);
                }
                if (!expectOk) return default;
                JsonElement answer;
                try
                {
                    answer = JsonDocument.Parse(text).RootElement.Clone();
                }
                catch (JsonException)
                {
                    throw new SlackApiException(method, "invalid_response");
                }
                if (answer.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
                {
                    if (_refusalLogged != 0 && token is null) Interlocked.Exchange(ref _refusalLogged, 0);
                    return answer;
                }
                var error = Text(answer, "error") ?? "unknown_error";
                // The bot token itself (not an app-level token, not the app's credentials) was refused for good.
                if (IsTokenDead(error) && bearer && token is null && !string.IsNullOrEmpty(_token)) TokenRefused(method, error);
                if (error == "ratelimited" && attempt < _options.MaxRetries)
                {
                    var wait = RetryDelay(response, attempt);
                    LogRetrying(method, (int)response.StatusCode, wait.TotalSeconds, attempt + 1);
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                throw new SlackApiException(method, error);
            }
        }
    }

    /// <summary>
    /// An installation's token is handed to its owner (who forgets it and pauses its digests). The single
    /// configured <c>Slack__BotToken</c> cannot be forgotten: one error line says what to do, once until a call succeeds again.
    /// </summary>
    private void TokenRefused(string method, string error)
    {
        if (_onTokenRefused is not null)
        {
            _onTokenRefused(method, error);
            return;
        }
        if (Interlocked.Exchange(ref _refusalLogged, 1) == 0) LogBotTokenRefused(method, error, SlackApiException.Describe(error));
    }

    /// <summary>True when the request cannot have reached Slack: no connection or no name was ever had.</summary>
    private static bool NeverSent(HttpRequestException exception) =>
        exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError;

    /// <summary>Slack's Retry-After (seconds) when it gives one, else 1 s, 2 s, 4 s… for 5xx.</summary>
    private static TimeSpan RetryDelay(HttpResponseMessage response, int attempt)
    {
        if (response.Headers.RetryAfter?.Delta is { } delta) return delta;
        if (response.Headers.TryGetValues("Retry-After", out var values) &&
            int.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }
        return TimeSpan.FromSeconds(Math.Pow(2, attempt));
    }

    private static StringContent JsonContent(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack: {Method} refused Slack__BotToken with {Error} ({Meaning}); nothing is posted to Slack until Slack__BotToken is set to a working xoxb- token and the host restarted")]
    private partial void LogBotTokenRefused(string method, string error, string meaning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} answered HTTP {Status}; retrying in {Seconds} s (attempt {Attempt})")]
    private partial void LogRetrying(string method, int status, double seconds, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} could not connect ({Error}); retrying in {Seconds} s (attempt {Attempt})")]
    private partial void LogRetryingConnection(string method, HttpRequestError error, double seconds, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack chat.postMessage to {Channel} failed with {Error}, but the post was found in the conversation as {Ts}; it counts as sent")]
    private partial void LogPostFoundAfterError(string channel, string error, string ts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack chat.postMessage to {Channel} failed with {Error} and the post is not in the conversation; it may be sent again")]
    private partial void LogPostNotStored(string channel, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack chat.postMessage to {Channel} failed with {Error}, and whether it was stored could not be checked ({LookupError})")]
    private partial void LogPostUnverified(string channel, string error, string lookupError);
}
