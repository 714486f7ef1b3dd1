using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using GrowthBot.Core.ApiKeys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace GrowthBot.Host.Api.Auth;

/// <summary>The one throttle of refused-key log lines (handlers are made per request, so it is a singleton of its own).</summary>
internal sealed class ApiKeyRefusals(TimeProvider time)
{
    public Core.Diagnostics.RefusalThrottle Throttle { get; } = new(time, Core.Diagnostics.RefusalThrottle.DefaultInterval);
}

/// <summary>Settings of the API-key scheme (none yet beyond the defaults).</summary>
internal sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>
/// Authenticates <c>Authorization: Bearer gb_…</c> against the stored keys (or the running host's
/// own loopback key, <see cref="LocalHostKey"/>). Only the header counts: a key in the query string
/// would end up in proxy and access logs, so it is ignored. No header gives no result (the
/// endpoint's policy then answers 401); a bad key fails with its reason logged by key id, never
/// by key. Each scope becomes a <c>scope</c> claim for the policies in <see cref="ApiKeyPolicies"/>.
/// </summary>
internal sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyService keys,
    LocalHostKey localKey,
    IOptions<ApiOptions> hostOptions,
    ApiKeyRefusals refusals) : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggerFactory, encoder)
{
    public const string ScopeClaim = "scope";
    private const string BearerPrefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return Task.FromResult(AuthenticateResult.NoResult());
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)) return Task.FromResult(AuthenticateResult.Fail("expected Authorization: Bearer gb_…"));
        var presented = header[BearerPrefix.Length..].Trim();
        if (!presented.StartsWith(ApiKeyService.Prefix, StringComparison.Ordinal)) return Task.FromResult(AuthenticateResult.Fail("that is not a GrowthBot API key (gb_…)"));

        if (localKey.Matches(presented))
        {
            // The key is only as safe as the loopback trust it stands for: a proxy on this machine
            // connects from loopback too, and says so in its forwarding headers; a rebound DNS name
            // shows in Host.
            if (Context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote)) return Task.FromResult(AuthenticateResult.Fail("the host's own key only works from this machine"));
            if (RequestOrigin.IsForwarded(Request)) return Task.FromResult(AuthenticateResult.Fail("the host's own key only works from this machine, not through a proxy"));
            if (!RequestOrigin.HostIsLoopback(Request)) return Task.FromResult(AuthenticateResult.Fail("the host's own key only works with this machine's name as Host"));
            return Task.FromResult(Success(LocalHostKey.KeyId, LocalHostKey.KeyName, ApiKeyScopes.All));
        }

        var check = keys.Check(presented);
        if (check.Verdict != ApiKeyVerdict.Valid)
        {
            if (refusals.Throttle.ShouldLog(out var unlogged)) LogRejected(Logger, check.Key?.Id ?? "(none)", check.Verdict, unlogged, refusals.Throttle.Interval);
            return Task.FromResult(AuthenticateResult.Fail(check.Verdict switch
            {
                ApiKeyVerdict.Revoked => "the API key was revoked",
                ApiKeyVerdict.Expired => "the API key has expired",
                _ => "the API key is not valid",
            }));
        }
        var key = check.Key!;
        return Task.FromResult(Success(key.Id, key.Name, key.Scopes));
    }

    private AuthenticateResult Success(string id, string name, IEnumerable<string> scopes)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, id), new(ClaimTypes.Name, name) };
        claims.AddRange(scopes.Select(scope => new Claim(ScopeClaim, scope)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var result = await HandleAuthenticateOnceSafeAsync();
        var reason = result.Failure?.Message ?? "send an API key as Authorization: Bearer gb_… (create one with `growthbot apikey create NAME`)";
        await Response.WriteAsJsonAsync(new ApiError(reason), ApiJson.Default.ApiError);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var reason = RequestOrigin.HostIsAllowed(Request, hostOptions.Value.AllowedHosts)
            ? "this API key does not have the scope this request needs"
            : $"the admin API does not answer under the name '{Request.Host.Host}' (allowed: this machine's names and Api__AllowedHosts)";
        await Response.WriteAsJsonAsync(new ApiError(reason), ApiJson.Default.ApiError);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "API key {KeyId} refused: {Verdict}; {Unlogged} more refused since the last such line (at most one line per {Interval})")]
    private static partial void LogRejected(ILogger logger, string keyId, ApiKeyVerdict verdict, long unlogged, TimeSpan interval);
}
