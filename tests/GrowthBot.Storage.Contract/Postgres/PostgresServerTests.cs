using GrowthBot.Tests.Postgres;
using GrowthBot.Storage.Contract.Support;
using Npgsql;

namespace GrowthBot.Storage.Contract.Postgres;

/// <summary>The fixture itself: a real server, fresh databases, loopback only.</summary>
[Trait("Category", "Postgres")]
[Collection(PostgresServerGroup.Name)]
public sealed class PostgresServerTests(PostgresServer server)
{
    [Fact]
    public async Task CreateDatabaseAsync_FreshDatabase_AcceptsQueriesOnLoopback()
    {
        var connectionString = await server.CreateDatabaseAsync();

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_database(), inet_server_addr()::text, (SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.StartsWith("test_", reader.GetString(0), StringComparison.Ordinal);
        Assert.Equal("127.0.0.1/32", reader.GetString(1));
        Assert.Equal(0L, reader.GetInt64(2));
    }

    [Fact]
    public async Task ConnectionString_GrowthbotDatabase_IsReady()
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal("growthbot", connection.Database);
        Assert.NotEqual(0, server.Port);
    }
}
