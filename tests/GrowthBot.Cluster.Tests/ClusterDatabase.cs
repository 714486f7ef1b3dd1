using GrowthBot.Storage.Postgres;
using GrowthBot.Tests.Postgres;

namespace GrowthBot.Cluster.Tests;

/// <summary>One real PostgreSQL server for every test class in this project; each test takes a fresh database.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterDatabase : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";

    /// <summary>A fresh database with the store's schema (every migration, Quartz's tables included) applied.</summary>
    public static async Task<string> MigratedAsync(PostgresServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var connectionString = await server.CreateDatabaseAsync();
        using var database = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = connectionString });
        return connectionString;
    }

    /// <summary>A host's view of the store: its own data source on the shared database, as a second process has.</summary>
    public static PostgresDatabase Host(string connectionString, TimeProvider time) =>
        new(new PostgresStorageOptions { ConnectionString = connectionString }, time);
}
