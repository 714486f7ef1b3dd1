using GrowthBot.Core.Questions;
using GrowthBot.Teams;
using Microsoft.Extensions.Options;

namespace GrowthBot.Host.Hosting;

/// <summary>
/// Says at start which chat platforms have credentials, and how to configure the others, and nags
/// while the company has no name (customers would read "us" in its place). Never logs a secret.
/// </summary>
internal sealed partial class ChatPlatformReport(IConfiguration configuration, IOptions<TeamsOptions> teams, IOptions<CompanyOptions> company, ILogger<ChatPlatformReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!company.Value.IsNamed) LogCompanyUnnamed();
        if (SlackConfigured(configuration)) LogConfigured("Slack");
        else LogNotConfigured("Slack", "Slack__BotToken and Slack__SigningSecret (or Slack__AppToken for Socket Mode)");
        ReportTeams(teams.Value);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Slack is reached over HTTP (signing secret) or Socket Mode (app-level token); either completes the bot token.
    /// </summary>
    public static bool SlackConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["Slack:BotToken"])
        && (!string.IsNullOrWhiteSpace(configuration["Slack:SigningSecret"]) || !string.IsNullOrWhiteSpace(configuration["Slack:AppToken"]));

    private void ReportTeams(TeamsOptions options)
    {
        if (!options.IsConfigured)
        {
            // The start-up validation has refused the opt-in outside Development already.
            if (options.AllowUnauthenticatedLoopback) LogTeamsDevelopmentMode();
            else LogNotConfigured("Teams", "Teams__AppId and a credential; /api/messages answers 503 until then");
            return;
        }
        var tenancy = string.IsNullOrWhiteSpace(options.TenantId) ? "multi-tenant" : $"single-tenant ({options.TenantId.Trim()})";
        var appId = options.AppId!.Trim();
        LogTeamsConfigured(appId, tenancy);
        var hasCredential = !string.IsNullOrWhiteSpace(options.AppPassword) || !string.IsNullOrWhiteSpace(options.CertificatePath)
            || !string.IsNullOrWhiteSpace(options.CertificateThumbprint) || !string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) || options.UseWorkloadIdentity;
        if (!hasCredential) LogTeamsNoPassword();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Company__Name is not set, so surveys and replies say \"us\" where your company's name belongs (\"How likely are you to recommend us…\"). Set Company__Name=YourCompany")]
    private partial void LogCompanyUnnamed();

    [LoggerMessage(Level = LogLevel.Information, Message = "{Platform}: configured")]
    private partial void LogConfigured(string platform);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Platform}: not configured (set {Variables} to connect it)")]
    private partial void LogNotConfigured(string platform, string variables);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams: configured as app {AppId}, {Tenancy}; /api/messages requires a valid Bot Framework token")]
    private partial void LogTeamsConfigured(string appId, string tenancy);

    [LoggerMessage(Level = LogLevel.Error, Message = "Teams: no credential is set (Teams__AppPassword, Teams__CertificatePath or Teams__CertificateThumbprint, Teams__ManagedIdentityClientId, or Teams__UseWorkloadIdentity); the bot cannot get a token and every reply will fail")]
    private partial void LogTeamsNoPassword();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: development mode (Teams__AllowUnauthenticatedLoopback) — Teams authentication is OFF. /api/messages accepts unauthenticated requests from this machine (loopback) only, for the Agents Playground or the Bot Framework Emulator. Set Teams__AppId and a credential to connect real Teams.")]
    private partial void LogTeamsDevelopmentMode();
}
