using GrowthBot.Core.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Storage;

/// <summary>Registers the LiteDB store.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="LiteGrowthStore"/> as the <see cref="IGrowthStore"/>, opened (and locked)
    /// on first use with the bound <see cref="StorageOptions"/>.
    /// </summary>
    public static IServiceCollection AddGrowthBotStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(provider => new LiteGrowthStore(provider.GetRequiredService<IOptions<StorageOptions>>().Value, provider.GetService<TimeProvider>(),
            provider.GetService<ILoggerFactory>()?.CreateLogger<LiteGrowthStore>()));
        services.AddSingleton<IGrowthStore>(provider => provider.GetRequiredService<LiteGrowthStore>());
        services.AddSingleton(provider => provider.GetRequiredService<LiteGrowthStore>().Health);
        services.AddSingleton<Core.Conversations.IInbox>(provider => new LiteInbox(provider.GetRequiredService<LiteGrowthStore>()));
        // One process holds the file, so it is the only one posting: channel pacing stays in its memory.
        services.AddSingleton<Core.Conversations.IChannelPaceStore, Core.Conversations.LocalChannelPaceStore>();
        services.AddSingleton<Core.Conversations.IRateWindowStore, Core.Conversations.LocalRateWindowStore>();
        services.AddSingleton<Core.Conversations.IConversationDirectory>(provider => new LiteConversationDirectory(provider.GetRequiredService<LiteGrowthStore>()));
        services.AddSingleton(provider => new LiteSurveyStore(provider.GetRequiredService<LiteGrowthStore>()));
        services.AddSingleton<ISurveyStore>(provider => provider.GetRequiredService<LiteSurveyStore>());
        services.AddSingleton<Core.Surveys.ISurveyComments>(provider => provider.GetRequiredService<LiteSurveyStore>());
        services.AddSingleton<IChartImageStore>(provider => new LiteChartImageStore(provider.GetRequiredService<LiteGrowthStore>()));
        services.AddSingleton<Core.Digests.ISubscriptionStore>(provider => new LiteDigestStore(provider.GetRequiredService<LiteGrowthStore>()));
        services.AddSingleton<Core.Freshness.IFreshnessStore>(provider => new LiteFreshnessStore(provider.GetRequiredService<LiteGrowthStore>()));
        services.AddSingleton<Core.Billing.IBillingLedger>(provider => new LiteBillingLedger(provider.GetRequiredService<LiteGrowthStore>()));
        services.AddSingleton<Core.Support.ISupportLedger>(provider => new LiteSupportLedger(provider.GetRequiredService<LiteGrowthStore>()));
        services.AddSingleton(provider => new LiteInstallationStore(provider.GetRequiredService<LiteGrowthStore>()));
        services.AddSingleton<Core.Installations.IInstallationStore>(provider => provider.GetRequiredService<LiteInstallationStore>());
        services.AddSingleton<Core.Installations.IUsedNonceStore>(provider => provider.GetRequiredService<LiteInstallationStore>());
        services.AddSingleton<Core.Alerts.IAlertStore>(provider => new LiteAlertStore(provider.GetRequiredService<LiteGrowthStore>()));
        services.AddSingleton<Core.ApiKeys.IApiKeyStore>(provider => new LiteApiKeyStore(provider.GetRequiredService<LiteGrowthStore>()));
        services.AddSingleton<Core.FollowUps.IFollowUpStore>(provider => new LiteFollowUpStore(provider.GetRequiredService<LiteGrowthStore>()));
        return services;
    }
}
