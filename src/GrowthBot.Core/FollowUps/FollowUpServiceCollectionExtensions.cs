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

namespace GrowthBot.Core.FollowUps;

/// <summary>Registers the closed loop: needs an <see cref="IFollowUpStore"/> (the storage adapter) and the platforms' <see cref="IChatSender"/>s.</summary>
public static class FollowUpServiceCollectionExtensions
{
    public static IServiceCollection AddGrowthBotFollowUps(this IServiceCollection services)
    {
        services.AddOptions<FollowUpOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FollowUpOptions>, FollowUpOptionsValidator>());
        services.TryAddSingleton<ICustomerProfiles>(provider => provider.GetRequiredService<MetricEngine>());
        services.TryAddSingleton(provider => new FollowUpMessages(
            provider.GetRequiredService<ICustomerProfiles>(),
            provider.GetRequiredService<IOptions<FollowUpOptions>>().Value,
            provider.GetRequiredService<IOptions<MetricEngineOptions>>().Value.Currency));
        services.TryAddSingleton(provider => new FollowUpPoster(
            provider.GetRequiredService<IFollowUpStore>(),
            provider.GetRequiredService<FollowUpMessages>(),
            provider.GetRequiredService<IOptions<FollowUpOptions>>().Value,
            provider.GetServices<IChatSender>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<FollowUpPoster>>(),
            provider.GetService<Operations.InFlightWork>()));
        services.AddHostedService(provider => provider.GetRequiredService<FollowUpPoster>());
        services.TryAddSingleton(provider => new FollowUpOpener(
            provider.GetRequiredService<ImportService>(),
            provider.GetRequiredService<IFollowUpStore>(),
            provider.GetRequiredService<IOptions<FollowUpOptions>>().Value,
            provider.GetRequiredService<IOptions<CompanyOptions>>().Value,
            provider.GetRequiredService<FollowUpPoster>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<FollowUpOpener>>()));
        services.AddHostedService(provider => provider.GetRequiredService<FollowUpOpener>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IActionHandler, FollowUpActionHandler>(provider => new FollowUpActionHandler(
            provider.GetRequiredService<IFollowUpStore>(),
            provider.GetRequiredService<FollowUpMessages>(),
            provider.GetRequiredService<IAccessPolicy>(),
            provider.GetRequiredService<IOptions<CompanyOptions>>().Value.Name,
            provider.GetRequiredService<TimeProvider>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageRoute, FollowUpsRoute>(provider => new FollowUpsRoute(
            provider.GetRequiredService<IFollowUpStore>(),
            provider.GetRequiredService<IAccessPolicy>(),
            provider.GetRequiredService<IOptions<CompanyOptions>>().Value.Name,
            provider.GetRequiredService<TimeProvider>())));
        // Scores meet revenue: claimed before the question handler, which would answer the metric without the split.
        services.TryAddSingleton<ISurveyCategorySource>(provider => provider.GetRequiredService<MetricEngine>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageRoute, CategorySplitRoute>(provider => new CategorySplitRoute(
            provider.GetRequiredService<ISurveyCategorySource>(),
            provider.GetRequiredService<IAccessPolicy>(),
            provider.GetRequiredService<IOptions<CompanyOptions>>().Value,
            provider.GetRequiredService<TimeProvider>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDigestSection, FollowUpDigestSection>(provider => new FollowUpDigestSection(
            provider.GetRequiredService<IFollowUpStore>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDigestSection, CategorySplitDigestSection>(provider => new CategorySplitDigestSection(
            provider.GetRequiredService<ISurveyCategorySource>())));
        return services;
    }
}
