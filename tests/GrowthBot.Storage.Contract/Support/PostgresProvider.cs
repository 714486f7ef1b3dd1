using GrowthBot.Core.Alerts;
using GrowthBot.Core.ApiKeys;
using GrowthBot.Core.Billing;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Digests;
using GrowthBot.Core.FollowUps;
using GrowthBot.Core.Freshness;
using GrowthBot.Core.Installations;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Support;
using GrowthBot.Core.Surveys;
using GrowthBot.Storage.Postgres;
using GrowthBot.Tests.Postgres;

namespace GrowthBot.Storage.Contract.Support;

/// <summary>A fresh database on the collection's real PostgreSQL server, migrated when first opened.</summary>
public sealed class PostgresProvider(PostgresServer server) : IStoreProvider
{
    // Created in the constructor's thread: the fixture's calls never capture the test's context, so this cannot deadlock.
    public string ConnectionString { get; } = server.CreateDatabaseAsync().GetAwaiter().GetResult();

    public string Name => "PostgreSQL";

    public IStoreSession Open() => new Session(new PostgresDatabase(new PostgresStorageOptions { ConnectionString = ConnectionString }));

    public void Dispose()
    {
    }

    private sealed class Session(PostgresDatabase database) : IStoreSession
    {
        private readonly PostgresSurveyStore _surveys = new(database);
        private readonly PostgresInstallationStore _installations = new(database);

        public IGrowthStore Growth { get; } = new PostgresGrowthStore(database);

        public IInbox Inbox { get; } = new PostgresInbox(database);

        public IConversationDirectory Conversations { get; } = new PostgresConversationDirectory(database);

        public ISurveyStore Surveys => _surveys;

        public ISurveyComments Comments => _surveys;

        public IChartImageStore Charts { get; } = new PostgresChartImageStore(database);

        public ISubscriptionStore Digests { get; } = new PostgresDigestStore(database);

        public IFreshnessStore Freshness { get; } = new PostgresFreshnessStore(database);

        public IBillingLedger Billing { get; } = new PostgresBillingLedger(database);

        public ISupportLedger Support { get; } = new PostgresSupportLedger(database);

        public IInstallationStore Installations => _installations;

        public IUsedNonceStore Nonces => _installations;

        public IApiKeyStore ApiKeys { get; } = new PostgresApiKeyStore(database);

        public IAlertStore Alerts { get; } = new PostgresAlertStore(database);

        public IFollowUpStore FollowUps { get; } = new PostgresFollowUpStore(database);

        public IChannelPaceStore Paces { get; } = new PostgresChannelPaceStore(database);

        public IRateWindowStore RateWindows { get; } = new PostgresRateWindowStore(database);

        public IStoreHealth Health => database;

        public void Dispose() => database.Dispose();
    }
}
