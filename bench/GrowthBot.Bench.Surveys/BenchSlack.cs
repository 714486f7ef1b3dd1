using GrowthBot.Bench.Slack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GrowthBot.Bench.Surveys;

/// <summary>
/// A loopback stand-in for the Slack Web API and for response_url: answers auth.test,
/// conversations.open and chat.postMessage like Slack, and counts what arrives.
/// </summary>
internal sealed class BenchSlack : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _posts;
    private int _responses;

    private BenchSlack(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public int Posts => Volatile.Read(ref _posts);

    public int Responses => Volatile.Read(ref _responses);

    public static async Task<BenchSlack> StartAsync()
    {
        var app = LoopbackApp.Create();
        var slack = new BenchSlack(app);
        app.MapPost("/api/{method}", async (HttpContext context, string method) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            object answer = method switch
            {
                "auth.test" => new { ok = true, team_id = "T0HOME", user_id = "U0BOT", bot_id = "B0BOT" },
                "conversations.open" => new { ok = true, channel = new { id = "D0BENCH" } },
                "chat.postMessage" => new { ok = true, channel = "D0BENCH", ts = $"1732615999.{Interlocked.Increment(ref slack._posts):D6}" },
                "chat.update" => new { ok = true },
                _ => new { ok = false, error = "unknown_method" },
            };
            await context.Response.WriteAsJsonAsync(answer);
        });
        app.MapPost("/respond", async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            Interlocked.Increment(ref slack._responses);
            context.Response.StatusCode = 200;
        });
        await app.StartAsync();
        slack.BaseAddress = LoopbackApp.AddressOf(app);
        return slack;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
