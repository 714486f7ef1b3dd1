using GrowthBot.Storage.Contract.Contracts;
using GrowthBot.Storage.Contract.Support;

namespace GrowthBot.Storage.Contract.Lite;

// The contract suites run against a fresh LiteDB file per test.

public sealed class LiteInboxContract() : InboxContract(new LiteProvider());

public sealed class LiteConversationDirectoryContract() : ConversationDirectoryContract(new LiteProvider());

public sealed class LiteApiKeyStoreContract() : ApiKeyStoreContract(new LiteProvider());

public sealed class LiteChartImageStoreContract() : ChartImageStoreContract(new LiteProvider());

public sealed class LiteDigestStoreContract() : DigestStoreContract(new LiteProvider());

public sealed class LiteInstallationStoreContract() : InstallationStoreContract(new LiteProvider());

public sealed class LiteLedgerContract() : LedgerContract(new LiteProvider());

public sealed class LiteFreshnessStoreContract() : FreshnessStoreContract(new LiteProvider());

public sealed class LiteGrowthStoreContract() : GrowthStoreContract(new LiteProvider());

public sealed class LiteStoreChangesContract() : StoreChangesContract(new LiteProvider());

public sealed class LiteStorePrecisionContract() : StorePrecisionContract(new LiteProvider());

public sealed class LiteSurveyStoreContract() : SurveyStoreContract(new LiteProvider());

public sealed class LiteStoreHealthContract() : StoreHealthContract(new LiteProvider());

public sealed class LiteAlertContract() : AlertContract(new LiteProvider());

public sealed class LiteFollowUpContract() : FollowUpContract(new LiteProvider());

public sealed class LiteChannelPaceStoreContract() : ChannelPaceStoreContract(new LiteProvider());

public sealed class LiteRateWindowStoreContract() : RateWindowStoreContract(new LiteProvider());
