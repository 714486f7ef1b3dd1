using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace GrowthBot.Teams.Auth;

/// <summary>
/// One issuer's OpenID metadata and signing keys: cached by the configuration manager (refreshed
/// daily), and fetched again at once when a token names a key id not seen yet (a key rollover),
/// at most once a minute so tokens naming made-up key ids cannot make us hammer the endpoint.
/// </summary>
internal sealed partial class OpenIdKeySource : IDisposable
{
    /// <summary>The least time between two metadata fetches forced by unknown key ids.</summary>
    public static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromMinutes(1);

    private readonly string _url;
    private readonly HttpDocumentRetriever _documents;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private (OpenIdConnectConfiguration Configuration, DateTimeOffset FetchedAt)? _fresh;

    public OpenIdKeySource(string url, HttpClient http, TimeProvider time, ILogger logger)
    {
        _url = url;
        _time = time;
        _logger = logger;
        // https everywhere except a loopback metadata server (the tests' own authority).
        _documents = new HttpDocumentRetriever(http) { RequireHttps = !Loopback.IsLoopback(new Uri(url)) };
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(url, new OpenIdConnectConfigurationRetriever(), _documents);
    }

    public string Url => _url;

    /// <summary>The cached metadata, or null (logged) when it cannot be fetched.</summary>
    public async Task<OpenIdConnectConfiguration?> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _metadata.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException exception)
        {
            LogMetadataUnavailable(_url, exception.Message);
            return null;
        }
    }

    /// <summary>Fresh metadata for a token whose key id is not in the cached keys, or null when it was fetched too recently or cannot be.</summary>
    public async Task<OpenIdConnectConfiguration?> RefreshedAsync(string? kid, CancellationToken cancellationToken)
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
            LogRefreshingKeys(kid, _url);
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(_url, _documents, cancellationToken).ConfigureAwait(false);
            _fresh = (configuration, now);
            // The manager's cached copy catches up at its own daily refresh; until then this copy answers for the new key.
            return configuration;
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or HttpRequestException)
        {
            LogMetadataUnavailable(_url, exception.Message);
            _fresh = (_fresh?.Configuration ?? new OpenIdConnectConfiguration(), now);
            return null;
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    public void Dispose() => _refreshGate.Dispose();

    private static bool HasKey(OpenIdConnectConfiguration configuration, string? kid) =>
        kid is not null && configuration.SigningKeys.Any(key => string.Equals(key.KeyId, kid, StringComparison.Ordinal));

    [LoggerMessage(Level = LogLevel.Error, Message = "Teams: the OpenID metadata at {Url} could not be read ({Reason}); requests cannot be authenticated")]
    private partial void LogMetadataUnavailable(string url, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams: a token names signing key {Kid}, not in the cached keys; refreshing the OpenID metadata at {Url}")]
    private partial void LogRefreshingKeys(string? kid, string url);
}
