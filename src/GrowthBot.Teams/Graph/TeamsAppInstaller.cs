using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Auth;
using GrowthBot.Teams.Connector;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Teams.Graph;

/// <summary>What a pre-install came to.</summary>
internal enum InstallOutcome
{
    /// <summary>Graph installed the app for the user (201).</summary>
    Installed,

    /// <summary>The user has it already (409 Conflict): nothing to do.</summary>
    AlreadyInstalled,
}

/// <summary>
/// Installs the bot's Teams app for a user through Microsoft Graph
/// (<c>POST /v1.0/users/{id}/teamwork/installedApps</c> with <c>teamsApp@odata.bind</c> naming the app in
/// the organisation's catalog), so a survey can open a 1:1 chat with someone who never opened the bot.
/// The token is the bot's own app token for Graph (the same Azure.Identity credential as the connector's,
/// scope <c>{graph}/.default</c>); the app needs the application permission
/// <c>TeamsAppInstallation.ReadWriteSelfForUser.All</c> with admin consent. 429 and 5xx are retried
/// (waiting <c>Retry-After</c>): installing twice is harmless, the second answer being 409.
/// </summary>
internal sealed partial class TeamsAppInstaller(
    HttpClient http,
    TokenCredential credential,
    IOptions<TeamsOptions> options,
    TimeProvider time,
    ILogger<TeamsAppInstaller> logger,
    Func<double>? jitter = null)
{
    private readonly Func<double> _jitter = jitter ?? Random.Shared.NextDouble;

    /// <summary>Whether pre-install is turned on (<c>Teams:PreinstallForSurveys</c> with the catalog app id).</summary>
    public bool Enabled => options.Value.PreinstallForSurveys && !string.IsNullOrWhiteSpace(options.Value.CatalogAppId);

    /// <summary>Microsoft Graph's base for this cloud (or <c>Teams:GraphBaseUrl</c>), with a trailing slash.</summary>
    private Uri GraphBase => new((string.IsNullOrWhiteSpace(options.Value.GraphBaseUrl) ? options.Value.CloudSettings.GraphBaseUrl : options.Value.GraphBaseUrl.Trim()).TrimEnd('/') + "/");

    /// <summary>Installs the app for the user (their Entra object id); throws <see cref="ChatDeliveryException"/> saying why when Graph refuses.</summary>
    public async Task<InstallOutcome> InstallForUserAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var settings = options.Value;
        var graph = GraphBase;
        if (graph.Scheme != Uri.UriSchemeHttps && !Loopback.IsLoopback(graph))
        {
            throw new ChatDeliveryException(ChatDeliveryFailure.NotConfigured, $"Teams:GraphBaseUrl must be https (got {graph.GetLeftPart(UriPartial.Authority)}); the bot's token is never sent in clear text.");
        }
        var uri = new Uri(graph, $"v1.0/users/{Uri.EscapeDataString(userId)}/teamwork/installedApps");
        var body = new JsonObject { ["teamsApp@odata.bind"] = new Uri(graph, $"v1.0/appCatalogs/teamsApps/{Uri.EscapeDataString(settings.CatalogAppId!.Trim())}").ToString() }.ToJsonString();
        var scope = graph.GetLeftPart(UriPartial.Authority) + "/.default";
        string? claims = null;
        for (var attempt = 0; ; attempt++)
        {
            var token = await TokenAsync(scope, claims, cancellationToken).ConfigureAwait(false);
            HttpResponseMessage response;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException exception) when (attempt < settings.MaxRetries)
            {
                var backoff = Backoff(attempt);
                LogRetrying(userId, "unreachable: " + exception.Message, backoff.TotalSeconds, attempt + 1);
                await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (HttpRequestException exception)
            {
                throw new ChatDeliveryException(ChatDeliveryFailure.Transient, $"Microsoft Graph ({graph.Host}) could not be reached to install the app for {userId}: {exception.Message}", exception);
            }

            using (response)
            {
                if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.NoContent)
                {
                    LogInstalled(userId);
                    return InstallOutcome.Installed;
                }
                if (response.StatusCode == HttpStatusCode.Conflict) return InstallOutcome.AlreadyInstalled;

                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var (code, message) = ErrorOf(text);
                if (response.StatusCode == HttpStatusCode.Unauthorized && claims is null && ClaimsChallenge(response) is { } challenge)
                {
                    // A revoked token (continuous access evaluation): Graph names the claims a new token needs, and a
                    // request with claims makes Azure.Identity bypass its token cache. Asked once.
                    claims = challenge;
                    attempt--;
                    continue;
                }
                if ((response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500) && attempt < settings.MaxRetries)
                {
                    var wait = RetryDelay(response, attempt);
                    if (wait <= TimeSpan.FromMinutes(2))
                    {
                        LogRetrying(userId, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), wait.TotalSeconds, attempt + 1);
                        await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }
                LogRefused(userId, (int)response.StatusCode, code, message);
                throw new ChatDeliveryException(FailureOf(response.StatusCode), Explain(response.StatusCode, userId, code, message));
            }
        }
    }

    private async Task<string> TokenAsync(string scope, string? claims, CancellationToken cancellationToken)
    {
        try
        {
            return (await credential.GetTokenAsync(new TokenRequestContext([scope], claims: claims, isCaeEnabled: true), cancellationToken).ConfigureAwait(false)).Token;
        }
        catch (Azure.Identity.AuthenticationFailedException exception)
        {
            var reason = (exception.InnerException?.Message ?? exception.Message).Split('\n')[0].Trim();
            throw new ChatDeliveryException(ChatDeliveryFailure.Unauthorized, $"The bot's credential was refused a Microsoft Graph token: {reason}", exception);
        }
    }

    /// <summary>The claims of a CAE challenge (<c>WWW-Authenticate: Bearer … error="insufficient_claims", claims="base64"</c>), decoded; null for any other 401.</summary>
    internal static string? ClaimsChallenge(HttpResponseMessage response)
    {
        foreach (var challenge in response.Headers.WwwAuthenticate)
        {
            if (!string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) || challenge.Parameter is not { } parameter) continue;
            if (!parameter.Contains("insufficient_claims", StringComparison.Ordinal)) continue;
            var at = parameter.IndexOf("claims=\"", StringComparison.Ordinal);
            if (at < 0) continue;
            var start = at + "claims=\"".Length;
            var end = parameter.IndexOf('"', start);
            if (end < 0) continue;
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(parameter[start..end]));
            }
            catch (FormatException)
            {
                return null;
            }
        }
        return null;
    }

    private static ChatDeliveryFailure FailureOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ChatDeliveryFailure.Unauthorized,
        HttpStatusCode.NotFound => ChatDeliveryFailure.UserUnavailable,
        HttpStatusCode.BadRequest => ChatDeliveryFailure.Rejected,
        _ => ChatDeliveryFailure.Transient,
    };

    private static string Explain(HttpStatusCode status, string userId, string code, string message) => status switch
    {
        HttpStatusCode.Unauthorized => $"Microsoft Graph refused the bot's token to install the app for {userId} (401 {code}: {message}).",
        HttpStatusCode.Forbidden => $"Microsoft Graph refused to install the app for {userId} (403 {code}: {message}): grant the bot's app registration the application permission TeamsAppInstallation.ReadWriteSelfForUser.All with admin consent, and allow the app in the Teams admin center.",
        HttpStatusCode.NotFound => $"Microsoft Graph found no such user or app to install for {userId} (404 {code}: {message}): check that the user exists in the home tenant and that Teams:CatalogAppId is the app's id in the organisation's app catalog (not its manifest id).",
        _ => $"Microsoft Graph did not install the app for {userId} (HTTP {(int)status} {code}: {message}).",
    };

    private TimeSpan RetryDelay(HttpResponseMessage response, int attempt) => RetryTiming.Delay(response, attempt, time, _jitter);

    private TimeSpan Backoff(int attempt) => RetryTiming.Backoff(attempt, _jitter);

    /// <summary>Graph's error shape: <c>{"error": {"code": "...", "message": "...", "innerError": {...}}}</c>.</summary>
    private static (string Code, string Message) ErrorOf(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                return (code ?? "unknown", message ?? string.Empty);
            }
        }
        catch (JsonException)
        {
        }
        return ("unknown", string.Empty);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams: installed the app for {User} through Microsoft Graph")]
    private partial void LogInstalled(string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: Microsoft Graph answered {Reason} installing the app for {User}; trying again in {Seconds:0.#} s (attempt {Attempt})")]
    private partial void LogRetrying(string user, string reason, double seconds, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: Microsoft Graph refused to install the app for {User}: HTTP {Status} {Code} {Message}")]
    private partial void LogRefused(string user, int status, string code, string message);
}
