using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Import;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Core.Alerts;

/// <summary>Registers metric alerts: the commands, the buttons and the background check.</summary>
public static class AlertServiceCollectionExtensions
{
    /// <summary>Needs an <see cref="IAlertStore"/> (the store) and the digests' <see cref="ISubscriptionStore"/> (which channel follows which team).</summary>
    public static IServiceCollection AddGrowthBotAlerts(this IServiceCollection services)
    {
        services.AddOptions<AlertOptions>();
        services.TryAddSingleton(provider => new AlertBook(provider.GetRequiredService<IAlertStore>()));
        services.TryAddSingleton(provider => new AlertMonitor(
            provider.GetRequiredService<AlertBook>(),
            provider.GetRequiredService<IMetricEngine>(),
            provider.GetRequiredService<ImportService>(),
            provider.GetRequiredService<ISubscriptionStore>(),
            provider.GetRequiredService<Accountability>(),
            provider.GetServices<IChatSender>(),
            provider.GetRequiredService<IOptions<AlertOptions>>().Value,
            provider.GetRequiredService<IOptions<CompanyOptions>>().Value.Zone(),
            provider.GetRequiredService<IOptions<MetricEngineOptions>>().Value.Currency,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<AlertMonitor>>(),
            provider.GetServices<IConversationAudience>()));
        services.AddHostedService(provider => provider.GetRequiredService<AlertMonitor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageRoute, AlertCommands>(provider => new AlertCommands(
            provider.GetRequiredService<AlertBook>(),
            provider.GetRequiredService<AlertMonitor>(),
            provider.GetRequiredService<ISubscriptionStore>(),
            provider.GetRequiredService<Accountability>(),
            provider.GetRequiredService<IAccessPolicy>(),
            provider.GetRequiredService<IOptions<AlertOptions>>().Value,
            provider.GetRequiredService<IOptions<CompanyOptions>>().Value,
            provider.GetRequiredService<IOptions<MetricEngineOptions>>().Value.Currency,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetServices<IConversationAudience>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IActionHandler, AlertActionHandler>(provider => new AlertActionHandler(
            provider.GetRequiredService<AlertBook>(),
            provider.GetRequiredService<AlertMonitor>(),
            provider.GetRequiredService<IAccessPolicy>(),
            provider.GetRequiredService<IOptions<CompanyOptions>>().Value,
            provider.GetRequiredService<IOptions<MetricEngineOptions>>().Value.Currency,
            provider.GetRequiredService<TimeProvider>())));
        return services;
    }
}
