using GrowthBot.Core.Data;
using GrowthBot.Storage.Contract.Support;
using GrowthBot.Storage.Postgres;
using GrowthBot.Storage.Tests;
using GrowthBot.Tests.Postgres;
using Npgsql;

namespace GrowthBot.Storage.Contract.Postgres;

/// <summary>
/// PostgreSQL only: the schema is created and upgraded at start by numbered migrations, hosts starting
/// together take turns, and a host never runs on a database newer than itself.
/// </summary>
[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class SchemaMigrationTests(PostgresServer server)
{
    /// <summary>What a later build would ship: the embedded migrations plus one more.</summary>
    private static readonly IReadOnlyList<Migration> NextBuild =
        [.. Migration.Embedded, new Migration(Migration.Latest + 1, $"{Migration.Latest + 1:0000}_customer_notes", "ALTER TABLE customers ADD COLUMN notes text;")];

    [Fact]
    public async Task Open_EmptyDatabase_AppliesEveryMigration_AndRecordsThem()
    {
        var options = new PostgresStorageOptions { ConnectionString = await server.CreateDatabaseAsync() };

        using var database = new PostgresDatabase(options);

        Assert.Equal(Migration.Embedded.Select(migration => migration.Version), database.Applied);
        Assert.Equal(Migration.Latest, SchemaMigrator.CurrentVersion(database.DataSource));
        using var again = new PostgresDatabase(options);
        Assert.Empty(again.Applied);
    }

    [Fact]
    public async Task Open_ByANewerBuild_UpgradesTheOlderDatabase_KeepingItsRows()
    {
        var options = new PostgresStorageOptions { ConnectionString = await server.CreateDatabaseAsync() };
        using (var older = new PostgresDatabase(options))
        {
            new PostgresGrowthStore(older).Write(Rows.Batch(customers: Rows.Customers));
        }

        using var newer = new PostgresDatabase(options, NextBuild);

        Assert.Equal([Migration.Latest + 1], newer.Applied);
        Assert.Equal(Migration.Latest + 1, SchemaMigrator.CurrentVersion(newer.DataSource));
        Assert.Equal(Rows.Customers.Length, new PostgresGrowthStore(newer).CustomerIds().Count);
        await using var connection = await newer.DataSource.OpenConnectionAsync();
        await using var column = new NpgsqlCommand("SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'notes'", connection);
        Assert.Equal(1L, await column.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Open_DatabaseMigratedByANewerBuild_IsRefused_WithBothVersions()
    {
        var options = new PostgresStorageOptions { ConnectionString = await server.CreateDatabaseAsync() };
        using (new PostgresDatabase(options, NextBuild))
        {
        }

        var refused = Assert.Throws<SchemaTooNewException>(() => new PostgresDatabase(options));

        Assert.Contains($"schema version {Migration.Latest + 1}, newer than this GrowthBot's {Migration.Latest}", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_DatabaseWhoseAppliedMigrationDiffers_IsRefused()
    {
        var options = new PostgresStorageOptions { ConnectionString = await server.CreateDatabaseAsync() };
        using (var database = new PostgresDatabase(options))
        {
            await using var connection = await database.DataSource.OpenConnectionAsync();
            await using var tamper = new NpgsqlCommand($"UPDATE {SchemaMigrator.VersionTable} SET checksum = 'edited' WHERE version = 1", connection);
            await tamper.ExecuteNonQueryAsync();
        }

        var refused = Assert.Throws<SchemaTooNewException>(() => new PostgresDatabase(options));

        Assert.Contains("differs from this GrowthBot's copy", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_MigrationThatFails_LeavesTheDatabaseAtThePreviousVersion()
    {
        var options = new PostgresStorageOptions { ConnectionString = await server.CreateDatabaseAsync() };
        IReadOnlyList<Migration> broken = [.. Migration.Embedded, new Migration(Migration.Latest + 1, "broken", "ALTER TABLE customers ADD COLUMN notes text; SELECT * FROM no_such_table;")];
        using (new PostgresDatabase(options))
        {
        }

        Assert.Throws<PostgresException>(() => new PostgresDatabase(options, broken));

        using var database = new PostgresDatabase(options);
        Assert.Equal(Migration.Latest, SchemaMigrator.CurrentVersion(database.DataSource));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var column = new NpgsqlCommand("SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'notes'", connection);
        Assert.Equal(0L, await column.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Open_ByHostsStartingTogether_MigratesOnce_AndEveryHostStarts()
    {
        var options = new PostgresStorageOptions { ConnectionString = await server.CreateDatabaseAsync() };
        using var gate = new Barrier(6);

        var opened = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
        {
            gate.SignalAndWait();
            return new PostgresDatabase(options);
        })));

        try
        {
            Assert.Single(opened, database => database.Applied.Count > 0);
            await using var connection = await opened[0].DataSource.OpenConnectionAsync();
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {SchemaMigrator.VersionTable}", connection);
            Assert.Equal((long)Migration.Latest, await count.ExecuteScalarAsync());
            Assert.All(opened, database => Assert.True(new PostgresGrowthStore(database).IsEmpty));
        }
        finally
        {
            foreach (var database in opened) database.Dispose();
        }
    }
}
