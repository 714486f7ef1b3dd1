using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Slack;

/// <summary>
/// Slack settings (section <c>Slack</c>). The token and signing secret come from the
/// environment (<c>Slack__BotToken</c>, <c>Slack__SigningSecret</c>); without both the Slack
/// endpoints answer that Slack is not configured.
/// </summary>
public sealed class SlackOptions
{
    public const string SectionName = "Slack";

    /// <summary>The bot token (xoxb-…). A secret: never logged.</summary>
    public string? BotToken { get; set; }

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

    /// <summary>Whether Slack can reach the bot: a bot token, and a signing secret (HTTP) or an app token (Socket Mode).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(BotToken) && (!string.IsNullOrWhiteSpace(SigningSecret) || UsesSocketMode);

    /// <summary>Whether deliveries come over Socket Mode (an app-level token is set).</summary>
    public bool UsesSocketMode => !string.IsNullOrWhiteSpace(AppToken);
}
