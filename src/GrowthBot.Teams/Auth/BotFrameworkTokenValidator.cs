using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace GrowthBot.Teams.Auth;

/// <summary>
/// Checks the Bot Framework JWT on every request as the Bot Framework SDK does: signing keys from
/// the OpenID metadata (refreshed once when a token names a key id not seen yet, for key rollover),
/// RS256/384/512 signature, issuer (the Bot Framework, or the home tenant's Entra ID when
/// <c>Teams:TenantId</c> is set), audience = the bot's app id, lifetime with 5 minutes of skew on
/// the injected clock. Unsigned tokens (<c>alg: none</c>) are refused outright. The service URL
/// claim and the key's channel endorsements are checked against the activity by the caller.
/// </summary>
internal sealed partial class BotFrameworkTokenValidator : IDisposable
{
    /// <summary>The issuer of the tokens the Bot Framework channels (Teams among them) send.</summary>
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    /// <summary>How far token times may be off, either way, as the Bot Framework allows.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The least time between two metadata fetches forced by unknown key ids.</summary>
    public static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromMinutes(1);

    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private readonly TeamsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BotFrameworkTokenValidator> _logger;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly string[] _issuers;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _metadata;
    private readonly HttpDocumentRetriever? _documents;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private (OpenIdConnectConfiguration Configuration, DateTimeOffset FetchedAt)? _fresh;

    public BotFrameworkTokenValidator(IOptions<TeamsOptions> options, IHttpClientFactory clients, TimeProvider time, ILogger<BotFrameworkTokenValidator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clients);
        _options = options.Value;
        _time = time;
        _logger = logger;
        _issuers = Issuers(_options.TenantId);
        if (!_options.IsConfigured) return;

        var metadataUrl = new Uri(_options.OpenIdMetadataUrl);
        // https everywhere except a loopback metadata server (the tests' own authority).
        _documents = new HttpDocumentRetriever(clients.CreateClient(nameof(BotFrameworkTokenValidator))) { RequireHttps = !Loopback.IsLoopback(metadataUrl) };
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(metadataUrl.ToString(), new OpenIdConnectConfigurationRetriever(), _documents);
    }

    /// <summary>The issuers accepted: the Bot Framework, plus the tenant's Entra ID v1 and v2 issuers for a single-tenant bot.</summary>
    internal static string[] Issuers(string? tenantId) => string.IsNullOrWhiteSpace(tenantId)
        ? [BotFrameworkIssuer]
        : [BotFrameworkIssuer, $"https://sts.windows.net/{tenantId.Trim()}/", $"https://login.microsoftonline.com/{tenantId.Trim()}/v2.0"];

    /// <summary>Checks an <c>Authorization</c> header value. Never throws for a bad token; the reason is safe to log.</summary>
    public async Task<TokenCheck> ValidateAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (_metadata is null) return TokenCheck.Refused("Teams authentication is not configured");
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

        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await _metadata.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException exception)
        {
            LogMetadataUnavailable(_options.OpenIdMetadataUrl, exception.Message);
            return TokenCheck.Unavailable("the signing keys could not be fetched");
        }

        var result = await ValidateWithAsync(token, configuration).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException && await RefreshedAsync(parsed.Kid, cancellationToken).ConfigureAwait(false) is { } refreshed)
        {
            configuration = refreshed;
            result = await ValidateWithAsync(token, configuration).ConfigureAwait(false);
        }
        if (!result.IsValid) return TokenCheck.Refused(Describe(result.Exception));
        return new TokenCheck(true, "valid", result.ClaimsIdentity) { Endorsements = EndorsementsOf(configuration, parsed.Kid) };
    }

    /// <summary>
    /// Fresh metadata for a token whose key id is not in the cached keys (the Bot Framework rolled its
    /// keys): fetched at once rather than by the configuration manager's background refresh, which
    /// would answer this request with the stale keys. At most once a minute, so tokens naming made-up
    /// key ids cannot make us hammer the metadata endpoint.
    /// </summary>
    private async Task<OpenIdConnectConfiguration?> RefreshedAsync(string? kid, CancellationToken cancellationToken)
    {
        var fresh = _fresh;
        if (fresh is not null && HasKey(fresh.Value.Configuration, kid)) return fresh.Value.Configuration;
        var now = _time.GetUtcNow();
        if (fresh is not null && now - fresh.Value.FetchedAt < MinimumRefreshInterval) return null;

        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_fresh is { } again && (HasKey(again.Configuration, kid) || now - again.FetchedAt < MinimumRefreshInterval))
            {
                return HasKey(again.Configuration, kid) ? again.Configuration : null;
            }
            LogRefreshingKeys(kid);
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(_options.OpenIdMetadataUrl, _documents!, cancellationToken).ConfigureAwait(false);
            _fresh = (configuration, now);
            // The manager's cached copy catches up at its own daily refresh; until then this copy answers for the new key.
            return configuration;
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or HttpRequestException)
        {
            LogMetadataUnavailable(_options.OpenIdMetadataUrl, exception.Message);
            _fresh = (_fresh?.Configuration ?? new OpenIdConnectConfiguration(), now);
            return null;
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    private static bool HasKey(OpenIdConnectConfiguration configuration, string? kid) =>
        kid is not null && configuration.SigningKeys.Any(key => string.Equals(key.KeyId, kid, StringComparison.Ordinal));

    private Task<TokenValidationResult> ValidateWithAsync(string token, OpenIdConnectConfiguration configuration) =>
        _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuers = _issuers,
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

    public void Dispose() => _refreshGate.Dispose();

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

    [LoggerMessage(Level = LogLevel.Error, Message = "Teams: the OpenID metadata at {Url} could not be read ({Reason}); requests cannot be authenticated")]
    private partial void LogMetadataUnavailable(string url, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams: a token names signing key {Kid}, not in the cached keys; refreshing the OpenID metadata")]
    private partial void LogRefreshingKeys(string? kid);
}
