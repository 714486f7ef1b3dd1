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

/// <summary>
/// One open store, seen through every port the host uses. Disposing closes it (the LiteDB file and
/// its lock; the PostgreSQL data source); opening the same provider again is a restart.
/// </summary>
public interface IStoreSession : IDisposable
{
    IGrowthStore Growth { get; }

    IInbox Inbox { get; }

    IConversationDirectory Conversations { get; }

    ISurveyStore Surveys { get; }

    ISurveyComments Comments { get; }

    IChartImageStore Charts { get; }

    ISubscriptionStore Digests { get; }

    IFreshnessStore Freshness { get; }

    IBillingLedger Billing { get; }

    ISupportLedger Support { get; }

    IInstallationStore Installations { get; }

    IUsedNonceStore Nonces { get; }

    IApiKeyStore ApiKeys { get; }

    IAlertStore Alerts { get; }

    IFollowUpStore FollowUps { get; }

    IChannelPaceStore Paces { get; }

    IRateWindowStore RateWindows { get; }

    IStoreHealth Health { get; }
}

/// <summary>Where one test's store lives (a fresh LiteDB file, a fresh PostgreSQL database): every <see cref="Open"/> opens that same store.</summary>
public interface IStoreProvider : IDisposable
{
    string Name { get; }

    IStoreSession Open();
}
