using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Surveys;
using GrowthBot.Core.Questions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Core.Digests;

/// <summary>Registers digests: the composer, the exactly-once delivery and the chat commands.</summary>
public static class DigestServiceCollectionExtensions
{
    /// <summary>
    /// Needs an <see cref="ISubscriptionStore"/> and <see cref="ISurveyComments"/> (the store), an
    /// <see cref="ITrendChartRenderer"/> and, to be scheduled, an <see cref="IDigestTriggers"/> (the host).
    /// </summary>
    public static IServiceCollection AddGrowthBotDigests(this IServiceCollection services)
    {
        services.AddOptions<DigestOptions>();
        services.TryAddSingleton<IDigestTriggers, NoDigestTriggers>();
        services.AddSingleton(provider => new DigestComposer(
            provider.GetRequiredService<IMetricEngine>(),
            provider.GetRequiredService<ISurveyComments>(),
            provider.GetRequiredService<ITrendChartRenderer>(),
            provider.GetRequiredService<IOptions<DigestOptions>>().Value,
            provider.GetRequiredService<IOptions<MetricEngineOptions>>().Value.Currency,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<Freshness.SourceFreshness>(),
            provider.GetServices<IDigestSection>()));
        services.AddSingleton(provider => new DigestDelivery(
            provider.GetRequiredService<ISubscriptionStore>(),
            provider.GetRequiredService<DigestComposer>(),
            provider.GetRequiredService<IMetricEngine>(),
            provider.GetRequiredService<Accountability>(),
            provider.GetServices<IChatSender>(),
            provider.GetRequiredService<IOptions<DigestOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<DigestDelivery>>(),
            provider.GetServices<IConversationAudience>(),
            provider.GetService<Operations.InFlightWork>(),
            provider.GetService<Operations.GrowthBotMetrics>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageRoute, DigestCommands>(provider => new DigestCommands(
            provider.GetRequiredService<ISubscriptionStore>(),
            provider.GetRequiredService<DigestComposer>(),
            provider.GetRequiredService<Accountability>(),
            provider.GetRequiredService<IAccessPolicy>(),
            provider.GetRequiredService<IDigestTriggers>(),
            provider.GetRequiredService<IOptions<CompanyOptions>>().Value,
            provider.GetRequiredService<IOptions<MetricEngineOptions>>().Value.Currency,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetServices<IConversationAudience>(),
            provider.GetRequiredService<IOptions<DigestOptions>>().Value.AllowOutsideAudiences)));
        return services;
    }
}
