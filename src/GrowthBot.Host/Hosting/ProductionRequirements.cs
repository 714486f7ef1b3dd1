using GrowthBot.Core.Questions;
using GrowthBot.Slack;
using GrowthBot.Teams;
using Microsoft.Extensions.Options;

namespace GrowthBot.Host.Hosting;

/// <summary>The settings a Production host must have, checked at start (see <see cref="ProductionRequirementsValidator"/>); it has no settings of its own.</summary>
internal sealed class ProductionRequirements;

/// <summary>
/// What a host in the Production environment must have before it starts, each missing piece one
/// sentence naming the setting: Development and test environments start without them, so a
/// mistake shows at the first deploy instead of at the first customer. A platform counts as
/// configured once any of its credentials is set; only then is the rest of it required.
/// </summary>
internal sealed class ProductionRequirementsValidator(
    IHostEnvironment environment,
    IOptions<SlackOptions> slack,
    IOptions<TeamsOptions> teams,
    IOptions<CompanyOptions> company) : IValidateOptions<ProductionRequirements>
{
    public ValidateOptionsResult Validate(string? name, ProductionRequirements options)
    {
        if (!environment.IsProduction()) return ValidateOptionsResult.Success;
        var failures = new List<string>();
        var slackOptions = slack.Value;
        var teamsOptions = teams.Value;
        var slackConfigured = Set(slackOptions.BotToken) || Set(slackOptions.SigningSecret) || Set(slackOptions.AppToken) || Set(slackOptions.ClientId);
        var teamsConfigured = Set(teamsOptions.AppId) || Set(teamsOptions.AppPassword) || Set(teamsOptions.CertificatePath) || Set(teamsOptions.CertificateThumbprint);

        if (slackConfigured)
        {
            if (!Set(slackOptions.SigningSecret) && !Set(slackOptions.AppToken))
                failures.Add("Slack is configured but nothing verifies its requests: set Slack__SigningSecret (HTTP events) or Slack__AppToken (Socket Mode).");
            if (!Set(slackOptions.BotToken) && !(Set(slackOptions.ClientId) && Set(slackOptions.ClientSecret)))
                failures.Add("Slack is configured without a way to post: set Slack__BotToken (one workspace) or Slack__ClientId and Slack__ClientSecret (installs through OAuth).");
            if (Set(slackOptions.RedirectUrl) && !IsHttpsOrLoopback(slackOptions.RedirectUrl))
                failures.Add($"Slack__RedirectUrl must be an https:// URL in Production (Slack refuses other OAuth redirects); it is '{slackOptions.RedirectUrl}'.");
        }
        if (teamsConfigured)
        {
            if (!Set(teamsOptions.AppId))
                failures.Add("Teams has a credential but no Teams__AppId (the bot's Microsoft App ID): set it.");
            var hasCredential = Set(teamsOptions.AppPassword) || Set(teamsOptions.CertificatePath) || Set(teamsOptions.CertificateThumbprint)
                || Set(teamsOptions.ManagedIdentityClientId) || teamsOptions.UseWorkloadIdentity;
            if (!hasCredential)
                failures.Add("Teams__AppId is set without a credential: set Teams__AppPassword, Teams__CertificatePath or Teams__CertificateThumbprint, Teams__ManagedIdentityClientId, or Teams__UseWorkloadIdentity=true.");
        }
        if (Set(teamsOptions.PublicBaseUrl) && !IsHttpsOrLoopback(teamsOptions.PublicBaseUrl))
            failures.Add($"Teams__PublicBaseUrl must be an https:// URL in Production (Teams loads chart images only over https); it is '{teamsOptions.PublicBaseUrl}'.");
        if ((slackConfigured || teamsConfigured) && !company.Value.IsNamed)
            failures.Add("Company__Name is not set: customers would be asked about \"us\" instead of your company. Set Company__Name=YourCompany.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool Set([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value) => !string.IsNullOrWhiteSpace(value);

    /// <summary>https, or a loopback address (a trial on this machine, never reachable from outside anyway).</summary>
    private static bool IsHttpsOrLoopback(string value) =>
        Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
