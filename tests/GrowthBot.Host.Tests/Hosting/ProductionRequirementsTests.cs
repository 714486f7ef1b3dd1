using GrowthBot.Core.Questions;
using GrowthBot.Host.Hosting;
using GrowthBot.Slack;
using GrowthBot.Teams;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GrowthBot.Host.Tests.Hosting;

/// <summary>The settings a Production host must have: each missing one is refused at start with one line naming it.</summary>
public sealed class ProductionRequirementsTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Validate_SlackWithoutSigningSecretOrAppToken_NamesBoth()
    {
        var failure = Assert.Single(Failures(slack: new SlackOptions { BotToken = "xoxb-1" }));
        Assert.Contains("Slack__SigningSecret", failure, StringComparison.Ordinal);
        Assert.Contains("Slack__AppToken", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SlackWithAnAppTokenInsteadOfASigningSecret_IsEnough() =>
        Assert.Empty(Failures(slack: new SlackOptions { BotToken = "xoxb-1", AppToken = "xapp-1" }));

    [Fact]
    public void Validate_SlackWithoutABotTokenOrOAuthClient_SaysHowToPost()
    {
        var failure = Assert.Single(Failures(slack: new SlackOptions { SigningSecret = "secret" }));
        Assert.Contains("Slack__BotToken", failure, StringComparison.Ordinal);
        Assert.Contains("Slack__ClientSecret", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SlackRedirectUrlOverPlainHttp_IsRefused() =>
        Assert.Contains("Slack__RedirectUrl must be an https:// URL", Assert.Single(Failures(slack: new SlackOptions
        {
            SigningSecret = "secret", ClientId = "1.2", ClientSecret = "s", RedirectUrl = "http://bot.example.com/slack/oauth/callback",
        })), StringComparison.Ordinal);

    [Fact]
    public void Validate_TeamsAppIdWithoutACredential_NamesTheCredentials() =>
        Assert.Contains("Teams__AppPassword", Assert.Single(Failures(teams: new TeamsOptions { AppId = "00000000-0000-0000-0000-000000000001" })), StringComparison.Ordinal);

    [Fact]
    public void Validate_TeamsPasswordWithoutAnAppId_NamesTheAppId() =>
        Assert.Contains("no Teams__AppId", Assert.Single(Failures(teams: new TeamsOptions { AppPassword = "p" })), StringComparison.Ordinal);

    [Theory]
    [InlineData("http://bot.example.com", false)]
    [InlineData("bot.example.com", false)]
    [InlineData("https://bot.example.com", true)]
    [InlineData("http://127.0.0.1:5080", true)]
    public void Validate_PublicBaseUrl_MustBeHttps(string url, bool accepted)
    {
        var failures = Failures(teams: new TeamsOptions { AppId = "00000000-0000-0000-0000-000000000001", AppPassword = "p", PublicBaseUrl = url });
        if (accepted) Assert.Empty(failures);
        else Assert.Contains("Teams__PublicBaseUrl must be an https:// URL", Assert.Single(failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_APlatformWithoutCompanyName_NamesCompanyName() =>
        Assert.Contains("Company__Name", Assert.Single(Failures(slack: new SlackOptions { BotToken = "xoxb-1", SigningSecret = "s" }, company: new CompanyOptions())), StringComparison.Ordinal);

    [Fact]
    public void Validate_NoChatPlatform_NeedsNothing_AndDevelopmentNeedsNothing()
    {
        Assert.Empty(Failures(company: new CompanyOptions()));
        Assert.Empty(Failures(slack: new SlackOptions { BotToken = "xoxb-1" }, company: new CompanyOptions(), environment: Environments.Development));
    }

    [Fact]
    public void Host_ProductionWithMissingSettings_ExitsWithBadSettings_OneLineEach()
    {
        using var host = HostProcess.Start(_store.DbPath, "Production", new Dictionary<string, string>
        {
            ["Slack__BotToken"] = "xoxb-test-token",
            ["Teams__AppId"] = "00000000-0000-0000-0000-000000000001",
        }, "--urls", "http://127.0.0.1:0");

        Assert.Equal(GrowthBot.Host.Cli.ExitCodes.BadSettings, host.WaitForExit(Limit));
        var lines = host.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("GrowthBot cannot start in Production:", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Contains(lines, line => line.Contains("Slack__SigningSecret", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Teams__AppPassword", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Company__Name", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", host.Output, StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> Failures(SlackOptions? slack = null, TeamsOptions? teams = null, CompanyOptions? company = null, string environment = "Production")
    {
        var validator = new ProductionRequirementsValidator(new Environment(environment), Options.Create(slack ?? new SlackOptions()), Options.Create(teams ?? new TeamsOptions()),
            Options.Create(company ?? new CompanyOptions { Name = "Acme" }));
        var result = validator.Validate(null, new ProductionRequirements());
        return result.Failed ? [.. result.Failures!] : [];
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "growthbot";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
