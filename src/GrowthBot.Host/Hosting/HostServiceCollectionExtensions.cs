using GrowthBot.Core;
using GrowthBot.Core.Access;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Core.Surveys;
using GrowthBot.Core.Alerts;
using GrowthBot.Host.Digests;

namespace GrowthBot.Host.Hosting;

/// <summary>The host's own services: settings validated at start, the store start-up, the platform report.</summary>
internal static class HostServiceCollectionExtensions
{
    public static IServiceCollection AddGrowthBotHost(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHostedService<StartupFailureLogFilter>();
        services.AddGrowthBotLogHygiene();
        services.Configure<LoggerFilterOptions>(options => options.Rules.Add(
            new LoggerFilterRule(providerName: null, StartupFailureLogFilter.HostCategory, logLevel: null, (_, _, level) => StartupFailureLogFilter.Allows(level))));
        services.AddOptions<MetricEngineOptions>().BindConfiguration(MetricEngineOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CompanyOptions>().BindConfiguration(CompanyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) => options.AddCommaSeparated(
                configuration[$"{AccessOptions.SectionName}:{nameof(AccessOptions.SlackHomeTeamIds)}"],
                configuration[$"{AccessOptions.SectionName}:{nameof(AccessOptions.TeamsHomeTenantIds)}"],
                configuration[$"{AccessOptions.SectionName}:{nameof(AccessOptions.AllowedUserIds)}"],
                configuration[$"{AccessOptions.SectionName}:{nameof(AccessOptions.SlackHomeEnterpriseIds)}"]));
        services.AddOptions<Core.Conversations.ConversationOptions>().BindConfiguration(Core.Conversations.ConversationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SurveyOptions>().BindConfiguration(SurveyOptions.SectionName).ValidateOnStart();
        services.AddOptions<Core.FollowUps.FollowUpOptions>().BindConfiguration(Core.FollowUps.FollowUpOptions.SectionName).ValidateOnStart();
        services.AddOptions<Core.Freshness.FreshnessOptions>().BindConfiguration(Core.Freshness.FreshnessOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddGrowthBotCore();
        services.AddSingleton(provider => AccountabilitySettings.Read(provider.GetRequiredService<IConfiguration>()));
        services.AddGrowthBotStore(configuration);
        services.AddGrowthBotOperations();
        services.AddGrowthBotDataProtection();
        services.AddSingleton<StoreStartup>();
        services.AddHostedService(provider => provider.GetRequiredService<StoreStartup>());
        services.AddHostedService<ChatPlatformReport>();
        services.AddHostedService<StoreHealthProbe>();
        services.AddGrowthBotDigestScheduling(configuration);
        services.AddOptions<Core.Alerts.AlertOptions>().BindConfiguration(Core.Alerts.AlertOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddGrowthBotAlerts();
        return services;
    }
}
