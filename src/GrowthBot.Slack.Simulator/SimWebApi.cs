using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Slack.Simulator;

/// <summary>
/// The loopback stand-in for <c>https://slack.com/api/</c>, the file upload URLs and the
/// response_urls: a Kestrel server on 127.0.0.1 (a free port) that answers the bot's calls as
/// Slack does (<see cref="SimApiMethods"/>), refuses a wrong token (<c>invalid_auth</c>,
/// <c>not_authed</c>), and can be told to fail a method's next call as Slack fails.
/// </summary>
internal sealed class SimWebApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SimApiMethods _methods;

    /// <summary>The methods behind the server (the simulator answers a slash command through the same response_url logic).</summary>
    public SimApiMethods Methods => _methods;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _failures = new(StringComparer.Ordinal);

    private SimWebApi(WebApplication app, SimApiMethods methods)
    {
        _app = app;
        _methods = methods;
    }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What the host's <c>Slack__ApiBaseUrl</c> must be.</summary>
    public string ApiBaseUrl => new Uri(BaseAddress, "api/").ToString();

    public static async Task<SimWebApi> StartAsync(SimApiMethods methods, int port = 0, CancellationToken cancellationToken = default)
    {
        // Its own content root: it reads no files, and must not depend on the working directory or ASPNETCORE_CONTENTROOT.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new SimWebApi(app, methods);
        app.MapPost("/api/{method}", api.HandleMethodAsync);
        app.MapPost("/upload/{fileId}", api.HandleUploadAsync);
        app.MapPost("/respond/{**id}", api.HandleResponseUrlAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        methods.BaseAddress = api.BaseAddress;
        return api;
    }

    /// <summary>The next call of <paramref name="method"/> fails with Slack's <paramref name="error"/> (ratelimited → HTTP 429 with Retry-After; http_500 and the like → that status).</summary>
    public void FailNext(string method, string error) => _failures.GetOrAdd(method, _ => new ConcurrentQueue<string>()).Enqueue(error);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleMethodAsync(HttpContext context, string method)
    {
        var arguments = await ArgumentsAsync(context.Request).ConfigureAwait(false);
        if (arguments is null)
        {
            await context.Response.WriteAsJsonAsync(new { ok = false, error = "invalid_json" }).ConfigureAwait(false);
            return;
        }
        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : SimJson.Str(arguments, "token");
        JsonObject answer;
        if (string.IsNullOrEmpty(token)) answer = SimApiMethods.Error("not_authed");
        else if (token != _methods.Workspace.BotToken) answer = SimApiMethods.Error("invalid_auth");
        else if (_failures.TryGetValue(method, out var queue) && queue.TryDequeue(out var failure))
        {
            await FailAsync(context, method, failure).ConfigureAwait(false);
            return;
        }
        else answer = _methods.Call(method, arguments);
        // Slack answers every Web API call with HTTP 200 and says in "ok" whether it worked.
        await context.Response.WriteAsJsonAsync(answer).ConfigureAwait(false);
    }

    private async Task FailAsync(HttpContext context, string method, string failure)
    {
        _methods.Transcript.Say($"(simulator: {method} failed with {failure}, as you asked)");
        if (failure == "ratelimited")
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "1";
            await context.Response.WriteAsJsonAsync(SimApiMethods.Error("ratelimited")).ConfigureAwait(false);
        }
        else if (failure.StartsWith("http_", StringComparison.Ordinal) && int.TryParse(failure.AsSpan(5), out var status) && status is >= 400 and <= 599)
        {
            context.Response.StatusCode = status;
        }
        else
        {
            await context.Response.WriteAsJsonAsync(SimApiMethods.Error(failure)).ConfigureAwait(false);
        }
    }

    private async Task HandleUploadAsync(HttpContext context, string fileId)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var accepted = _methods.Upload(fileId, buffer.ToArray());
        context.Response.StatusCode = accepted ? StatusCodes.Status200OK : StatusCodes.Status404NotFound;
        // files.slack.com answers a successful upload with plain text.
        await context.Response.WriteAsync(accepted ? $"OK - {buffer.Length}" : "file_not_found").ConfigureAwait(false);
    }

    private async Task HandleResponseUrlAsync(HttpContext context, string id)
    {
        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }
        var (status, error) = _methods.Respond(id, body);
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(error is null ? new JsonObject { ["ok"] = true } : SimApiMethods.Error(error)).ConfigureAwait(false);
    }

    /// <summary>A call's arguments, from a JSON body or a form (and the query string), as one object; null for malformed JSON.</summary>
    private static async Task<JsonObject?> ArgumentsAsync(HttpRequest request)
    {
        var arguments = new JsonObject();
        foreach (var (name, value) in request.Query) arguments[name] = value.ToString();
        if (request.HasJsonContentType())
        {
            try
            {
                if (await JsonNode.ParseAsync(request.Body).ConfigureAwait(false) is not JsonObject json) return null;
                foreach (var (name, value) in json.ToList())
                {
                    json.Remove(name);
                    arguments[name] = value;
                }
            }
            catch (JsonException)
            {
                return null;
            }
        }
        else
        {
            using var reader = new StreamReader(request.Body);
            foreach (var (name, value) in QueryHelpers.ParseQuery(await reader.ReadToEndAsync().ConfigureAwait(false))) arguments[name] = value.ToString();
        }
        return arguments;
    }
}
