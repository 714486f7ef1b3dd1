using GrowthBot.Core.Import;
using GrowthBot.Core.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GrowthBot.Core;

/// <summary>Registers the channel-neutral brain. The host binds <see cref="MetricEngineOptions"/> from configuration.</summary>
public static class CoreServiceCollectionExtensions
{
    public static IServiceCollection AddGrowthBotCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<MetricEngineOptions>();
        services.AddSingleton(provider => new MetricEngine(provider.GetRequiredService<IOptions<MetricEngineOptions>>().Value));
        services.AddSingleton<IMetricEngine>(provider => provider.GetRequiredService<MetricEngine>());
        services.TryAddSingleton(provider => new Accountability());
        services.AddSingleton(provider => new ImportService(
            provider.GetRequiredService<Ports.IGrowthStore>(), provider.GetRequiredService<IMetricEngine>()));
        return services;
    }
}
