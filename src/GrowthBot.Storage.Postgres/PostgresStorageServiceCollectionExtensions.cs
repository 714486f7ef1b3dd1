using GrowthBot.Core.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Storage.Postgres;

/// <summary>Registers the PostgreSQL store: every port the LiteDB store serves, over one shared data source.</summary>
public static class PostgresStorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds the PostgreSQL store with the bound <see cref="PostgresStorageOptions"/> (validated at start).
    /// The schema is migrated when the database is first opened (the host opens it at start).
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="validateOnStart">
    /// False where the caller validates the settings at start itself (the host, which checks the connection
    /// string only when <c>Storage__Provider=postgres</c>); they are still validated when the store is first opened.
    /// </param>
    public static IServiceCollection AddGrowthBotPostgresStorage(this IServiceCollection services, bool validateOnStart = true)
    {
        var options = services.AddOptions<PostgresStorageOptions>().BindConfiguration(PostgresStorageOptions.SectionName).ValidateDataAnnotations();
        if (validateOnStart) options.ValidateOnStart();
        services.AddSingleton(provider => new PostgresDatabase(
            provider.GetRequiredService<IOptions<PostgresStorageOptions>>().Value, provider.GetService<TimeProvider>(), provider.GetService<ILogger<PostgresDatabase>>()));
        services.AddSingleton<IStoreHealth>(provider => provider.GetRequiredService<PostgresDatabase>());
        services.AddSingleton(provider => new PostgresGrowthStore(provider.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IGrowthStore>(provider => provider.GetRequiredService<PostgresGrowthStore>());
        services.AddSingleton(provider => new PostgresGrowthFollower(provider.GetRequiredService<PostgresDatabase>(), provider.GetRequiredService<PostgresGrowthStore>(),
            provider.GetRequiredService<IOptions<PostgresStorageOptions>>().Value, provider.GetService<TimeProvider>(), provider.GetService<ILogger<PostgresGrowthFollower>>()));
        services.AddSingleton<Core.Conversations.IInbox>(provider => new PostgresInbox(provider.GetRequiredService<PostgresDatabase>(), provider.GetService<TimeProvider>()));
        services.AddSingleton<Core.Conversations.IChannelPaceStore>(provider => new PostgresChannelPaceStore(provider.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Core.Conversations.IRateWindowStore>(provider => new PostgresRateWindowStore(provider.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Core.Questions.IQuestionContextStore>(provider => new PostgresQuestionContextStore(provider.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Core.Conversations.IConversationDirectory>(provider => new PostgresConversationDirectory(provider.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton(provider => new PostgresSurveyStore(provider.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<ISurveyStore>(provider => provider.GetRequiredService<PostgresSurveyStore>());
        services.AddSingleton<Core.Surveys.ISurveyComments>(provider => provider.GetRequiredService<PostgresSurveyStore>());
        services.AddSingleton<IChartImageStore>(provider => new PostgresChartImageStore(provider.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Core.Digests.ISubscriptionStore>(provider => new PostgresDigestStore(provider.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Core.Freshness.IFreshnessStore>(provider => new PostgresFreshnessStore(provider.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Core.Billing.IBillingLedger>(provider => new PostgresBillingLedger(provider.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Core.Support.ISupportLedger>(provider => new PostgresSupportLedger(provider.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton(provider => new PostgresInstallationStore(provider.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Core.Installations.IInstallationStore>(provider => provider.GetRequiredService<PostgresInstallationStore>());
        services.AddSingleton<Core.Installations.IUsedNonceStore>(provider => provider.GetRequiredService<PostgresInstallationStore>());
        services.AddSingleton<Core.ApiKeys.IApiKeyStore>(provider => new PostgresApiKeyStore(provider.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Core.Alerts.IAlertStore>(provider => new PostgresAlertStore(provider.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Core.FollowUps.IFollowUpStore>(provider => new PostgresFollowUpStore(provider.GetRequiredService<PostgresDatabase>()));
        return services;
    }
}
