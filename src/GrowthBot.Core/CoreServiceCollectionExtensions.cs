using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Import;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Core.Surveys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GrowthBot.Core;

/// <summary>
/// Registers the channel-neutral brain. The host binds <see cref="MetricEngineOptions"/>,
/// <see cref="CompanyOptions"/> and <see cref="AccessOptions"/> from configuration.
/// </summary>
public static class CoreServiceCollectionExtensions
{
    public static IServiceCollection AddGrowthBotCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<MetricEngineOptions>();
        services.AddSingleton(provider => new MetricEngine(
            provider.GetRequiredService<IOptions<MetricEngineOptions>>().Value,
            provider.GetRequiredService<IOptions<CompanyOptions>>().Value.Zone(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IMetricEngine>(provider => provider.GetRequiredService<MetricEngine>());
        services.TryAddSingleton(provider => new Accountability());
        services.AddSingleton(provider => new ImportService(
            provider.GetRequiredService<Ports.IGrowthStore>(), provider.GetRequiredService<IMetricEngine>(),
            provider.GetRequiredService<IOptions<CompanyOptions>>().Value.Zone()));
        services.AddOptions<Freshness.FreshnessOptions>();
        services.AddSingleton(provider => new Freshness.SourceFreshness(
            provider.GetRequiredService<ImportService>(), provider.GetRequiredService<Freshness.IFreshnessStore>(),
            provider.GetRequiredService<IOptions<Freshness.FreshnessOptions>>().Value, provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService(provider => provider.GetRequiredService<Freshness.SourceFreshness>());
        services.AddSingleton(provider => new Billing.BillingIngest(
            provider.GetRequiredService<ImportService>(), provider.GetRequiredService<Billing.IBillingLedger>()));
        services.AddSingleton(provider => new Support.SupportIngest(
            provider.GetRequiredService<ImportService>(), provider.GetRequiredService<Support.ISupportLedger>()));
        services.AddSingleton(provider => new ApiKeys.ApiKeyService(
            provider.GetRequiredService<ApiKeys.IApiKeyStore>(), provider.GetRequiredService<TimeProvider>()));
        services.AddGrowthBotQuestions();
        services.AddGrowthBotSurveys();
        FollowUps.FollowUpServiceCollectionExtensions.AddGrowthBotFollowUps(services);
        return services;
    }

    /// <summary>Plain-language questions: the access policy and the question handler (also the handler of its buttons).</summary>
    private static void AddGrowthBotQuestions(this IServiceCollection services)
    {
        services.AddOptions<CompanyOptions>();
        services.AddOptions<AccessOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CompanyOptions>, CompanyOptionsValidator>());
        services.TryAddSingleton<IAccessPolicy>(provider => new AccessPolicy(provider.GetRequiredService<IOptions<AccessOptions>>().Value));
        services.AddSingleton(provider => QuestionHandler.Create(
            provider.GetRequiredService<IMetricEngine>(),
            provider.GetRequiredService<Accountability>(),
            provider.GetRequiredService<IOptions<MetricEngineOptions>>().Value,
            provider.GetRequiredService<IOptions<CompanyOptions>>().Value,
            provider.GetRequiredService<IAccessPolicy>(),
            provider.GetRequiredService<TimeProvider>(),
            () => provider.GetServices<IMessageRoute>().SelectMany(route => route.HelpLines),
            provider.GetService<Digests.ITrendChartRenderer>(),
            provider.GetService<Freshness.SourceFreshness>(),
            provider.GetService<IQuestionContextStore>()));
        // Commands and survey comments are offered to their routes first; anything else is a question.
        services.TryAddSingleton<IConversationHandler>(provider => new MessageRouter(
            provider.GetServices<IMessageRoute>(), provider.GetRequiredService<QuestionHandler>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IActionHandler, QuestionHandler>(provider => provider.GetRequiredService<QuestionHandler>()));
    }
}
