using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GrowthBot.Bench.Slack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GrowthBot.Bench.Teams;

/// <summary>
/// The Bot Framework for the benchmark, on 127.0.0.1: the OpenID metadata and JWKS with the bench's
/// RSA key, the token endpoint for the bot's app token, and the connector at <c>/teams/</c>, which
/// counts the replies per activity they answer (to find lost and doubly answered ones) and answers
/// member lookups as a home-tenant user.
/// </summary>
internal sealed class BenchBotFramework : IAsyncDisposable
{
    public const string AppId = "bench0000-0000-4000-8000-00000000b07";
    public const string AppPassword = "bench-app-password";
    public const string Tenant = "bench0000-0000-4000-8000-0000000ten0";

    /// <summary>
    /// The tenants the load's conversations belong to. Teams allows an app 50 requests per second per
    /// tenant (and the bot keeps to it), so 300 answers a second need at least seven tenants: one
    /// tenant sending that much is not something Teams would deliver answers for.
    /// </summary>
    public static readonly IReadOnlyList<string> Tenants = [.. Enumerable.Range(0, 8).Select(i => $"bench0000-0000-4000-8000-0000000ten{i}")];
    public const string Issuer = "https://api.botframework.com";

    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, int> _repliesTo = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _firstReplyAt = new(StringComparer.Ordinal);
    private int _replies;
    private int _typing;
    private int _memberLookups;
    private int _tokens;

    private BenchBotFramework(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public string ServiceUrl => new Uri(BaseAddress, "/teams/").ToString();

    public int Replies => Volatile.Read(ref _replies);

    public int MemberLookups => Volatile.Read(ref _memberLookups);

    public int TokensIssued => Volatile.Read(ref _tokens);

    public static async Task<BenchBotFramework> StartAsync()
    {
        var app = LoopbackApp.Create();
        var fake = new BenchBotFramework(app);
        app.MapGet("/v1/.well-known/openidconfiguration", () => Results.Content(new JsonObject
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = new Uri(fake.BaseAddress, "/v1/.well-known/keys").ToString(),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        }.ToJsonString(), "application/json"));
        app.MapGet("/v1/.well-known/keys", () =>
        {
            var parameters = fake._rsa.ExportParameters(false);
            var key = new JsonObject
            {
                ["kty"] = "RSA", ["use"] = "sig", ["kid"] = "bench-key",
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                ["endorsements"] = new JsonArray("msteams"),
            };
            return Results.Content(new JsonObject { ["keys"] = new JsonArray(key) }.ToJsonString(), "application/json");
        });
        app.MapPost("/token", () =>
        {
            Interlocked.Increment(ref fake._tokens);
            return Results.Json(new { token_type = "Bearer", expires_in = 3599, access_token = "bench-app-token" });
        });
        app.MapGet("/teams/v3/conversations/{conversation}/members/{member}", (string member) =>
        {
            Interlocked.Increment(ref fake._memberLookups);
            return Results.Json(new { id = member, aadObjectId = member, name = "Bench User", tenantId = Tenant, userRole = "user" });
        });
        app.MapPost("/teams/v3/conversations/{conversation}/activities/{replyTo}", async (string replyTo, HttpContext context) =>
        {
            // A typing indicator (sent while an answer takes over a second) is not an answer.
            using var body = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body);
            if (body.RootElement.TryGetProperty("type", out var type) && type.GetString() == "typing")
            {
                Interlocked.Increment(ref fake._typing);
                return Results.Json(new { id = "1:typing-" + replyTo }, statusCode: 201);
            }
            fake._repliesTo.AddOrUpdate(replyTo, 1, (_, count) => count + 1);
            fake._firstReplyAt.TryAdd(replyTo, System.Diagnostics.Stopwatch.GetTimestamp());
            Interlocked.Increment(ref fake._replies);
            return Results.Json(new { id = "1:reply-" + replyTo }, statusCode: 201);
        });
        await app.StartAsync();
        fake.BaseAddress = LoopbackApp.AddressOf(app);
        return fake;
    }

    /// <summary>Typing indicators the bot sent (answers that took over a second).</summary>
    public int Typing => Volatile.Read(ref _typing);

    /// <summary>How many replies answered the activity <paramref name="activityId"/>.</summary>
    public int RepliesTo(string activityId) => _repliesTo.TryGetValue(activityId, out var count) ? count : 0;

    /// <summary>Stopwatch timestamp of the first reply to the activity, or null.</summary>
    public long? FirstReplyAt(string activityId) => _firstReplyAt.TryGetValue(activityId, out var at) ? at : null;

    /// <summary>A Bot Framework token for this connector's service URL, valid for an hour (Teams reuses one for a while too).</summary>
    public string Token()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = AppId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = new Dictionary<string, object> { ["serviceurl"] = ServiceUrl },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = "bench-key" }, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
    }
}
