using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Teams;

/// <summary>
/// Teams settings (section <c>Teams</c>). The app id and password come from the environment
/// (<c>Teams__AppId</c>, <c>Teams__AppPassword</c>). With no app id Teams is not configured and
/// <c>/api/messages</c> answers 503, unless local development mode is asked for explicitly
/// (<see cref="AllowUnauthenticatedLoopback"/>, Development environment only).
/// </summary>
public sealed class TeamsOptions
{
    public const string SectionName = "Teams";

    /// <summary>The public Bot Framework connector for Teams, used to open a 1:1 chat when no conversation of that user is known.</summary>
    public const string PublicServiceUrl = "https://smba.trafficmanager.net/teams/";

    /// <summary>The bot's Microsoft App ID (the Entra app registration's client id): the token audience.</summary>
    public string? AppId { get; set; }

    /// <summary>The app registration's client secret. A secret: never logged.</summary>
    public string? AppPassword { get; set; }

    /// <summary>The home tenant for a single-tenant bot; empty for a multi-tenant bot (tokens from botframework.com).</summary>
    public string? TenantId { get; set; }

    /// <summary>Where the Bot Framework publishes its signing keys; tests serve their own (http is allowed for loopback hosts only).</summary>
    [Required]
    [Url]
    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>
    /// The token endpoint for the bot's own app token (client credentials). Empty: the multi-tenant
    /// endpoint (botframework.com), or the tenant's endpoint when <see cref="TenantId"/> is set.
    /// </summary>
    [Url]
    public string? TokenEndpoint { get; set; }

    /// <summary>The connector used to open a 1:1 chat with a user the bot has never talked to in any conversation.</summary>
    [Required]
    [Url]
    public string ServiceUrl { get; set; } = PublicServiceUrl;

    /// <summary>The largest activity accepted; Teams' own activities are far smaller.</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 512 * 1024;

    /// <summary>How many times a connector call is retried after 429/412/502/504 before it is given up.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>
    /// The host's public https base (the host of the messaging endpoint, e.g. <c>https://growthbot.example.com</c>).
    /// When set, charts are served from <c>GET /teams/images/{id}.png</c> there and the cards link to them;
    /// when not, a chart is embedded as a data URI if it fits Teams' message size, and left out with a note otherwise.
    /// </summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Whether the bot greets a conversation it has just been installed in.</summary>
    public bool Welcome { get; set; } = true;

    /// <summary>
    /// Local development mode, like the Bot Framework Emulator: with no app id, unauthenticated
    /// requests from this machine (loopback, not forwarded by a proxy) are accepted. Refused at start
    /// outside the Development environment: behind a service-mesh sidecar every caller is loopback.
    /// </summary>
    public bool AllowUnauthenticatedLoopback { get; set; }

    /// <summary>True when the bot authenticates (an app id is set).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(AppId);

    /// <summary>The token endpoint actually used: the setting, else single- or multi-tenant by <see cref="TenantId"/>.</summary>
    public Uri EffectiveTokenEndpoint => new(
        !string.IsNullOrWhiteSpace(TokenEndpoint) ? TokenEndpoint
        : !string.IsNullOrWhiteSpace(TenantId) ? $"https://login.microsoftonline.com/{TenantId.Trim()}/oauth2/v2.0/token"
        : "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token");
}
