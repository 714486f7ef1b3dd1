using GrowthBot.Core;
using GrowthBot.Core.Metrics;
using GrowthBot.Storage;

namespace GrowthBot.Host.Hosting;

/// <summary>The host's own services: settings validated at start, the store start-up, the platform report.</summary>
internal static class HostServiceCollectionExtensions
{
    public static IServiceCollection AddGrowthBotHost(this IServiceCollection services)
    {
        services.AddOptions<MetricEngineOptions>().BindConfiguration(MetricEngineOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddGrowthBotCore();
        services.AddSingleton(provider => AccountabilitySettings.Read(provider.GetRequiredService<IConfiguration>()));
        services.AddGrowthBotStorage();
        services.AddSingleton<StoreStartup>();
        services.AddHostedService(provider => provider.GetRequiredService<StoreStartup>());
        services.AddHostedService<ChatPlatformReport>();
        return services;
    }
}
