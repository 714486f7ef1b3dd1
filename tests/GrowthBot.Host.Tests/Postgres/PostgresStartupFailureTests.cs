using GrowthBot.Host.Tests.Hosting;
using GrowthBot.Tests.Postgres;
using Npgsql;

namespace GrowthBot.Host.Tests.Postgres;

/// <summary>What an operator sees when the PostgreSQL settings are wrong: one line, the documented exit code, no password.</summary>
[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresStartupFailureTests(PostgresServer server) : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Host_UnknownStorageProvider_ExitsWithBadSettings()
    {
        using var host = HostProcess.Start(_store.DbPath, "Production", new Dictionary<string, string> { ["Storage__Provider"] = "mongodb" }, "--urls", "http://127.0.0.1:0");

        Assert.Equal(5, host.WaitForExit(Limit));
        Assert.Contains("Storage__Provider must be 'litedb' (the default: one file) or 'postgres'; it is 'mongodb'.", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", host.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(_store.DbPath));
    }

    [Fact]
    public void Host_PostgresWithoutConnectionString_ExitsWithBadSettings()
    {
        using var host = HostProcess.Start(_store.DbPath, "Production", new Dictionary<string, string> { ["Storage__Provider"] = "postgres" }, "--urls", "http://127.0.0.1:0");

        Assert.Equal(5, host.WaitForExit(Limit));
        Assert.Contains("Storage__ConnectionString is required with Storage__Provider=postgres", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_FollowIntervalOutOfRange_ExitsWithBadSettings()
    {
        var database = await server.CreateDatabaseAsync();
        using var host = HostProcess.Start(_store.DbPath, "Production", new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["Storage__ConnectionString"] = database,
            ["Storage__FollowInterval"] = "00:05:00",
        }, "--urls", "http://127.0.0.1:0");

        Assert.Equal(5, host.WaitForExit(Limit));
        Assert.Contains("Storage__FollowInterval must be between 00:00:00.1 and 00:01:00.", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_WrongPassword_ExitsWithStoreUnreadable_WithoutThePassword()
    {
        var wrong = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Username = "nobody", Password = "hunter2-secret" }.ConnectionString;
        using var host = HostProcess.Start(_store.DbPath, "Production",
            new Dictionary<string, string> { ["Storage__Provider"] = "postgres", ["Storage__ConnectionString"] = wrong }, "--urls", "http://127.0.0.1:0");

        Assert.Equal(7, host.WaitForExit(Limit));
        Assert.Contains("GrowthBot cannot start: the PostgreSQL store cannot be opened", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_DatabaseMigratedByANewerGrowthBot_RefusesToStart()
    {
        var database = await server.CreateDatabaseAsync();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var newer = new NpgsqlCommand(
                "CREATE TABLE growthbot_schema_version (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()); " +
                "INSERT INTO growthbot_schema_version (version, name, checksum) VALUES (999, '0999_from_the_future', 'x')", connection);
            await newer.ExecuteNonQueryAsync();
        }

        using var host = HostProcess.Start(_store.DbPath, "Production",
            new Dictionary<string, string> { ["Storage__Provider"] = "postgres", ["Storage__ConnectionString"] = database }, "--urls", "http://127.0.0.1:0");

        Assert.Equal(7, host.WaitForExit(Limit));
        Assert.Contains("schema version 999, newer than this GrowthBot's", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", host.Output, StringComparison.Ordinal);
    }
}
