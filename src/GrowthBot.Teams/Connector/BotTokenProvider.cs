using System.Net;
using System.Text.Json;
using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Auth;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Teams.Connector;

/// <summary>
/// The bot's own app token for the Bot Framework connector, for the cloud's scope
/// (<c>https://api.botframework.com/.default</c> in the public cloud): from the credential
/// Azure.Identity builds (<see cref="TeamsCredentials"/>: managed identity, workload identity,
/// certificate or client secret); or, when <c>Teams:TokenEndpoint</c> names a token endpoint of
/// its own (a proxy in front of Entra), client credentials with the secret posted there.
/// Cached until 5 minutes before it expires, fetched by one caller at a time. Without an app id
/// there is no token: the local development channel needs none.
/// </summary>
internal sealed partial class BotTokenProvider(HttpClient http, IOptions<TeamsOptions> options, TimeProvider time, ILogger<BotTokenProvider> logger) : IDisposable
{
    private Azure.Core.TokenCredential? _credential;

    public const string Scope = "https://api.botframework.com/.default";

    /// <summary>A token is renewed this long before it expires, so no call starts with one about to lapse.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? _cached;

    /// <summary>The bearer token, or null in development mode.</summary>
    public async Task<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsConfigured) return null;
        if (_cached is { } fresh && time.GetUtcNow() < fresh.RenewAt) return fresh.Token;

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } again && time.GetUtcNow() < again.RenewAt) return again.Token;
            var (token, lifetime) = string.IsNullOrWhiteSpace(settings.TokenEndpoint)
                ? await FromCredentialAsync(settings, cancellationToken).ConfigureAwait(false)
                : await RequestAsync(settings, cancellationToken).ConfigureAwait(false);
            // A token shorter-lived than the renewal margin (never seen from Entra ID) is used for half its life.
            var margin = lifetime > RenewBefore * 2 ? RenewBefore : lifetime / 2;
            _cached = (token, time.GetUtcNow() + lifetime - margin);
            LogTokenAcquired(lifetime.TotalMinutes);
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the cached token (the connector refused it), so the next call fetches a new one.</summary>
    public void Invalidate() => _cached = null;

    public void Dispose() => _gate.Dispose();

    private async Task<(string Token, TimeSpan Lifetime)> FromCredentialAsync(TeamsOptions settings, CancellationToken cancellationToken)
    {
        try
        {
            _credential ??= TeamsCredentials.Create(settings, http);
            var token = await _credential.GetTokenAsync(new Azure.Core.TokenRequestContext([settings.CloudSettings.Scope]), cancellationToken).ConfigureAwait(false);
            var lifetime = token.ExpiresOn - time.GetUtcNow();
            return (token.Token, lifetime > TimeSpan.FromSeconds(1) ? lifetime : TimeSpan.FromSeconds(1));
        }
        catch (Azure.Identity.CredentialUnavailableException exception)
        {
            LogCredentialRefused(TeamsCredentials.KindOf(settings) ?? "no credential", exception.Message);
            throw new ChatDeliveryException(ChatDeliveryFailure.Transient, $"The bot's {TeamsCredentials.KindOf(settings)} is unavailable: {exception.Message}", exception);
        }
        catch (Azure.Identity.AuthenticationFailedException exception)
        {
            // Entra's messages name the app, tenant and trace ids, never the secret or assertion; the first line is enough.
            var reason = (exception.InnerException?.Message ?? exception.Message).Split('\n')[0].Trim();
            LogCredentialRefused(TeamsCredentials.KindOf(settings) ?? "no credential", reason);
            throw new ChatDeliveryException(ChatDeliveryFailure.Unauthorized, $"The bot's {TeamsCredentials.KindOf(settings)} was refused: {reason}", exception);
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.Security.Cryptography.CryptographicException or IOException)
        {
            LogCredentialRefused(TeamsCredentials.KindOf(settings) ?? "no credential", exception.Message);
            throw new ChatDeliveryException(ChatDeliveryFailure.NotConfigured, exception.Message, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Teams: the bot's {Kind} did not give a connector token: {Reason}")]
    private partial void LogCredentialRefused(string kind, string reason);

    private async Task<(string Token, TimeSpan Lifetime)> RequestAsync(TeamsOptions settings, CancellationToken cancellationToken)
    {
        var endpoint = settings.EffectiveTokenEndpoint;
        if (endpoint.Scheme != Uri.UriSchemeHttps && !Loopback.IsLoopback(endpoint))
        {
            throw new ChatDeliveryException(ChatDeliveryFailure.NotConfigured, $"Teams:TokenEndpoint must be https (got {endpoint.GetLeftPart(UriPartial.Authority)}); the app password is never sent in clear text.");
        }
        using var form = new FormUrlEncodedContent(
        [
            new("grant_type", "client_credentials"),
            new("client_id", settings.AppId!),
            new("client_secret", settings.AppPassword ?? string.Empty),
            new("scope", settings.CloudSettings.Scope),
        ]);
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(endpoint, form, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw new ChatDeliveryException(ChatDeliveryFailure.Transient, $"The Teams token endpoint {endpoint.Host} could not be reached: {exception.Message}", exception);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var (error, description) = ErrorOf(body);
                LogTokenRefused((int)response.StatusCode, endpoint.Host, error, description);
                var failure = response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                    ? ChatDeliveryFailure.Unauthorized
                    : ChatDeliveryFailure.Transient;
                throw new ChatDeliveryException(failure, $"The Teams token endpoint refused the bot's credentials (HTTP {(int)response.StatusCode} {error}): check Teams__AppId, Teams__AppPassword and Teams__TenantId.");
            }
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                var token = root.GetProperty("access_token").GetString();
                var seconds = root.TryGetProperty("expires_in", out var expires)
                    ? expires.ValueKind == JsonValueKind.Number ? expires.GetInt32() : int.Parse(expires.GetString() ?? "3600", System.Globalization.CultureInfo.InvariantCulture)
                    : 3600;
                if (string.IsNullOrEmpty(token)) throw new JsonException("no access_token");
                return (token, TimeSpan.FromSeconds(Math.Max(seconds, 1)));
            }
            catch (Exception exception) when (exception is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
            {
                throw new ChatDeliveryException(ChatDeliveryFailure.Transient, "The Teams token endpoint answered without a usable token.", exception);
            }
        }
    }

    private static (string Error, string Description) ErrorOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            string Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : string.Empty;
            // Entra's descriptions name the failing app and trace ids, never the secret; keep the first line.
            return (Text("error"), Text("error_description").Split('\n')[0].Trim());
        }
        catch (JsonException)
        {
            return ("unknown_error", string.Empty);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams: got an app token for the Bot Framework connector, valid {Minutes:0} minutes")]
    private partial void LogTokenAcquired(double minutes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Teams: the token endpoint {Host} answered HTTP {Status} {Error}: {Description}")]
    private partial void LogTokenRefused(int status, string host, string error, string description);
}
