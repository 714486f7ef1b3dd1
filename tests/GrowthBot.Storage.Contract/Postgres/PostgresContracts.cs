using GrowthBot.Storage.Contract.Contracts;
using GrowthBot.Storage.Contract.Support;
using GrowthBot.Tests.Postgres;

namespace GrowthBot.Storage.Contract.Postgres;

// The same contract suites against a fresh database per test on a real PostgreSQL server.

[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresInboxContract(PostgresServer server) : InboxContract(new PostgresProvider(server));

[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresConversationDirectoryContract(PostgresServer server) : ConversationDirectoryContract(new PostgresProvider(server));

[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresApiKeyStoreContract(PostgresServer server) : ApiKeyStoreContract(new PostgresProvider(server));

[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresChartImageStoreContract(PostgresServer server) : ChartImageStoreContract(new PostgresProvider(server));

[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresDigestStoreContract(PostgresServer server) : DigestStoreContract(new PostgresProvider(server));

[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresInstallationStoreContract(PostgresServer server) : InstallationStoreContract(new PostgresProvider(server));

[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresLedgerContract(PostgresServer server) : LedgerContract(new PostgresProvider(server));

[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresFreshnessStoreContract(PostgresServer server) : FreshnessStoreContract(new PostgresProvider(server));

[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresGrowthStoreContract(PostgresServer server) : GrowthStoreContract(new PostgresProvider(server));

[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresStoreChangesContract(PostgresServer server) : StoreChangesContract(new PostgresProvider(server));

[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresStorePrecisionContract(PostgresServer server) : StorePrecisionContract(new PostgresProvider(server));

[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresSurveyStoreContract(PostgresServer server) : SurveyStoreContract(new PostgresProvider(server));

[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresStoreHealthContract(PostgresServer server) : StoreHealthContract(new PostgresProvider(server));

[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresAlertContract(PostgresServer server) : AlertContract(new PostgresProvider(server));

[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresFollowUpContract(PostgresServer server) : FollowUpContract(new PostgresProvider(server));

[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresChannelPaceStoreContract(PostgresServer server) : ChannelPaceStoreContract(new PostgresProvider(server));

[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresRateWindowStoreContract(PostgresServer server) : RateWindowStoreContract(new PostgresProvider(server));
