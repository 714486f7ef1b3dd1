using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Import;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Questions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Core.Surveys;

/// <summary>Registers the surveys: needs an <see cref="ISurveyStore"/> (the storage adapter) and the platforms' <see cref="IChatSender"/>s.</summary>
public static class SurveyServiceCollectionExtensions
{
    public static IServiceCollection AddGrowthBotSurveys(this IServiceCollection services)
    {
        services.AddOptions<SurveyOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SurveyOptions>, SurveyOptionsValidator>());
        services.TryAddSingleton<SurveyLocks>();
        services.TryAddSingleton(provider =>
        {
            var key = provider.GetRequiredService<IOptions<SurveyOptions>>().Value.SigningKey;
            return SurveyButtonCodec.FromText(string.IsNullOrWhiteSpace(key) ? provider.GetRequiredService<ISurveyStore>().SigningKey(SurveyButtonCodec.NewKey) : key);
        });
        services.TryAddSingleton(provider => new SurveyMessages(
            provider.GetRequiredService<IOptions<SurveyOptions>>().Value,
            provider.GetRequiredService<IOptions<CompanyOptions>>().Value.Name,
            provider.GetRequiredService<SurveyButtonCodec>()));
        services.TryAddSingleton(provider => new SurveyAnswerWriter(provider.GetRequiredService<ImportService>(), provider.GetRequiredService<ISurveyStore>(),
            provider.GetService<Operations.GrowthBotMetrics>()));
        services.TryAddSingleton(provider => new SurveyScheduler(
            provider.GetRequiredService<ISurveyStore>(),
            provider.GetRequiredService<IOptions<SurveyOptions>>().Value,
            provider.GetRequiredService<SurveyMessages>(),
            provider.GetServices<IChatSender>(),
            provider.GetRequiredService<SurveyLocks>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<SurveyScheduler>>(),
            provider.GetService<Operations.InFlightWork>()));
        services.AddHostedService(provider => provider.GetRequiredService<SurveyScheduler>());
        services.TryAddSingleton(provider => new CampaignPreparer(
            provider.GetRequiredService<ISurveyStore>(),
            provider.GetRequiredService<IOptions<SurveyOptions>>().Value,
            provider.GetRequiredService<SurveyScheduler>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<CampaignPreparer>>()));
        services.AddHostedService(provider => provider.GetRequiredService<CampaignPreparer>());
        services.TryAddSingleton(provider => new SurveyCampaigns(
            provider.GetRequiredService<ISurveyStore>(),
            provider.GetRequiredService<IOptions<SurveyOptions>>().Value,
            provider.GetRequiredService<SurveyScheduler>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<CampaignPreparer>()));
        services.TryAddSingleton(provider => new TicketSurveys(
            provider.GetRequiredService<ImportService>(),
            provider.GetRequiredService<ISurveyStore>(),
            provider.GetRequiredService<IOptions<SurveyOptions>>().Value,
            provider.GetRequiredService<SurveyScheduler>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<TicketSurveys>>()));
        services.AddHostedService(provider => provider.GetRequiredService<TicketSurveys>());
        services.TryAddSingleton<SurveyActionHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IActionHandler, SurveyActionHandler>(provider => provider.GetRequiredService<SurveyActionHandler>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageRoute, SurveyCommandRoute>(provider => new SurveyCommandRoute(
            provider.GetRequiredService<SurveyCampaigns>(),
            provider.GetRequiredService<ISurveyStore>(),
            provider.GetRequiredService<IAccessPolicy>(),
            provider.GetRequiredService<IOptions<CompanyOptions>>().Value.Name)));
        return services;
    }
}
