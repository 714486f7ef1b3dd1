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

    /// <summary>The bot's Microsoft App ID (the Entra app registration's client id): the token audience.</summary>
    public string? AppId { get; set; }

    /// <summary>The app registration's client secret. A secret: never logged.</summary>
    public string? AppPassword { get; set; }

    /// <summary>A certificate (PFX, or PEM with its key) the app registration trusts, instead of a client secret.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PFX file's password. A secret: never logged.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>A certificate in the CurrentUser or LocalMachine "My" store, by thumbprint, instead of a file.</summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>Send the certificate chain (x5c) for subject-name/issuer authentication.</summary>
    public bool SendCertificateChain { get; set; }

    /// <summary>The client id of a user-assigned managed identity the bot runs as (an Azure Bot of type UserAssignedMSI).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Workload identity federation (Kubernetes): the federated token in <see cref="FederatedTokenFile"/> is exchanged for the app's token.</summary>
    public bool UseWorkloadIdentity { get; set; }

    /// <summary>The federated token file; empty: <c>AZURE_FEDERATED_TOKEN_FILE</c> (what the AKS workload identity webhook sets).</summary>
    public string? FederatedTokenFile { get; set; }

    /// <summary>The Entra authority host for the bot's own token; empty: the cloud's login host.</summary>
    [Url]
    public string? AuthorityHost { get; set; }

    /// <summary>The home tenant for a single-tenant bot; empty for a multi-tenant bot (tokens from botframework.com).</summary>
    public string? TenantId { get; set; }

    /// <summary>The Microsoft cloud (<c>Teams__Cloud</c>): issuers, metadata, token scope and service URLs follow from it.</summary>
    public TeamsCloud Cloud { get; set; } = TeamsCloud.Public;

    /// <summary>Where Azure Bot Service publishes its signing keys; empty: the cloud's. Tests serve their own (http is allowed for loopback hosts only).</summary>
    [Url]
    public string? OpenIdMetadataUrl { get; set; }

    /// <summary>
    /// Where a tenant's Entra ID publishes its OpenID metadata, <c>{tenantId}</c> standing for the
    /// tenant; empty: <c>{login host}/{tenantId}/v2.0/.well-known/openid-configuration</c> of the cloud.
    /// </summary>
    public string? EntraOpenIdMetadataUrl { get; set; }

    /// <summary>
    /// The apps allowed to have asked Entra ID for the token a channel sends (its <c>azp</c> or
    /// <c>appid</c> claim); the bot's own app id is always allowed. Any other app in the tenant
    /// could otherwise obtain a token for the bot's audience and call it.
    /// </summary>
    public IList<string> AllowedCallers { get; } = [];

    /// <summary>
    /// Further Teams connector origins (prefixes) an activity's serviceUrl may have when its token
    /// carries no serviceurl claim, beside the cloud's documented ones.
    /// </summary>
    public IList<string> AllowedServiceUrls { get; } = [];

    /// <summary>
    /// The token endpoint for the bot's own app token (client credentials). Empty: the tenant's
    /// endpoint when <see cref="TenantId"/> is set, else the cloud's multi-tenant authority.
    /// </summary>
    [Url]
    public string? TokenEndpoint { get; set; }

    /// <summary>The connector used to open a 1:1 chat with a user the bot has never talked to in any conversation; empty: the cloud's documented one.</summary>
    [Url]
    public string? ServiceUrl { get; set; }

    /// <summary>The largest activity accepted; Teams' own activities are far smaller.</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 512 * 1024;

    /// <summary>How many times a connector call is retried after 429/412/502/504 before it is given up.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>
    /// The host's public https base (the host of the messaging endpoint, e.g. <c>https://growthbot.example.com</c>).
    /// When set, charts are served from <c>GET /teams/images/{id}.png</c> there and the cards link to them;
    /// when not, a chart is embedded as a data URI if it is within the card image limit (1 MB), and left out with a note otherwise.
    /// </summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// The key chart links are signed with (base64 of at least 32 random bytes; the same on every
    /// host serving one address). A secret: never logged. Empty: the host's ASP.NET Core Data
    /// Protection key ring signs them (persist it, or links break when the host restarts).
    /// </summary>
    public string? ChartLinkKey { get; set; }

    /// <summary>How long a chart link in a card stays valid; afterwards the image is refused (404) and the card shows no chart.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "366.00:00:00")]
    public TimeSpan ChartLinkLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Teams clients load card images over https only, so a public base must be https. In Development a
    /// loopback http base is accepted too: the Agents Playground runs on this machine and loads
    /// images from it, so charts show locally instead of being left out to fit the message size.
    /// </summary>
    public static bool IsAcceptablePublicBaseUrl(string? publicBaseUrl, bool isDevelopment)
    {
        if (string.IsNullOrWhiteSpace(publicBaseUrl)) return true;
        if (!Uri.TryCreate(publicBaseUrl.Trim(), UriKind.Absolute, out var url) || !string.IsNullOrEmpty(url.Query)) return false;
        return url.Scheme == Uri.UriSchemeHttps || (isDevelopment && url.Scheme == Uri.UriSchemeHttp && url.IsLoopback);
    }

    /// <summary>
    /// Install the app through Microsoft Graph for a survey recipient of the home tenant who has never
    /// opened the bot, before opening the 1:1 chat (needs <see cref="CatalogAppId"/>, <see cref="TenantId"/>
    /// and the application permission TeamsAppInstallation.ReadWriteSelfForUser.All with admin consent).
    /// </summary>
    public bool PreinstallForSurveys { get; set; }

    /// <summary>The app's id in the organisation's Teams app catalog (Graph's teamsApp id, not the manifest id).</summary>
    public string? CatalogAppId { get; set; }

    /// <summary>Microsoft Graph's base URL; empty: the cloud's (https://graph.microsoft.com in the public cloud).</summary>
    [Url]
    public string? GraphBaseUrl { get; set; }

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

    /// <summary>The cloud's endpoints and identifiers.</summary>
    public TeamsCloudSettings CloudSettings => TeamsCloudSettings.For(Cloud);

    /// <summary>The Azure Bot Service metadata URL actually used.</summary>
    public string EffectiveOpenIdMetadataUrl => string.IsNullOrWhiteSpace(OpenIdMetadataUrl) ? CloudSettings.BotFrameworkMetadataUrl : OpenIdMetadataUrl.Trim();

    /// <summary>The Entra metadata URL for one tenant.</summary>
    public string EntraMetadataUrlFor(string tenantId) => (string.IsNullOrWhiteSpace(EntraOpenIdMetadataUrl)
        ? CloudSettings.LoginHost + "/{tenantId}/v2.0/.well-known/openid-configuration"
        : EntraOpenIdMetadataUrl.Trim()).Replace("{tenantId}", tenantId, StringComparison.Ordinal);

    /// <summary>The proactive service URL actually used, or null when neither the setting nor the cloud gives one.</summary>
    public string? EffectiveServiceUrl => string.IsNullOrWhiteSpace(ServiceUrl) ? CloudSettings.ProactiveServiceUrl : ServiceUrl.Trim();

    /// <summary>The authority (login host and tenant) the bot's own token comes from.</summary>
    public Uri Authority => new($"{CloudSettings.LoginHost}/{(string.IsNullOrWhiteSpace(TenantId) ? CloudSettings.MultiTenantAuthorityTenant : TenantId.Trim())}");

    /// <summary>The token endpoint actually used: the setting, else single- or multi-tenant by <see cref="TenantId"/>.</summary>
    public Uri EffectiveTokenEndpoint => new(!string.IsNullOrWhiteSpace(TokenEndpoint) ? TokenEndpoint : Authority + "/oauth2/v2.0/token");
}
