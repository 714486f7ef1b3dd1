using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace GrowthBot.Teams.Auth;

/// <summary>
/// Checks the channel's JWT on every request as the Microsoft 365 Agents SDK does: the token's
/// issuer picks the keys — Azure Bot Service's own issuer its OpenID metadata, a Microsoft Entra
/// issuer (<c>{login}/{tenant}/v2.0</c> or <c>https://sts.windows.net/{tenant}/</c>) that
/// tenant's Entra metadata, for the bot's home tenant and Azure Bot Service's own tenants only.
/// Then RS256/384/512 signature, exact issuer, audience = the bot's app id, lifetime with 5
/// minutes of skew on the injected clock. An Entra token must also name an allowed caller in
/// <c>azp</c>/<c>appid</c> and a <c>tid</c> matching its issuer. Unsigned tokens (<c>alg: none</c>)
/// are refused outright. The service URL and the key's channel endorsements are checked against
/// the activity by the caller.
/// </summary>
internal sealed partial class BotFrameworkTokenValidator : IDisposable
{
    /// <summary>The issuer of the tokens Azure Bot Service signs itself in the public cloud.</summary>
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    /// <summary>How far token times may be off, either way, as the Bot Framework allows.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private readonly TeamsOptions _options;
    private readonly TeamsCloudSettings _cloud;
    private readonly TimeProvider _time;
    private readonly ILogger<BotFrameworkTokenValidator> _logger;
    private readonly IHttpClientFactory _clients;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly OpenIdKeySource? _botFramework;
    private readonly HashSet<Guid> _tenants = [];
    private readonly HashSet<string> _callers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<Guid, OpenIdKeySource> _entra = new();

    public BotFrameworkTokenValidator(IOptions<TeamsOptions> options, IHttpClientFactory clients, TimeProvider time, ILogger<BotFrameworkTokenValidator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clients);
        _options = options.Value;
        _cloud = _options.CloudSettings;
        _time = time;
        _logger = logger;
        _clients = clients;
        if (!_options.IsConfigured) return;

        _botFramework = new OpenIdKeySource(_options.EffectiveOpenIdMetadataUrl, clients.CreateClient(nameof(BotFrameworkTokenValidator)), time, logger);
        if (Guid.TryParse(_options.TenantId?.Trim(), out var home)) _tenants.Add(home);
        foreach (var tenant in _cloud.BotServiceTenants) _tenants.Add(Guid.Parse(tenant));
        _callers.Add(_options.AppId!.Trim());
        foreach (var caller in _options.AllowedCallers.Where(caller => !string.IsNullOrWhiteSpace(caller))) _callers.Add(caller.Trim());
    }

    /// <summary>Checks an <c>Authorization</c> header value. Never throws for a bad token; the reason is safe to log.</summary>
    public async Task<TokenCheck> ValidateAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (_botFramework is null) return TokenCheck.Refused("Teams authentication is not configured");
        if (string.IsNullOrWhiteSpace(authorization) || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return TokenCheck.Refused("no bearer token");
        }
        var token = authorization["Bearer ".Length..].Trim();
        if (!_handler.CanReadToken(token)) return TokenCheck.Refused("malformed token");
        JsonWebToken parsed;
        try
        {
            parsed = _handler.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return TokenCheck.Refused("malformed token");
        }
        if (string.Equals(parsed.Alg, "none", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(parsed.Alg))
        {
            return TokenCheck.Refused("unsigned token (alg none)");
        }

        // The issuer picks the keys; an issuer we do not accept is refused before anything is fetched for it.
        string? issuerValue;
        try
        {
            issuerValue = parsed.Issuer;
        }
        catch (ArgumentException)
        {
            return TokenCheck.Refused("malformed token");
        }
        OpenIdKeySource source;
        string[] issuers;
        Guid tenant = default;
        var fromBotFramework = string.Equals(issuerValue, _cloud.BotFrameworkIssuer, StringComparison.Ordinal);
        if (fromBotFramework)
        {
            source = _botFramework;
            issuers = [_cloud.BotFrameworkIssuer];
        }
        else if (EntraTenantOf(issuerValue) is { } entraTenant && _tenants.Contains(entraTenant))
        {
            tenant = entraTenant;
            source = _entra.GetOrAdd(tenant, id => new OpenIdKeySource(_options.EntraMetadataUrlFor(id.ToString("D")), _clients.CreateClient(nameof(BotFrameworkTokenValidator)), _time, _logger));
            issuers = [_cloud.EntraV2Issuer(tenant.ToString("D")), _cloud.EntraV1Issuer(tenant.ToString("D"))];
        }
        else
        {
            return TokenCheck.Refused("wrong issuer");
        }

        if (await source.GetAsync(cancellationToken).ConfigureAwait(false) is not { } configuration)
        {
            return TokenCheck.Unavailable("the signing keys could not be fetched");
        }
        var result = await ValidateWithAsync(token, configuration, issuers).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException && await source.RefreshedAsync(parsed.Kid, cancellationToken).ConfigureAwait(false) is { } refreshed)
        {
            configuration = refreshed;
            result = await ValidateWithAsync(token, configuration, issuers).ConfigureAwait(false);
        }
        if (!result.IsValid) return TokenCheck.Refused(Describe(result.Exception));
        if (fromBotFramework)
        {
            return new TokenCheck(true, "valid", result.ClaimsIdentity) { Source = TokenSource.BotFramework, Endorsements = EndorsementsOf(configuration, parsed.Kid) };
        }

        var identity = result.ClaimsIdentity;
        var tid = identity.FindFirst("tid")?.Value;
        if (tid is not null && (!Guid.TryParse(tid, out var claimed) || claimed != tenant)) return TokenCheck.Refused("tenant id does not match the issuer");
        var caller = identity.FindFirst("azp")?.Value ?? identity.FindFirst("appid")?.Value;
        if (string.IsNullOrEmpty(caller) || !_callers.Contains(caller)) return TokenCheck.Refused("the app that asked for the token is not an allowed caller");
        return new TokenCheck(true, "valid", identity) { Source = TokenSource.Entra };
    }

    /// <summary>The tenant of an Entra issuer of this cloud (v2 <c>{login}/{tenant}/v2.0</c> or v1), or null.</summary>
    internal Guid? EntraTenantOf(string? issuer)
    {
        if (string.IsNullOrEmpty(issuer)) return null;
        var v2Prefix = _cloud.LoginHost + "/";
        if (issuer.StartsWith(v2Prefix, StringComparison.Ordinal) && issuer.EndsWith("/v2.0", StringComparison.Ordinal)
            && Guid.TryParse(issuer.AsSpan(v2Prefix.Length, issuer.Length - v2Prefix.Length - "/v2.0".Length), out var v2)
            && string.Equals(issuer, _cloud.EntraV2Issuer(v2.ToString("D")), StringComparison.OrdinalIgnoreCase))
        {
            return v2;
        }
        var cut = _cloud.EntraV1IssuerTemplate.IndexOf("{0}", StringComparison.Ordinal);
        var v1Prefix = _cloud.EntraV1IssuerTemplate[..cut];
        var v1Suffix = _cloud.EntraV1IssuerTemplate[(cut + 3)..];
        if (issuer.StartsWith(v1Prefix, StringComparison.Ordinal) && issuer.EndsWith(v1Suffix, StringComparison.Ordinal) && issuer.Length > v1Prefix.Length + v1Suffix.Length
            && Guid.TryParse(issuer.AsSpan(v1Prefix.Length, issuer.Length - v1Prefix.Length - v1Suffix.Length), out var v1)
            && string.Equals(issuer, _cloud.EntraV1Issuer(v1.ToString("D")), StringComparison.OrdinalIgnoreCase))
        {
            return v1;
        }
        return null;
    }

    private Task<TokenValidationResult> ValidateWithAsync(string token, OpenIdConnectConfiguration configuration, string[] issuers) =>
        _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuers = issuers,
            ValidateIssuer = true,
            ValidAudience = _options.AppId?.Trim(),
            ValidateAudience = true,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidateIssuerSigningKey = true,
            // The token must name a key we know; trying every key would hide a key rollover.
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            ValidAlgorithms = Algorithms,
            LifetimeValidator = ValidateLifetime,
        });

    public void Dispose()
    {
        _botFramework?.Dispose();
        foreach (var source in _entra.Values) source.Dispose();
    }

    /// <summary>Lifetime on the injected clock (the library's own check reads the static one).</summary>
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (expires is null) throw new SecurityTokenNoExpirationException("the token has no expiry");
        if (notBefore is { } start && start > now + ClockSkew) throw new SecurityTokenNotYetValidException("the token is not valid yet") { NotBefore = start };
        if (expires.Value < now - ClockSkew) throw new SecurityTokenExpiredException("the token has expired") { Expires = expires.Value };
        return true;
    }

    /// <summary>The channels the signing key is endorsed for (the Bot Framework's <c>endorsements</c> key property); null when it lists none.</summary>
    private static List<string>? EndorsementsOf(OpenIdConnectConfiguration configuration, string? kid)
    {
        var key = configuration.JsonWebKeySet?.Keys.FirstOrDefault(candidate => string.Equals(candidate.Kid, kid, StringComparison.Ordinal));
        if (key is null || !key.AdditionalData.TryGetValue("endorsements", out var value) || value is null) return null;
        return value switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!).ToList(),
            IEnumerable<object> items => items.Select(item => item?.ToString() ?? string.Empty).ToList(),
            string single => [single],
            _ => null,
        };
    }

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenInvalidAudienceException => "wrong audience",
        SecurityTokenInvalidIssuerException => "wrong issuer",
        SecurityTokenExpiredException => "expired",
        SecurityTokenNotYetValidException => "not yet valid",
        SecurityTokenNoExpirationException => "no expiry",
        SecurityTokenSignatureKeyNotFoundException => "unknown signing key",
        SecurityTokenInvalidAlgorithmException => "signing algorithm not allowed",
        SecurityTokenInvalidSignatureException => "bad signature",
        SecurityTokenMalformedException => "malformed token",
        null => "invalid token",
        _ => "invalid token (" + exception.GetType().Name + ")",
    };
}
