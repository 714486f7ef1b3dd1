using GrowthBot.Tests.Postgres;

namespace GrowthBot.Storage.Contract.Support;

/// <summary>One real PostgreSQL server for every PostgreSQL test class here; each test gets its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresServerGroup : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
