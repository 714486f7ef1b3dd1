using GrowthBot.Tests.Postgres;

namespace GrowthBot.Host.Tests.Postgres;

/// <summary>One real PostgreSQL server for the host's PostgreSQL tests; each test gets its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresServerGroup : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
