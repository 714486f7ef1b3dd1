using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Azure.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Teams.Tests.Support;

/// <summary>
/// A loopback Microsoft Graph (Kestrel on 127.0.0.1, a free port) for <c>POST /v1.0/users/{id}/teamwork/installedApps</c>:
/// 201 for a first install, 409 when the user has the app, 404 for an unknown user or an app not in the
/// catalog, 401 for a token it did not issue or revoked, 403 without the permission, and scripted
/// 429/5xx faults (optionally after the install happened), in Graph's error shape.
/// </summary>
internal sealed class FakeGraph : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _installed = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<(int Status, int? RetryAfter, bool Applied)> _faults = new();
    private readonly ConcurrentQueue<(string User, string? Authorization, string Body)> _requests = new();

    private FakeGraph(WebApplication app) => _app = app;

    public const string CatalogAppId = "e3a1c9b2-5d4f-4a6b-9c8d-7e6f5a4b3c2d";

    public Uri BaseAddress { get; private set; } = null!;

    public Credential Tokens { get; } = new();

    /// <summary>Whether the app's credential has the Graph permission (false: 403).</summary>
    public bool Permitted { get; set; } = true;

    public IReadOnlyList<(string User, string? Authorization, string Body)> Requests => [.. _requests];

    public bool IsInstalledFor(string user) => _installed.ContainsKey(user);

    public void AddUser(string objectId, bool installed = false)
    {
        _users[objectId] = 0;
        if (installed) _installed[objectId] = 0;
    }

    public void FailNext(int status, int? retryAfterSeconds = null, bool applied = false) => _faults.Enqueue((status, retryAfterSeconds, applied));

    public static async Task<FakeGraph> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeGraph(app);
        app.MapPost("/v1.0/users/{user}/teamwork/installedApps", fake.InstallAsync);
        await app.StartAsync();
        fake.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return fake;
    }

    private async Task<IResult> InstallAsync(string user, HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var authorization = context.Request.Headers.Authorization.ToString();
        _requests.Enqueue((user, authorization, body));

        if (!Tokens.IsValid(authorization))
        {
            // A revoked token gets continuous access evaluation's claims challenge; any other bad token the plain one.
            context.Response.Headers.WWWAuthenticate = Tokens.IsRevoked(authorization)
                ? "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\", error=\"insufficient_claims\", claims=\"" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(RevokedClaims)) + "\""
                : "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";
            return Tokens.IsRevoked(authorization)
                ? Error(401, "InvalidAuthenticationToken", "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp")
                : Error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
        }
        if (!Permitted)
        {
            return Error(403, "Forbidden", "Missing role permissions on the request. API requires one of 'TeamsAppInstallation.ReadWriteSelfForUser.All, TeamsAppInstallation.ReadWriteForUser.All'. Roles on the request ''.");
        }
        string? bind = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("teamsApp@odata.bind", out var value) && value.ValueKind == JsonValueKind.String) bind = value.GetString();
        }
        catch (JsonException)
        {
        }
        if (bind is null) return Error(400, "BadRequest", "Invalid request body: teamsApp@odata.bind is required.");
        if (!_users.ContainsKey(user)) return Error(404, "NotFound", $"Resource '{user}' does not exist or one of its queried reference-property objects are not present.");
        if (!string.Equals(bind, new Uri(BaseAddress, $"v1.0/appCatalogs/teamsApps/{CatalogAppId}").ToString(), StringComparison.Ordinal))
        {
            return Error(404, "NotFound", $"The definition for app '{bind.Split('/')[^1]}' was not found in the org-wide catalog.");
        }

        if (_faults.TryDequeue(out var fault))
        {
            if (fault.Applied) _installed[user] = 0;
            if (fault.RetryAfter is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return fault.Status == 429
                ? Error(429, "TooManyRequests", "Too many requests.")
                : Error(fault.Status, fault.Status == 503 ? "ServiceUnavailable" : "InternalServerError", "The service is temporarily unavailable.");
        }
        if (!_installed.TryAdd(user, 0)) return Error(409, "Conflict", "App is already installed.");
        return Results.StatusCode(201);
    }

    private static IResult Error(int status, string code, string message) => Results.Json(
        new { error = new { code, message, innerError = new { date = "2026-12-01T09:00:00", requestId = "5f1f6a0e-0000-4000-8000-000000000001", clientRequestId = "5f1f6a0e-0000-4000-8000-000000000002" } } },
        statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The claims a CAE challenge asks for, as Graph sends them.</summary>
    public const string RevokedClaims = """{"access_token":{"nbf":{"essential":true,"value":"1764579600"}}}""";

    /// <summary>
    /// The bot's credential as Azure.Identity behaves: the cached token until it expires, a new one only when a
    /// request carries claims (a CAE challenge); <see cref="Revoke"/> invalidates the tokens given so far.
    /// </summary>
    internal sealed class Credential : TokenCredential
    {
        private int _issued;
        private int _validFrom = 1;

        public ConcurrentQueue<string> Scopes { get; } = new();

        public int Issued => Volatile.Read(ref _issued);

        public void Revoke() => Volatile.Write(ref _validFrom, Issued + 1);

        /// <summary>Refuse every token, even new ones (the app's secret was removed).</summary>
        public bool RefuseAll { get; set; }

        public ConcurrentQueue<string?> Claims { get; } = new();

        public bool IsRevoked(string authorization) =>
            authorization.StartsWith("Bearer graph-token-", StringComparison.Ordinal)
            && int.TryParse(authorization["Bearer graph-token-".Length..], CultureInfo.InvariantCulture, out var number)
            && number < Volatile.Read(ref _validFrom);

        public bool IsValid(string authorization) =>
            !RefuseAll && authorization.StartsWith("Bearer graph-token-", StringComparison.Ordinal)
            && int.TryParse(authorization["Bearer graph-token-".Length..], CultureInfo.InvariantCulture, out var number)
            && number >= Volatile.Read(ref _validFrom) && number <= Issued;

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            foreach (var scope in requestContext.Scopes) Scopes.Enqueue(scope);
            Claims.Enqueue(requestContext.Claims);
            lock (Scopes)
            {
                if (Issued == 0 || requestContext.Claims is not null) Interlocked.Increment(ref _issued);
                return ValueTask.FromResult(new AccessToken($"graph-token-{Issued}", DateTimeOffset.MaxValue));
            }
        }
    }
}
