using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Teams;

/// <summary>
/// Teams settings (section <c>Teams</c>). The app id and password come from the environment
/// (<c>Teams__AppId</c>, <c>Teams__AppPassword</c>). With no app id the bot runs in local
/// development mode, like the Bot Framework Emulator: unauthenticated requests are accepted
/// from loopback only.
/// </summary>
public sealed class TeamsOptions
{
    public const string SectionName = "Teams";

    /// <summary>The bot's Microsoft App ID (the Entra app registration's client id): the token audience.</summary>
    public string? AppId { get; set; }

    /// <summary>The app registration's client secret. A secret: never logged.</summary>
    public string? AppPassword { get; set; }

    /// <summary>The home tenant for a single-tenant bot; empty for a multi-tenant bot (tokens from botframework.com).</summary>
    public string? TenantId { get; set; }

    /// <summary>Where the Bot Framework publishes its signing keys; tests serve their own.</summary>
    [Required]
    [Url]
    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>
    /// The token endpoint for the bot's own app token (client credentials). Empty: the multi-tenant
    /// endpoint (botframework.com), or the tenant's endpoint when <see cref="TenantId"/> is set.
    /// </summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>True when the bot authenticates (an app id is set); false is local development mode.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(AppId);
}
