using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthBot.Teams.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Host.Tests.Teams;

/// <summary>One call the bot made to the fake connector: method, conversation, activity id (if any) and body.</summary>
internal sealed record ConnectorCall(string Method, string Kind, string? Conversation, string? ActivityId, string? Authorization, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// A loopback stand-in for the Bot Framework: a real Kestrel server on 127.0.0.1 that is the
/// OpenID authority (metadata + JWKS with a test RSA key, endorsed for msteams), the token
/// endpoint for the bot's app token, and the Teams connector (service URL <c>/teams/</c>) that
/// records every activity the bot sends and answers member lookups from <see cref="AddMember"/>.
/// </summary>
internal sealed class FakeBotFramework : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ConnectorCall> _calls = new();
    private readonly ConcurrentDictionary<string, JsonObject> _members = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _shown = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _deleted = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly List<JsonObject> _keys = [];
    private readonly SemaphoreSlim _callArrived = new(0);
    private int _activityCounter;
    private int _tokensIssued;

    private FakeBotFramework(WebApplication app)
    {
        _app = app;
        _keys.Add(Key.Jwk("msteams"));
    }

    public TestSigningKey Key { get; } = new("test-key-1");

    /// <summary>The home tenant's Entra signing key, published in that tenant's own metadata (no endorsements: Entra keys carry none).</summary>
    public TestSigningKey EntraKey { get; } = new("entra-key-1");

    /// <summary>The Entra metadata URL template, <c>{tenantId}</c> standing for the tenant.</summary>
    public string EntraMetadataUrlTemplate => BaseAddress.AbsoluteUri.TrimEnd('/') + "/{tenantId}/v2.0/.well-known/openid-configuration";

    public Uri BaseAddress { get; private set; } = null!;

    public string MetadataUrl => new Uri(BaseAddress, "/v1/.well-known/openidconfiguration").ToString();

    public string TokenEndpoint => new Uri(BaseAddress, "/botframework.com/oauth2/v2.0/token").ToString();

    /// <summary>The connector's service URL, as Teams puts it in activities.</summary>
    public string ServiceUrl => new Uri(BaseAddress, "/teams/").ToString();

    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    public IReadOnlyList<ConnectorCall> Calls => [.. _calls];

    public static async Task<FakeBotFramework> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeBotFramework(app);
        app.MapGet("/v1/.well-known/openidconfiguration", () => Results.Content(
            BotFrameworkTokens.Metadata(BotFrameworkTokens.Issuer, new Uri(fake.BaseAddress, "/v1/.well-known/keys").ToString()).ToJsonString(), "application/json"));
        app.MapGet("/v1/.well-known/keys", () =>
        {
            lock (fake._keys) return Results.Content(BotFrameworkTokens.Jwks(fake._keys.Select(key => key.DeepClone().AsObject())).ToJsonString(), "application/json");
        });
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => tenant == BotFrameworkTokens.HomeTenant
            ? Results.Content(BotFrameworkTokens.EntraMetadata(tenant, new Uri(fake.BaseAddress, $"/{tenant}/discovery/v2.0/keys").ToString()).ToJsonString(), "application/json")
            : Results.Json(new { error = "invalid_tenant", error_description = "AADSTS90002: Tenant not found." }, statusCode: 400));
        app.MapGet("/{tenant}/discovery/v2.0/keys", () => Results.Content(BotFrameworkTokens.Jwks([fake.EntraKey.Jwk()]).ToJsonString(), "application/json"));
        app.MapPost("/botframework.com/oauth2/v2.0/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            if (form["client_id"] != BotFrameworkTokens.AppId || form["client_secret"] != TeamsHostFactory.AppPassword)
            {
                return Results.Json(new { error = "invalid_client", error_description = "AADSTS7000215: Invalid client secret provided." }, statusCode: 401);
            }
            Interlocked.Increment(ref fake._tokensIssued);
            return Results.Json(new { token_type = "Bearer", expires_in = 3599, access_token = "fake-app-token" });
        });
        app.Map("/teams/{**rest}", fake.HandleConnectorAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseAddress = new Uri(address);
        return fake;
    }

    /// <summary>Publishes another signing key (a key rollover).</summary>
    public void Publish(TestSigningKey key)
    {
        lock (_keys) _keys.Add(key.Jwk("msteams"));
    }

    /// <summary>
    /// What any member of the conversation sees for a message now: the last content posted or
    /// updated (PUT) under that activity id, as Teams keeps it; null for an activity never posted or updated.
    /// </summary>
    public JsonElement? Shown(string activityId) => _shown.TryGetValue(activityId, out var body) ? JsonDocument.Parse(body).RootElement.Clone() : null;

    /// <summary>The next connector call of this kind ("send", "reply", "update", "delete"…) fails with this status; <paramref name="applied"/>: after the change was made.</summary>
    public void FailNext(string kind, int status, string code, string message, bool applied = false, int? retryAfterSeconds = null) =>
        _faults.Enqueue(new Fault(kind, status, code, message, applied, retryAfterSeconds));

    /// <summary>Whether the bot (or anyone) deleted this activity.</summary>
    public bool IsDeleted(string activityId) => _deleted.ContainsKey(activityId);

    private sealed record Fault(string Kind, int Status, string Code, string Message, bool Applied, int? RetryAfterSeconds);

    /// <summary>Publishes a key with no channel endorsements.</summary>
    public void PublishWithoutEndorsements(TestSigningKey key)
    {
        lock (_keys) _keys.Add(key.Jwk());
    }

    /// <summary>
    /// Makes the member lookup describe this user (role "user", "guest" or "anonymous"), found by
    /// account id or Entra object id as Teams does, in the shape Teams documents (the object id as <c>objectId</c>).
    /// </summary>
    public void AddMember(string aadObjectId, string accountId, string tenantId, string role = "user")
    {
        var member = new JsonObject { ["id"] = accountId, ["objectId"] = aadObjectId, ["name"] = $"Person {aadObjectId}", ["tenantId"] = tenantId, ["userRole"] = role };
        _members[aadObjectId] = member;
        _members[accountId] = member;
    }

    /// <summary>Waits (on the fake's own signal, not a timer) until calls matching the filter have arrived.</summary>
    public async Task<IReadOnlyList<ConnectorCall>> WaitForAsync(Func<ConnectorCall, bool> match, int count = 1, TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var matching = Calls.Where(match).ToList();
            if (matching.Count >= count) return matching;
            try
            {
                await _callArrived.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Expected {count} matching connector call(s); got {matching.Count}. All calls: {string.Join(", ", Calls.Select(call => $"{call.Method} {call.Kind} {call.Conversation}"))}");
            }
        }
    }

    public Task<IReadOnlyList<ConnectorCall>> WaitForKindAsync(string kind, int count = 1) => WaitForAsync(call => call.Kind == kind, count);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _callArrived.Dispose();
        Key.Dispose();
        EntraKey.Dispose();
    }

    private async Task HandleConnectorAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        // /teams/v3/conversations[/{conversation}[/activities[/{activity}] | /members/{user}]]
        var segments = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var method = context.Request.Method;
        var conversation = segments.Length > 3 ? segments[3] : null;
        var second = segments.Length > 5 ? segments[5] : null;
        var kind = (method, segments.Length > 4 ? segments[4] : null, second is null) switch
        {
            ("POST", null, _) => "create",
            ("POST", "activities", true) => "send",
            ("POST", "activities", false) => "reply",
            ("PUT", "activities", false) => "update",
            ("DELETE", "activities", false) => "delete",
            ("GET", "members", false) => "member",
            _ => "unknown",
        };
        _calls.Enqueue(new ConnectorCall(method, kind, conversation, second, context.Request.Headers.Authorization.ToString(), body));

        if (_faults.TryPeek(out var fault) && fault.Kind == kind && _faults.TryDequeue(out _))
        {
            // A failure after the write: the change happened, the bot is told it did not.
            if (fault.Applied && kind == "update") _shown[second!] = body;
            if (fault.Applied && kind == "delete" && _shown.TryRemove(second!, out _)) _deleted[second!] = 0;
            if (fault.RetryAfterSeconds is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.StatusCode = fault.Status;
            await context.Response.WriteAsJsonAsync(new { error = new { code = fault.Code, message = fault.Message } });
            _callArrived.Release();
            return;
        }
        _callArrived.Release();

        switch (kind)
        {
            case "update" or "delete" when _deleted.ContainsKey(second!):
                // Teams: a deleted message can be neither updated nor deleted again.
                context.Response.StatusCode = (int)HttpStatusCode.NotFound;
                await context.Response.WriteAsJsonAsync(new { error = new { code = "ActivityNotFoundInConversation", message = "The activity was not found in the conversation." } });
                return;
            case "delete":
                _shown.TryRemove(second!, out _);
                _deleted[second!] = 0;
                return;
            case "create":
                await context.Response.WriteAsJsonAsync(new { id = "a:1createdPersonalChat" + Interlocked.Increment(ref _activityCounter) });
                return;
            case "update":
                _shown[second!] = body;
                await context.Response.WriteAsJsonAsync(new { id = second });
                return;
            case "send" or "reply":
                var id = "1:bot-activity-" + Interlocked.Increment(ref _activityCounter);
                _shown[id] = body;
                await context.Response.WriteAsJsonAsync(new { id });
                return;
            case "member" when _members.TryGetValue(second!, out var member):
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(member.ToJsonString());
                return;
            default:
                context.Response.StatusCode = (int)HttpStatusCode.NotFound;
                await context.Response.WriteAsJsonAsync(new { error = new { code = "NotFound", message = "The member or conversation was not found." } });
                return;
        }
    }
}
