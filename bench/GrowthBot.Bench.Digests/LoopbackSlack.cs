using System.Collections.Concurrent;
using System.Diagnostics;
using GrowthBot.Bench.Slack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace GrowthBot.Bench.Digests;

/// <summary>
/// A loopback Slack Web API for the delivery sweep: answers chat.postMessage and the three-step file
/// upload after a configurable latency, counts posts per channel, and records the shortest gap
/// between two paced calls to one channel (Slack allows about one message per second per channel).
/// </summary>
internal sealed class LoopbackSlack : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeSpan _latency;
    private readonly ConcurrentDictionary<string, int> _posts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _lastPaced = new(StringComparer.Ordinal);
    private long _shortestGapTicks = long.MaxValue;
    private long _uploads;
    private long _counter;

    private LoopbackSlack(WebApplication app, TimeSpan latency)
    {
        _app = app;
        _latency = latency;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public string ApiBaseUrl => new Uri(BaseAddress, "/api/").ToString();

    public int Posts => _posts.Values.Sum();

    public int ChannelsPostedTwice => _posts.Values.Count(count => count > 1);

    public long Uploads => Interlocked.Read(ref _uploads);

    public TimeSpan? ShortestGapPerChannel => _shortestGapTicks == long.MaxValue ? null : TimeSpan.FromSeconds((double)_shortestGapTicks / Stopwatch.Frequency);

    public static async Task<LoopbackSlack> StartAsync(TimeSpan latency)
    {
        var app = LoopbackApp.Create();
        var fake = new LoopbackSlack(app, latency);
        app.MapPost("/api/{method}", fake.HandleAsync);
        app.MapPost("/upload/{id}", async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            await Task.Delay(latency, TimeProvider.System);
            Interlocked.Increment(ref fake._uploads);
        });
        await app.StartAsync();
        fake.BaseAddress = LoopbackApp.AddressOf(app);
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, string method)
    {
        // Arrival time, before the body is read: under a busy CPU, reading a large post can lag.
        var arrived = Stopwatch.GetTimestamp();
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        await Task.Delay(_latency, TimeProvider.System);
        var channel = Channel(context, body);
        switch (method)
        {
            case "chat.postMessage":
                Paced(channel, arrived);
                _posts.AddOrUpdate(channel, 1, (_, count) => count + 1);
                await context.Response.WriteAsJsonAsync(new { ok = true, channel, ts = $"1764000000.{Interlocked.Increment(ref _counter):D6}" });
                break;
            case "files.getUploadURLExternal":
                var id = $"F{Interlocked.Increment(ref _counter)}";
                await context.Response.WriteAsJsonAsync(new { ok = true, upload_url = new Uri(BaseAddress, $"/upload/{id}").ToString(), file_id = id });
                break;
            case "files.completeUploadExternal":
                Paced(channel, arrived);
                await context.Response.WriteAsJsonAsync(new { ok = true, files = new[] { new { id = "F", title = "chart" } } });
                break;
            default:
                await context.Response.WriteAsJsonAsync(new { ok = true, url = "https://bench.slack.com/", team = "Bench", user = "growthbot", team_id = "T0BENCH", user_id = "U0BOT", bot_id = "B0BOT" });
                break;
        }
    }

    private void Paced(string channel, long now)
    {
        if (channel.Length == 0) throw new InvalidOperationException("A paced call named no channel.");
        long previous = 0;
        _lastPaced.AddOrUpdate(channel, now, (_, last) =>
        {
            previous = last;
            return now;
        });
        if (previous == 0) return;
        var gap = now - previous;
        long shortest;
        while (gap < (shortest = Interlocked.Read(ref _shortestGapTicks)) && Interlocked.CompareExchange(ref _shortestGapTicks, gap, shortest) != shortest)
        {
        }
    }

    private static string Channel(HttpContext context, string body)
    {
        if (context.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("channel", out var channel) ? channel.GetString() ?? string.Empty : string.Empty;
        }
        var form = QueryHelpers.ParseQuery(body);
        return form.TryGetValue("channel_id", out var id) ? id.ToString() : form.TryGetValue("channel", out var other) ? other.ToString() : string.Empty;
    }
}
