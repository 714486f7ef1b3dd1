namespace GrowthBot.Teams;

/// <summary>
/// The Microsoft cloud the bot lives in (<c>Teams__Cloud</c>). <c>USGov</c> is GCC (Teams in the
/// US Government Community Cloud, Azure Bot Service in the public Azure cloud), <c>USGovHigh</c>
/// and <c>USGovDoD</c> are GCC High and DoD (Azure Government), <c>China</c> is Azure operated by 21Vianet.
/// </summary>
public enum TeamsCloud
{
    Public,
    USGov,
    USGovHigh,
    USGovDoD,
    China,
}

/// <summary>
/// The endpoints and identifiers one cloud uses, with the values Microsoft documents (Azure Bot
/// Service "configure for Azure Government / Azure China", the Microsoft 365 Agents SDK's
/// authentication constants, and Teams' proactive-messaging service URLs).
/// </summary>
/// <param name="BotFrameworkIssuer">The issuer of tokens Azure Bot Service signs itself.</param>
/// <param name="BotFrameworkMetadataUrl">Where Azure Bot Service publishes its signing keys.</param>
/// <param name="LoginHost">The Microsoft Entra authority host.</param>
/// <param name="EntraV1IssuerTemplate">The v1 Entra issuer, <c>{0}</c> standing for the tenant id (the v2 issuer is <c>{LoginHost}/{tenant}/v2.0</c>).</param>
/// <param name="Scope">The scope of the bot's own token for the Bot Framework connector.</param>
/// <param name="MultiTenantAuthorityTenant">The token authority's tenant for a multi-tenant bot.</param>
/// <param name="ServiceUrls">The Teams connector origins (prefixes) of this cloud; empty where Microsoft documents none.</param>
/// <param name="ProactiveServiceUrl">Teams' documented global service URL for proactive messages; null where none is documented.</param>
/// <param name="GraphBaseUrl">Microsoft Graph in this cloud.</param>
/// <param name="BotServiceTenants">Azure Bot Service's own Entra tenants, whose tokens channels may send (as the Agents SDK accepts).</param>
public sealed record TeamsCloudSettings(
    string BotFrameworkIssuer,
    string BotFrameworkMetadataUrl,
    string LoginHost,
    string EntraV1IssuerTemplate,
    string Scope,
    string MultiTenantAuthorityTenant,
    IReadOnlyList<string> ServiceUrls,
    string? ProactiveServiceUrl,
    string GraphBaseUrl,
    IReadOnlyList<string> BotServiceTenants)
{
    private static readonly TeamsCloudSettings PublicCloud = new(
        "https://api.botframework.com",
        "https://login.botframework.com/v1/.well-known/openidconfiguration",
        "https://login.microsoftonline.com",
        "https://sts.windows.net/{0}/",
        "https://api.botframework.com/.default",
        "botframework.com",
        ["https://smba.trafficmanager.net/"],
        "https://smba.trafficmanager.net/teams/",
        "https://graph.microsoft.com",
        ["d6d49420-f39b-4df7-a1dc-d59a935871db", "f8cdef31-a31e-4b4a-93e4-5f571e91255a", "69e9b82d-4842-4902-8d1e-abc5b98a55e8"]);

    private static readonly TeamsCloudSettings GovernmentCloud = new(
        "https://api.botframework.us",
        "https://login.botframework.azure.us/v1/.well-known/openidconfiguration",
        "https://login.microsoftonline.us",
        "https://sts.windows.net/{0}/",
        "https://api.botframework.us/.default",
        "MicrosoftServices.onmicrosoft.com",
        ["https://smba.infra.gov.teams.microsoft.us/"],
        "https://smba.infra.gov.teams.microsoft.us/teams",
        "https://graph.microsoft.us",
        ["cab8a31a-1906-4287-a0d8-4eef66b95f6e"]);

    public static TeamsCloudSettings For(TeamsCloud cloud) => cloud switch
    {
        TeamsCloud.Public => PublicCloud,
        // GCC: Teams in the government community cloud, the bot and its tokens in public Azure.
        TeamsCloud.USGov => PublicCloud with
        {
            ServiceUrls = ["https://smba.infra.gcc.teams.microsoft.com/"],
            ProactiveServiceUrl = "https://smba.infra.gcc.teams.microsoft.com/teams",
        },
        TeamsCloud.USGovHigh => GovernmentCloud,
        TeamsCloud.USGovDoD => GovernmentCloud with
        {
            ServiceUrls = ["https://smba.infra.dod.teams.microsoft.us/"],
            ProactiveServiceUrl = "https://smba.infra.dod.teams.microsoft.us/teams",
            GraphBaseUrl = "https://dod-graph.microsoft.us",
        },
        // 21Vianet: Microsoft documents no global Teams service URL, so only the token's own serviceurl claim authorises one.
        TeamsCloud.China => new(
            "https://api.botframework.azure.cn",
            "https://login.botframework.azure.cn/v1/.well-known/openidconfiguration",
            "https://login.partner.microsoftonline.cn",
            "https://sts.chinacloudapi.cn/{0}/",
            "https://api.botframework.azure.cn/.default",
            "microsoftservices.partner.onmschina.cn",
            [],
            null,
            "https://microsoftgraph.chinacloudapi.cn",
            []),
        _ => throw new ArgumentOutOfRangeException(nameof(cloud), cloud, "unknown cloud"),
    };

    /// <summary>The v2 Entra issuer for a tenant.</summary>
    public string EntraV2Issuer(string tenantId) => $"{LoginHost}/{tenantId}/v2.0";

    /// <summary>The v1 Entra issuer for a tenant.</summary>
    public string EntraV1Issuer(string tenantId) => string.Format(System.Globalization.CultureInfo.InvariantCulture, EntraV1IssuerTemplate, tenantId);
}
