using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace GrowthBot.Bench.Slack;

/// <summary>What the fake saw for one event: how many answers it got, and when the first arrived.</summary>
internal sealed class AnswerTrack
{
    private int _posts;
    private long _firstPostTimestamp;

    public int Posts => Volatile.Read(ref _posts);

    /// <summary>Stopwatch timestamp of the first chat.postMessage for the event, 0 if none.</summary>
    public long FirstPostTimestamp => Interlocked.Read(ref _firstPostTimestamp);

    /// <summary>Counts a post; true if it was the first.</summary>
    public bool Record(long timestamp)
    {
        if (Interlocked.Increment(ref _posts) != 1) return false;
        Interlocked.Exchange(ref _firstPostTimestamp, timestamp);
        return true;
    }
}

/// <summary>
/// A loopback stand-in for slack.com/api, modelled on the host tests' FakeSlackWebApi but built for
/// load: it keeps counters instead of a call log. auth.test says the bot is U0BOT/B0BENCH in T0HOME,
/// users.info says everyone is a full member of T0HOME (so the access policy treats them as staff),
/// conversations.info/members describe every channel as internal with only staff in it,
/// chat.postMessage answers ok and is matched to the event it answers by channel + thread_ts.
/// </summary>
internal sealed class BenchSlackWebApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, AnswerTrack> _expected = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private long _answered;
    private long _posts;
    private long _unexpectedPosts;
    private long _badAuth;
    private long _messageCounter;
    private long _lastPostTimestamp;

    private BenchSlackWebApi(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public string ApiBaseUrl => new Uri(BaseAddress, "/api/").ToString();

    /// <summary>Distinct expected events that have had at least one answer.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>All chat.postMessage calls, expected or not.</summary>
    public long Posts => Interlocked.Read(ref _posts);

    /// <summary>chat.postMessage calls that answered no event the benchmark sent.</summary>
    public long UnexpectedPosts => Interlocked.Read(ref _unexpectedPosts);

    /// <summary>Calls whose bearer token was not the bench's.</summary>
    public long BadAuth => Interlocked.Read(ref _badAuth);

    public long LastPostTimestamp => Interlocked.Read(ref _lastPostTimestamp);

    public int CallCount(string method) => _calls.TryGetValue(method, out var count) ? count : 0;

    public IReadOnlyDictionary<string, int> CallCounts => new SortedDictionary<string, int>(_calls, StringComparer.Ordinal);

    public static async Task<BenchSlackWebApi> StartAsync()
    {
        var app = LoopbackApp.Create();
        var fake = new BenchSlackWebApi(app);
        app.UseWebSockets();
        app.Map("/link", (Func<HttpContext, Task>)fake.AcceptSocketAsync);
        app.MapPost("/api/{method}", (Func<HttpContext, string, Task>)fake.HandleAsync);
        // Several hosts on one fake (the cluster bench): each host's base URL names it, so its posts can be held.
        app.MapPost("/via/{host}/api/{method}", (Func<HttpContext, string, string, Task>)fake.HandleViaAsync);
        app.MapPost("/respond/{id}", async context =>
        {
            await Drain(context.Request.Body);
            fake.Count("response_url");
        });
        app.MapPost("/upload/{fileId}", async context =>
        {
            await Drain(context.Request.Body);
            fake.Count("upload");
        });
        await app.StartAsync();
        fake.BaseAddress = LoopbackApp.AddressOf(app);
        return fake;
    }

    /// <summary>The Web API base URL for one of several hosts sharing this fake.</summary>
    public string ApiBaseUrlFor(string host) => new Uri(BaseAddress, $"/via/{host}/api/").ToString();

    /// <summary>A response_url for an interactive payload; posts to it are counted as <c>response_url</c> calls.</summary>
    public Uri ResponseUrl(string id) => new(BaseAddress, $"/respond/{id}");

    /// <summary>
    /// From now on <paramref name="host"/>'s chat.postMessage calls wait and are not carried out until
    /// <see cref="ReleasePosts"/> (or the host hangs up, as it does when it is killed): its answers stay unfinished.
    /// </summary>
    public void HoldPosts(string host)
    {
        _held = host;
        _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void ReleasePosts()
    {
        _held = null;
        _release.TrySetResult();
    }

    /// <summary>Posts to a channel no expected event is answered in (a digest, an invitation): how many, and the Stopwatch timestamp of the first.</summary>
    public (int Posts, long FirstTimestamp) OtherPosts(string channel) =>
        _otherPosts.TryGetValue(channel, out var posts) ? (posts.Count, posts.First) : (0, 0);

    private readonly ConcurrentDictionary<string, (int Count, long First)> _otherPosts = new(StringComparer.Ordinal);
    private volatile string? _held;
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task HandleViaAsync(HttpContext context, string host, string method)
    {
        if (method == "chat.postMessage" && _held == host)
        {
            try
            {
                await _release.Task.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        await HandleAsync(context, method);
    }

    /// <summary>Registers events whose answers the fake should match.</summary>
    public IReadOnlyList<AnswerTrack> Expect(IReadOnlyList<BenchEvent> events)
    {
        var tracks = new AnswerTrack[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            tracks[i] = new AnswerTrack();
            if (!_expected.TryAdd(events[i].AnswerKey, tracks[i])) throw new InvalidOperationException($"Two events share the answer key {events[i].AnswerKey}.");
        }
        return tracks;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The Socket Mode connection the host opened (after apps.connections.open), once hello was sent on it.</summary>
    public Task<System.Net.WebSockets.WebSocket> SocketAsync(TimeSpan limit) => _socket.Task.WaitAsync(limit);

    /// <summary>Ends the Socket Mode connection's request when the run is over.</summary>
    public void ReleaseSocket() => _socketDone.TrySetResult();

    private readonly TaskCompletionSource<System.Net.WebSockets.WebSocket> _socket = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _socketDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task AcceptSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var hello = JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = "hello", num_connections = 1,
            debug_info = new { host = "applink-bench", build_number = 10, approximate_connection_time = 18060 },
            connection_info = new { app_id = "A0BENCH" },
        });
        await socket.SendAsync(hello, System.Net.WebSockets.WebSocketMessageType.Text, true, context.RequestAborted);
        // One connection per run: the driver sends and reads on it until the run ends.
        if (!_socket.TrySetResult(socket)) return;
        await Task.WhenAny(_socketDone.Task, Task.Delay(Timeout.Infinite, context.RequestAborted));
    }

    private void Count(string method) => _calls.AddOrUpdate(method, 1, (_, count) => count + 1);

    private async Task HandleAsync(HttpContext context, string method)
    {
        var body = await ReadAsync(context.Request.Body);
        Count(method);
        if (method == "apps.connections.open")
        {
            await context.Response.WriteAsJsonAsync(context.Request.Headers.Authorization.ToString() == "Bearer " + SlackEvents.AppToken
                ? new { ok = true, url = $"ws://{BaseAddress.Authority}/link/?ticket=1&app_id=A0BENCH" }
                : (object)new { ok = false, error = "invalid_auth" });
            return;
        }
        if (context.Request.Headers.Authorization.ToString() != "Bearer " + SlackEvents.BotToken)
        {
            Interlocked.Increment(ref _badAuth);
            await context.Response.WriteAsJsonAsync(new { ok = false, error = "invalid_auth" });
            return;
        }
        switch (method)
        {
            case "auth.test":
                await context.Response.WriteAsJsonAsync(new
                {
                    ok = true, url = "https://home.slack.com/", team = "Home", user = "growthbot",
                    team_id = SlackEvents.TeamId, user_id = SlackEvents.BotUserId, bot_id = SlackEvents.BotId,
                });
                return;
            case "chat.postMessage":
                var channel = RecordPost(body);
                var ts = string.Create(CultureInfo.InvariantCulture, $"1900000000.{Interlocked.Increment(ref _messageCounter):D6}");
                await context.Response.WriteAsJsonAsync(new { ok = true, channel, ts });
                return;
            case "users.info":
                var user = QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body)).TryGetValue("user", out var id) ? id.ToString() : "U0UNKNOWN";
                await context.Response.WriteAsJsonAsync(new
                {
                    ok = true,
                    user = new
                    {
                        id = user, team_id = SlackEvents.TeamId, is_restricted = false, is_ultra_restricted = false, is_bot = false,
                        is_stranger = false, real_name = $"Person {user}", profile = new { display_name = $"person-{user}" },
                    },
                });
                return;
            case "chat.postEphemeral":
                await context.Response.WriteAsJsonAsync(new { ok = true, message_ts = "1900000000.000001" });
                return;
            case "chat.update":
                await context.Response.WriteAsJsonAsync(new { ok = true });
                return;
            case "conversations.info":
                // Every bench channel is an ordinary internal channel (not Slack Connect) whose members are all staff.
                var infoChannel = QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body)).TryGetValue("channel", out var cid) ? cid.ToString() : "C0UNKNOWN";
                await context.Response.WriteAsJsonAsync(new
                {
                    ok = true,
                    channel = new { id = infoChannel, is_channel = !infoChannel.StartsWith('D'), is_im = infoChannel.StartsWith('D'), is_archived = false, is_shared = false, is_ext_shared = false, is_org_shared = false, is_pending_ext_shared = false },
                });
                return;
            case "conversations.members":
                await context.Response.WriteAsJsonAsync(new { ok = true, members = new[] { SlackEvents.BotUserId, "U0BENCH" }, response_metadata = new { next_cursor = "" } });
                return;
            case "conversations.open":
                await context.Response.WriteAsJsonAsync(new { ok = true, channel = new { id = "D0OPENED" } });
                return;
            case "files.getUploadURLExternal":
                await context.Response.WriteAsJsonAsync(new { ok = true, upload_url = new Uri(BaseAddress, "/upload/F0CHART").ToString(), file_id = "F0CHART" });
                return;
            case "files.completeUploadExternal":
                await context.Response.WriteAsJsonAsync(new { ok = true, files = new[] { new { id = "F0CHART", title = "chart" } } });
                return;
            default:
                await context.Response.WriteAsJsonAsync(new { ok = false, error = "unknown_method" });
                return;
        }
    }

    /// <summary>Matches a chat.postMessage to its event; returns the channel.</summary>
    private string? RecordPost(byte[] body)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _posts);
        Interlocked.Exchange(ref _lastPostTimestamp, now);
        string? channel = null;
        string? thread = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.TryGetProperty("channel", out var c) && c.ValueKind == JsonValueKind.String) channel = c.GetString();
            if (root.TryGetProperty("thread_ts", out var t) && t.ValueKind == JsonValueKind.String) thread = t.GetString();
        }
        catch (JsonException)
        {
            // Counted as unexpected below.
        }
        if (channel is not null && _expected.TryGetValue(SlackEvents.AnswerKey(channel, thread), out var track))
        {
            if (track.Record(now)) Interlocked.Increment(ref _answered);
        }
        else
        {
            Interlocked.Increment(ref _unexpectedPosts);
            if (channel is not null) _otherPosts.AddOrUpdate(channel, (1, now), (_, posts) => (posts.Count + 1, posts.First));
        }
        return channel;
    }

    private static async Task<byte[]> ReadAsync(Stream body)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static async Task Drain(Stream body)
    {
        var chunk = new byte[16 * 1024];
        while (await body.ReadAsync(chunk) > 0)
        {
        }
    }
}
