using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>One call the bot made to the fake Slack Web API.</summary>
internal sealed record SlackCall(string Method, string? Authorization, string ContentType, string Body, DateTimeOffset At)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// A loopback stand-in for slack.com/api: a real Kestrel server on 127.0.0.1 that records every
/// call and answers like Slack (auth.test, chat.postMessage, users.info, the file upload flow…).
/// Tests can queue failures (HTTP 429 with Retry-After, ok:false errors) for a method.
/// </summary>
internal sealed class FakeSlackWebApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SlackCall> _calls = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<HttpContext, Task>>> _scripted = new();
    private readonly ConcurrentDictionary<string, JsonElement> _users = new();
    private readonly ConcurrentDictionary<string, (bool ExtShared, string[] Members)> _channels = new();
    private readonly FakeSlackWorkspace _workspace;
    private readonly SemaphoreSlim _callArrived = new(0);
    private readonly System.Threading.Channels.Channel<FakeSlackSocket> _sockets = System.Threading.Channels.Channel.CreateUnbounded<FakeSlackSocket>();
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal) { ["xoxb-test-token"] = "T0HOME" };
    private readonly ConcurrentDictionary<string, string> _revoked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Grant Grant, string? RedirectUri)> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Grant> _nextGrants = new();
    private readonly ConcurrentDictionary<string, byte> _completedFiles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Grant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _scriptedRefusals = new();
    private readonly ConcurrentDictionary<string, bool> _hungChannels = new(StringComparer.Ordinal);
    private int _rotations;
    private int _tickets;

    private FakeSlackWebApi(WebApplication app, FakeSlackWorkspace workspace) => (_app, _workspace) = (app, workspace);

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<SlackCall> Calls => [.. _calls];

    /// <summary>
    /// Starts a fake Slack. Given <paramref name="sameWorkspaceAs"/>, it serves the same workspace's messages as that
    /// one (two hosts each talking to a Slack of their own, so calls are told apart, reading one workspace).
    /// </summary>
    public static async Task<FakeSlackWebApi> StartAsync(FakeSlackWebApi? sameWorkspaceAs = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeSlackWebApi(app, sameWorkspaceAs?._workspace ?? new FakeSlackWorkspace());
        app.UseWebSockets();
        app.Map("/link", fake.AcceptSocketAsync);
        app.MapPost("/api/{method}", fake.HandleAsync);
        app.MapGet("/oauth/v2/authorize", fake.Authorize);
        app.MapPost("/upload/{fileId}", async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            fake.Record("upload", context, $"{{\"bytes\":{(await reader.ReadToEndAsync()).Length}}}");
            context.Response.StatusCode = 200;
        });
        app.MapPost("/respond/{id}", async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (fake._scripted.TryGetValue("response_url", out var queue) && queue.TryDequeue(out var scripted))
            {
                fake.Record("response_url!scripted", context, body);
                await scripted(context);
                return;
            }
            fake.Record("response_url", context, body);
            context.Response.StatusCode = 200;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseAddress = new Uri(address);
        return fake;
    }

    public string ApiBaseUrl => new Uri(BaseAddress, "/api/").ToString();

    public string ResponseUrl(string id) => new Uri(BaseAddress, $"/respond/{id}").ToString();

    /// <summary>Makes users.info describe this user.</summary>
    public void AddUser(string id, string teamId, bool guest = false, bool stranger = false, string? enterpriseId = null, bool bot = false)
    {
        var user = new Dictionary<string, object?>
        {
            ["id"] = id, ["team_id"] = teamId, ["is_restricted"] = guest, ["is_ultra_restricted"] = false, ["is_bot"] = bot, ["is_stranger"] = stranger,
            ["real_name"] = $"Person {id}", ["profile"] = new { display_name = $"person-{id}" },
        };
        // Enterprise Grid: users.info names the org and the workspaces the person is in.
        if (enterpriseId is not null) user["enterprise_user"] = new { id, enterprise_id = enterpriseId, enterprise_name = "Acme Org", is_admin = false, is_owner = false, teams = new[] { teamId } };
        _users[id] = JsonSerializer.SerializeToElement(user);
    }

    /// <summary>
    /// Describes a channel for conversations.info and conversations.members. Channels not described
    /// are ordinary internal channels whose only member besides the bot is nobody the fake knows.
    /// </summary>
    public void SetChannel(string id, bool extShared = false, params string[] members) => _channels[id] = (extShared, members);

    /// <summary>The messages the bot posted to a channel (top level and in threads), as Slack stored them.</summary>
    public IReadOnlyList<JsonElement> Stored(string channel) => _workspace.Messages.TryGetValue(channel, out var messages) ? [.. messages] : [];

    /// <summary>The next call of <paramref name="method"/> is carried out (a post is stored) and then answered with HTTP <paramref name="status"/>, as a failing Slack edge does.</summary>
    public void FailAfterApplying(string method, int status) => Script(method, async context =>
    {
        context.Items["apply"] = true;
        await Task.CompletedTask;
        context.Response.StatusCode = status;
    });

    /// <summary>The next call of <paramref name="method"/> answers HTTP <paramref name="status"/> without carrying anything out.</summary>
    public void FailWithStatus(string method, int status) => Script(method, context =>
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    });

    /// <summary>The next call of <paramref name="method"/> never answers (until the caller gives up), as a stalled proxy does.</summary>
    public void HangNext(string method) => Script(method, async context =>
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up.
        }
    });

    /// <summary>
    /// Every chat.postMessage to <paramref name="channel"/> from now on never answers (until the caller gives up or
    /// dies) and is not carried out, or, with <paramref name="afterApplying"/>, is carried out (the message is in the
    /// channel) first; each is recorded as <c>chat.postMessage!hung</c>.
    /// </summary>
    public void HangPostsIn(string channel, bool afterApplying = false) => _hungChannels[channel] = afterApplying;

    /// <summary>
    /// The next call of <paramref name="method"/> is slow, as Slack's edge is at times: it waits
    /// until <paramref name="release"/> completes, then is carried out (a post is stored) and
    /// answered ok. A caller that gives up before that leaves nothing carried out.
    /// </summary>
    public void SlowNext(string method, Task release) => Script(method, async context =>
    {
        try
        {
            await release.WaitAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        context.Items["apply"] = true;
        await context.Response.WriteAsJsonAsync(new { ok = true, channel = "C", ts = "1732616100.000100" });
    });

    /// <summary>The next call of <paramref name="method"/> answers HTTP 429 with Retry-After.</summary>
    public void RateLimitNext(string method, int retryAfterSeconds) => Script(method, async context =>
    {
        context.Response.StatusCode = (int)HttpStatusCode.TooManyRequests;
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(new { ok = false, error = "ratelimited" });
    });

    /// <summary>The next call of <paramref name="method"/> answers ok:false with this error.</summary>
    public void FailNext(string method, string error) => Script(method, context => context.Response.WriteAsJsonAsync(new { ok = false, error }));

    /// <summary>What Slack grants at the next authorize: a workspace install, or an org-wide one with an enterprise and no team.</summary>
    internal sealed record Grant(string Token, string? TeamId, string? TeamName, string? EnterpriseId = null, string? EnterpriseName = null, bool EnterpriseInstall = false,
        string BotUserId = "U0BOTX", bool Deny = false, int? ExpiresIn = null);

    public const string ClientId = "1111.2222";

    public const string ClientSecret = "test-client-secret";

    /// <summary>The next person at the authorize page approves this grant (or, with Deny, cancels).</summary>
    public void NextAuthorize(Grant grant) => _nextGrants.Enqueue(grant);

    /// <summary>Slack revokes a token: every later call with it answers token_revoked.</summary>
    public void Revoke(string token) => _revoked[token] = token;

    public string AuthorizeUrl => new Uri(BaseAddress, "/oauth/v2/authorize").ToString();

    /// <summary>
    /// Slack's authorize page after the person chose: back to redirect_uri with a one-time code and the
    /// state unchanged, or with error=access_denied when they cancelled.
    /// </summary>
    private IResult Authorize(HttpContext context)
    {
        var query = context.Request.Query;
        Record("authorize", context, context.Request.QueryString.Value ?? string.Empty);
        if (query["client_id"] != ClientId) return Results.Text("Invalid client_id parameter", statusCode: 400);
        var redirect = query["redirect_uri"].ToString();
        if (redirect.Length == 0) return Results.Text("redirect_uri did not match any configured URIs", statusCode: 400);
        var grant = _nextGrants.TryDequeue(out var next) ? next : new Grant("xoxb-test-token", "T0HOME", "Home");
        if (grant.Deny) return Results.Redirect(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(redirect, new Dictionary<string, string?> { ["error"] = "access_denied", ["state"] = query["state"] }));
        var code = $"{Interlocked.Increment(ref _tickets)}.{Guid.NewGuid():N}";
        _codes[code] = (grant, redirect);
        return Results.Redirect(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(redirect, new Dictionary<string, string?> { ["code"] = code, ["state"] = query["state"] }));
    }

    /// <summary>
    /// oauth.v2.access as Slack answers it: the code works once, with the app's credentials and the same redirect_uri.
    /// With token rotation (a grant with <see cref="Grant.ExpiresIn"/>) the answer adds an <c>xoxe-</c> refresh token and
    /// <c>expires_in</c>, and <c>grant_type=refresh_token</c> trades a refresh token, once, for the next pair.
    /// </summary>
    private Dictionary<string, object?> Access(string body)
    {
        if (Form(body, "client_id") != ClientId) return Refusal("invalid_client_id");
        if (Form(body, "client_secret") != ClientSecret) return Refusal("bad_client_secret");
        if (Form(body, "grant_type") == "refresh_token")
        {
            if (_scriptedRefusals.TryDequeue(out var refusal)) return Refusal(refusal);
            if (!_refreshTokens.TryRemove(Form(body, "refresh_token"), out var rotating)) return Refusal("invalid_refresh_token");
            var generation = Interlocked.Increment(ref _rotations);
            return Answer(rotating with { Token = $"xoxe.xoxb-1-rotated{generation}" }, refresh: true);
        }
        if (!_codes.TryRemove(Form(body, "code"), out var issued)) return Refusal("invalid_code");
        if (issued.RedirectUri != Form(body, "redirect_uri")) return Refusal("bad_redirect_uri");
        return Answer(issued.Grant, refresh: false);
    }

    private static Dictionary<string, object?> Refusal(string error) => new() { ["ok"] = false, ["error"] = error };

    private Dictionary<string, object?> Answer(Grant grant, bool refresh)
    {
        _tokens[grant.Token] = grant.TeamId ?? grant.EnterpriseId!;
        var answer = new Dictionary<string, object?>
        {
            ["ok"] = true,
            ["access_token"] = grant.Token,
            ["token_type"] = "bot",
            ["scope"] = "app_mentions:read,channels:history,chat:write,commands,users:read",
            ["bot_user_id"] = grant.BotUserId,
            ["app_id"] = "A0GROWTH",
            ["team"] = grant.TeamId is null ? null : new { name = grant.TeamName, id = grant.TeamId },
            ["enterprise"] = grant.EnterpriseId is null ? null : new { name = grant.EnterpriseName, id = grant.EnterpriseId },
            ["is_enterprise_install"] = grant.EnterpriseInstall,
        };
        // The install names the person who installed; a refresh (Slack's OAuthV2TokenRefreshResponse) does not.
        if (!refresh) answer["authed_user"] = new { id = "U0INSTALLER" };
        if (grant.ExpiresIn is { } seconds)
        {
            var refreshToken = $"xoxe-1-{Guid.NewGuid():N}";
            _refreshTokens[refreshToken] = grant;
            answer["refresh_token"] = refreshToken;
            answer["expires_in"] = seconds;
        }
        return answer;
    }

    /// <summary>The next token refresh is refused with this error (as when the app's refresh token was revoked).</summary>
    public void RefuseNextRefresh(string error) => _scriptedRefusals.Enqueue(error);

    /// <summary>The refresh tokens Slack would still accept (each works once).</summary>
    public IReadOnlyCollection<string> LiveRefreshTokens => [.. _refreshTokens.Keys];

    /// <summary>The next Socket Mode connection the bot opens (after apps.connections.open), once Slack has said hello on it.</summary>
    public async Task<FakeSlackSocket> NextSocketAsync(TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(20));
        return await _sockets.Reader.ReadAsync(timeout.Token);
    }

    private async Task AcceptSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest || !context.Request.Query.ContainsKey("ticket"))
        {
            context.Response.StatusCode = 400;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new FakeSlackSocket(socket, context.Request.Query["ticket"].ToString());
        await connection.SendAsync(new
        {
            type = "hello", num_connections = 1,
            debug_info = new { host = "applink-7fc4fdbb64-4x5xq", build_number = 10, approximate_connection_time = 18060 },
            connection_info = new { app_id = "A0GROWTH" },
        });
        _sockets.Writer.TryWrite(connection);
        await connection.RunAsync(context.RequestAborted);
    }

    /// <summary>Waits (on the fake's own signal, not a timer) until calls matching the filter have arrived.</summary>
    public async Task<IReadOnlyList<SlackCall>> WaitForAsync(string method, int count = 1, TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var matching = Calls.Where(call => call.Method == method).ToList();
            if (matching.Count >= count) return matching;
            try
            {
                await _callArrived.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Expected {count} {method} call(s); got {matching.Count}. All calls: {string.Join(", ", Calls.Select(call => call.Method))}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _callArrived.Dispose();
    }

    private void Script(string method, Func<HttpContext, Task> answer) =>
        _scripted.GetOrAdd(method, _ => new ConcurrentQueue<Func<HttpContext, Task>>()).Enqueue(answer);

    private void Record(string method, HttpContext context, string body)
    {
        _calls.Enqueue(new SlackCall(method, context.Request.Headers.Authorization.ToString(), context.Request.ContentType ?? string.Empty, body, TimeProvider.System.GetUtcNow()));
        _callArrived.Release();
    }

    private async Task HandleAsync(HttpContext context, string method)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        if (method == "chat.postMessage" && !_hungChannels.IsEmpty && _hungChannels.TryGetValue(JsonDocument.Parse(body).RootElement.GetProperty("channel").GetString() ?? "", out var applied))
        {
            if (applied) Store(body);
            Record(method + "!hung", context, body);
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The caller gave up or died.
            }
            return;
        }
        if (_scripted.TryGetValue(method, out var queue) && queue.TryDequeue(out var scripted))
        {
            Record(method + "!scripted", context, body);
            await scripted(context);
            if (context.Items.ContainsKey("apply") && method == "chat.postMessage") Store(body);
            return;
        }
        if (method == "apps.connections.open")
        {
            Record(method, context, body);
            // Only the app-level token opens connections; each URL carries a fresh ticket.
            await context.Response.WriteAsJsonAsync(context.Request.Headers.Authorization.ToString() == "Bearer xapp-1-A0GROWTH-test"
                ? new { ok = true, url = $"ws://{BaseAddress.Authority}/link/?ticket={Interlocked.Increment(ref _tickets)}&app_id=A0GROWTH" }
                : (object)new { ok = false, error = "invalid_auth" });
            return;
        }
        if (method == "oauth.v2.access")
        {
            Record(method, context, body);
            await context.Response.WriteAsJsonAsync(Access(body));
            return;
        }
        var bearer = context.Request.Headers.Authorization.ToString();
        var token = bearer.StartsWith("Bearer ", StringComparison.Ordinal) ? bearer["Bearer ".Length..] : string.Empty;
        if (_revoked.ContainsKey(token) || !_tokens.TryGetValue(token, out var tokenTeam))
        {
            Record(method, context, body);
            await context.Response.WriteAsJsonAsync(new { ok = false, error = _revoked.ContainsKey(token) ? "token_revoked" : "invalid_auth" });
            return;
        }
        object answer = method switch
        {
            "auth.test" => new { ok = true, url = "https://home.slack.com/", team = "Home", user = "growthbot", team_id = tokenTeam, user_id = "U0BOT", bot_id = "B0GROWTH" },
            "chat.postMessage" => ImagesKnown(body) ? new { ok = true, channel = "C", ts = Store(body) } : new { ok = false, error = "invalid_blocks" },
            "chat.postEphemeral" => new { ok = true, message_ts = "1732615999.000001" },
            "chat.update" => new { ok = true },
            "views.publish" => new { ok = true, view = new { id = "V0HOME", type = "home" } },
            "conversations.open" => new { ok = true, channel = new { id = "D0OPENED" } },
            "users.info" => UserInfo(body),
            "conversations.info" => ConversationInfo(Form(body, "channel")),
            "conversations.members" => new { ok = true, members = Members(Form(body, "channel")), response_metadata = new { next_cursor = "" } },
            "conversations.history" or "conversations.replies" => History(Form(body, "channel"), method == "conversations.replies" ? Form(body, "ts") : null, Form(body, "include_all_metadata") is "true" or "1"),
            "files.getUploadURLExternal" => new { ok = true, upload_url = new Uri(BaseAddress, "/upload/F0CHART").ToString(), file_id = "F0CHART" },
            "files.completeUploadExternal" => Complete(body),
            _ => new { ok = false, error = "unknown_method" },
        };
        Record(method, context, body);
        await context.Response.WriteAsJsonAsync(answer);
    }

    /// <summary>files.completeUploadExternal: the files are uploaded (shared in channel_id if one is given, else private to the bot).</summary>
    private object Complete(string body)
    {
        var files = JsonDocument.Parse(Form(body, "files")).RootElement.EnumerateArray().Select(file => file.GetProperty("id").GetString()!).ToList();
        foreach (var id in files) _completedFiles[id] = 0;
        return new { ok = true, files = files.Select(id => new { id, title = "chart" }).ToArray() };
    }

    /// <summary>Slack refuses a post (invalid_blocks) whose image blocks show a slack_file it does not have.</summary>
    private bool ImagesKnown(string body)
    {
        var post = JsonDocument.Parse(body).RootElement;
        if (!post.TryGetProperty("blocks", out var blocks)) return true;
        return blocks.EnumerateArray().All(block => !block.TryGetProperty("slack_file", out var file) || _completedFiles.ContainsKey(file.GetProperty("id").GetString()!));
    }

    private static string Form(string body, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body).TryGetValue(name, out var value) ? value.ToString() : string.Empty;

    /// <summary>Keeps a posted message as Slack would (ts, text, thread_ts, bot_id, metadata) and returns its ts.</summary>
    private string Store(string body)
    {
        var post = JsonDocument.Parse(body).RootElement;
        var ts = $"1732615999.{Interlocked.Increment(ref _workspace.LastMessage):D6}";
        var stored = new Dictionary<string, object?> { ["type"] = "message", ["ts"] = ts, ["bot_id"] = "B0GROWTH", ["text"] = post.TryGetProperty("text", out var text) ? text.GetString() : "" };
        if (post.TryGetProperty("thread_ts", out var thread)) stored["thread_ts"] = thread.GetString();
        if (post.TryGetProperty("metadata", out var metadata)) stored["metadata"] = metadata.Clone();
        var channel = post.GetProperty("channel").GetString()!;
        _workspace.Messages.GetOrAdd(channel, _ => new ConcurrentQueue<JsonElement>()).Enqueue(JsonSerializer.SerializeToElement(stored));
        return ts;
    }

    private object ConversationInfo(string channel) => new
    {
        ok = true,
        channel = new
        {
            id = channel, name = $"channel-{channel.ToLowerInvariant()}", is_channel = !channel.StartsWith('D'), is_im = channel.StartsWith('D'), is_private = false,
            is_archived = false, is_shared = _channels.TryGetValue(channel, out var c) && c.ExtShared, is_ext_shared = c.ExtShared, is_org_shared = false, is_pending_ext_shared = false,
        },
    };

    private string[] Members(string channel) => ["U0BOT", .. _channels.TryGetValue(channel, out var c) ? c.Members : []];

    /// <summary>
    /// conversations.history (top level, newest first) or conversations.replies (a thread: its parent and replies),
    /// with each message's metadata only when include_all_metadata is asked for, as Slack does.
    /// </summary>
    private object History(string channel, string? thread, bool withMetadata)
    {
        var messages = Stored(channel)
            .Where(message => thread is null
                ? !message.TryGetProperty("thread_ts", out _)
                : message.GetProperty("ts").GetString() == thread || (message.TryGetProperty("thread_ts", out var t) && t.GetString() == thread))
            .Reverse()
            .Select(message => withMetadata ? message : WithoutMetadata(message))
            .ToArray();
        return new { ok = true, messages, has_more = false };
    }

    private static JsonElement WithoutMetadata(JsonElement message) =>
        JsonSerializer.SerializeToElement(message.EnumerateObject().Where(property => property.Name != "metadata").ToDictionary(property => property.Name, property => property.Value));

    private object UserInfo(string formBody)
    {
        var user = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(formBody).TryGetValue("user", out var id) ? id.ToString() : string.Empty;
        return _users.TryGetValue(user, out var info) ? new { ok = true, user = info } : new { ok = false, error = "user_not_found" };
    }
}
