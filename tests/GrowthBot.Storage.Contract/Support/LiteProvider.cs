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

namespace GrowthBot.Storage.Contract.Support;

/// <summary>A fresh LiteDB file in its own temporary folder, deleted afterwards.</summary>
public sealed class LiteProvider : IStoreProvider
{
    private readonly string _folder = Directory.CreateTempSubdirectory("growthbot-contract-").FullName;

    public string Name => "LiteDB";

    public string FilePath => Path.Combine(_folder, "growthbot.db");

    public IStoreSession Open() => new Session(new LiteGrowthStore(new StorageOptions { Path = FilePath }));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private sealed class Session : IStoreSession
    {
        private readonly LiteGrowthStore _store;

        public Session(LiteGrowthStore store)
        {
            _store = store;
            Inbox = new LiteInbox(store);
            Conversations = new LiteConversationDirectory(store);
            var surveys = new LiteSurveyStore(store);
            Surveys = surveys;
            Comments = surveys;
            Charts = new LiteChartImageStore(store);
            Digests = new LiteDigestStore(store);
            Freshness = new LiteFreshnessStore(store);
            Billing = new LiteBillingLedger(store);
            Support = new LiteSupportLedger(store);
            var installations = new LiteInstallationStore(store);
            Installations = installations;
            Nonces = installations;
            ApiKeys = new LiteApiKeyStore(store);
            Alerts = new LiteAlertStore(store);
            FollowUps = new LiteFollowUpStore(store);
        }

        public IGrowthStore Growth => _store;

        public IInbox Inbox { get; }

        public IConversationDirectory Conversations { get; }

        public ISurveyStore Surveys { get; }

        public ISurveyComments Comments { get; }

        public IChartImageStore Charts { get; }

        public ISubscriptionStore Digests { get; }

        public IFreshnessStore Freshness { get; }

        public IBillingLedger Billing { get; }

        public ISupportLedger Support { get; }

        public IInstallationStore Installations { get; }

        public IUsedNonceStore Nonces { get; }

        public IApiKeyStore ApiKeys { get; }

        public IAlertStore Alerts { get; }

        public IFollowUpStore FollowUps { get; }

        // What the LiteDB host registers: one process posts, so its memory is the whole truth.
        public IChannelPaceStore Paces { get; } = new LocalChannelPaceStore();

        public IRateWindowStore RateWindows { get; } = new LocalRateWindowStore();

        public IStoreHealth Health => _store.Health;

        public void Dispose() => _store.Dispose();
    }
}
