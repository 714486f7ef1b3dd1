using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Slack;

/// <summary>
/// Slack settings (section <c>Slack</c>). The token and signing secret come from the
/// environment (<c>Slack__BotToken</c>, <c>Slack__SigningSecret</c>). Instead of one bot token, the
/// app's client id and secret (<c>Slack__ClientId</c>, <c>Slack__ClientSecret</c>) let workspaces
/// install it through <c>/slack/install</c>, each with a token of its own. With neither the Slack
/// endpoints answer that Slack is not configured.
/// </summary>
public sealed class SlackOptions
{
    public const string SectionName = "Slack";

    /// <summary>The bot token (xoxb-…). A secret: never logged.</summary>
    public string? BotToken { get; set; }

    /// <summary>The app's client id (Basic Information → App Credentials), for the install flow.</summary>
    public string? ClientId { get; set; }

    /// <summary>The app's client secret, for oauth.v2.access. A secret: never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Where Slack sends the browser back after an install: this host's public
    /// <c>https://…/slack/oauth_redirect</c>, exactly as listed in the manifest's
    /// <c>oauth_config.redirect_urls</c>.
    /// </summary>
    [Url]
    public string? RedirectUrl { get; set; }

    /// <summary>Slack's authorize page; tests point it at a loopback fake.</summary>
    [Required]
    [Url]
    public string AuthorizeUrl { get; set; } = "https://slack.com/oauth/v2/authorize";

    /// <summary>The bot scopes an install asks for; the same as the manifest's <c>oauth_config.scopes.bot</c>.</summary>
    [Required]
    [RegularExpression("^[a-z_:.]+(,[a-z_:.]+)*$")]
    public string Scopes { get; set; } = DefaultScopes;

    /// <summary>The manifest's bot scopes (a test keeps the two the same).</summary>
    public const string DefaultScopes = "app_mentions:read,channels:history,channels:read,chat:write,commands,files:write,groups:history,groups:read,im:history,im:read,im:write,mpim:history,mpim:read,users:read";

    /// <summary>How long an install link's state is good for (Slack's own SDKs use 10 minutes).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan InstallStateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The app's signing secret. A secret: never logged.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>
    /// The app-level token (xapp-…, scope <c>connections:write</c>). When set, GrowthBot receives
    /// events, commands and interactivity over Socket Mode (a WebSocket it opens to Slack) instead
    /// of needing a public URL; the HTTP endpoints then need no signing secret. A secret: never logged.
    /// </summary>
    public string? AppToken { get; set; }

    /// <summary>Socket Mode: how long to wait before connecting again after a connection failed (it doubles up to 2 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan SocketReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The Web API base URL; tests point it at a loopback fake.</summary>
    [Required]
    [Url]
    public string ApiBaseUrl { get; set; } = "https://slack.com/api/";

    /// <summary>The slash command, as named in the app manifest.</summary>
    [Required]
    [RegularExpression("^/[a-z0-9_-]{1,31}$")]
    public string CommandName { get; set; } = "/growth";

    /// <summary>How far a request's timestamp may be from now, either way.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "00:30:00")]
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest request body accepted; Slack's own payloads are far smaller.</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 512 * 1024;

    /// <summary>The least time between two messages to one channel (Slack allows about one per second).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan MinimumChannelInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times a post is retried after 429 or 5xx before it is given up and logged.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>How often auth.test is asked again who the bot is (and whether the token still works).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan IdentityRefresh { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long the Web API may take to answer one call before it counts as a timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// With token rotation on, how long before an installation's token expires it is refreshed (Slack's tokens
    /// last 12 hours; Slack's own SDKs refresh 2 hours ahead).
    /// </summary>
    [Range(typeof(TimeSpan), "00:05:00", "11:00:00")]
    public TimeSpan TokenRefreshAhead { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Whether Slack can reach the bot: a bot token or the install flow, and a signing secret (HTTP) or an app token (Socket Mode).</summary>
    public bool IsConfigured => HasBotCredentials && (!string.IsNullOrWhiteSpace(SigningSecret) || UsesSocketMode);

    /// <summary>Whether the bot has a way to get tokens: the single bot token, or installations through the install flow.</summary>
    public bool HasBotCredentials => !string.IsNullOrWhiteSpace(BotToken) || UsesInstallFlow;

    /// <summary>Whether workspaces can install the app through /slack/install (client id and secret are set).</summary>
    public bool UsesInstallFlow => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);

    /// <summary>Whether deliveries come over Socket Mode (an app-level token is set).</summary>
    public bool UsesSocketMode => !string.IsNullOrWhiteSpace(AppToken);
}
