using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Auth;
using GrowthBot.Teams.Connector;
using GrowthBot.Teams.Graph;
using GrowthBot.Teams.Inbound;
using GrowthBot.Teams.Rendering;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Teams;

/// <summary>Registers the Teams adapter; <see cref="TeamsEndpoints.MapTeams"/> maps its route.</summary>
public static class TeamsServiceCollectionExtensions
{
    public static IServiceCollection AddGrowthBotTeams(this IServiceCollection services)
    {
        services.AddOptions<TeamsOptions>().BindConfiguration(TeamsOptions.SectionName).ValidateDataAnnotations()
            .Validate<IHostEnvironment>((options, environment) => TeamsOptions.IsAcceptablePublicBaseUrl(options.PublicBaseUrl, environment.IsDevelopment()),
                "Teams:PublicBaseUrl must be an absolute https URL (the host's public base, e.g. https://growthbot.example.com); " +
                "http is accepted only for a loopback address in Development (http://localhost:5080, for the Agents Playground).")
            .Validate(options => string.IsNullOrWhiteSpace(options.ChartLinkKey) || ChartLinkSigner.DecodeKey(options.ChartLinkKey) is not null,
                "Teams:ChartLinkKey must be base64 of at least 32 random bytes (e.g. openssl rand -base64 32), or empty to sign chart links with Data Protection.")
            .Validate(options => !options.PreinstallForSurveys || (Guid.TryParse(options.CatalogAppId, out _) && Guid.TryParse(options.TenantId, out _)),
                "Teams:PreinstallForSurveys needs Teams:CatalogAppId (the app's id in the organisation's app catalog, a GUID) and Teams:TenantId (the home tenant the app is installed in).")
            .ValidateOnStart();
        // Chart links are signed with the Data Protection key ring unless Teams:ChartLinkKey is set.
        services.AddDataProtection();
        services.AddSingleton<IValidateOptions<TeamsOptions>, TeamsModeValidation>();
        services.AddSingleton<TeamsMode>();
        services.AddHttpClient(nameof(BotFrameworkTokenValidator), client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddHttpClient(nameof(BotTokenProvider), client => client.Timeout = TimeSpan.FromSeconds(20));
        // One connector client for the whole process, so the per-conversation limiter sees every send.
        services.AddHttpClient(nameof(TeamsConnectorClient), client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<BotFrameworkTokenValidator>();
        services.AddSingleton(provider => new BotTokenProvider(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(BotTokenProvider)),
            provider.GetRequiredService<IOptions<TeamsOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<BotTokenProvider>>()));
        services.AddSingleton<ConversationTenants>();
        // The store's rate windows (shared on PostgreSQL), so every host's calls count against Teams' limits together.
        services.AddSingleton(provider => new ConversationLimiter(provider.GetRequiredService<TimeProvider>(),
            provider.GetService<IRateWindowStore>(), provider.GetRequiredService<ILogger<ConversationLimiter>>()));
        services.AddSingleton(provider => new TeamsConnectorClient(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(TeamsConnectorClient)),
            provider.GetRequiredService<BotTokenProvider>(),
            provider.GetRequiredService<ConversationLimiter>(),
            provider.GetRequiredService<IOptions<TeamsOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<TeamsConnectorClient>>(),
            provider.GetRequiredService<ConversationTenants>()));
        services.AddSingleton<TeamsBotIdentity>();
        services.AddSingleton<TeamsAnswers>();
        services.AddSingleton<UserSightings>();
        services.AddSingleton<TeamsImageCache>();
        services.AddHttpClient(nameof(TeamsAppInstaller), client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<TeamsOptions>>();
            var clients = provider.GetRequiredService<IHttpClientFactory>();
            // The credential is made on first use: only a host that pre-installs ever asks Graph for a token.
            var credential = new LazyCredential(() => TeamsCredentials.Create(options.Value, clients.CreateClient(nameof(BotTokenProvider))));
            return new TeamsAppInstaller(clients.CreateClient(nameof(TeamsAppInstaller)), credential, options,
                provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<TeamsAppInstaller>>());
        });
        services.AddSingleton<TeamsChatSender>();
        services.AddSingleton<IChatSender>(provider => provider.GetRequiredService<TeamsChatSender>());
        services.AddSingleton<IChatReplier, TeamsReplier>();
        services.AddSingleton<IWorkingIndicator, TeamsTypingIndicator>();
        services.AddSingleton<IRequesterDirectory, TeamsRequesterDirectory>();
        services.AddSingleton<MentionResolver>();
        services.AddSingleton<TeamsInbound>();
        return services;
    }
}
