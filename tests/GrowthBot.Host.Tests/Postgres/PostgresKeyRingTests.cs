using GrowthBot.Host.Tests.Slack;
using GrowthBot.Storage.Postgres;
using GrowthBot.Tests.Postgres;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GrowthBot.Host.Tests.Postgres;

/// <summary>
/// On PostgreSQL the Data Protection key ring (which encrypts Slack installation tokens) lives in the
/// database: two hosts with no folder in common read each other's tokens, and a key ring that an
/// earlier version kept in the <c>Storage__Path.keys</c> folder is carried into the database.
/// </summary>
[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresKeyRingTests(PostgresServer server) : IAsyncLifetime
{
    private const string Purpose = "GrowthBot.Tests.KeyRing";
    private readonly TempStore _first = new();
    private readonly TempStore _second = new();
    private FakeSlackWebApi _slack = null!;
    private string _database = null!;

    public async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync();
        _slack = await FakeSlackWebApi.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        _first.Dispose();
        _second.Dispose();
    }

    [Fact]
    public async Task KeyRing_OnPostgres_IsInTheDatabase_SoATokenOneHostEncryptedIsReadByAnotherWithNoSharedFolder()
    {
        await using var first = Host(_first.DbPath);
        await using var second = Host(_second.DbPath);

        var token = Protector(first).Protect("xoxb-installed-on-host-one");

        Assert.Equal("xoxb-installed-on-host-one", Protector(second).Unprotect(token));
        Assert.True(await CountKeysAsync() >= 1);
        Assert.False(Directory.Exists(GrowthBot.Host.Hosting.DataProtectionKeys.Directory(_first.DbPath)));
        Assert.False(Directory.Exists(GrowthBot.Host.Hosting.DataProtectionKeys.Directory(_second.DbPath)));
    }

    [Fact]
    public async Task KeyRing_FolderAnEarlierVersionKept_IsCopiedIntoTheDatabaseAtStart_AndItsTokensStayReadable()
    {
        var folder = GrowthBot.Host.Hosting.DataProtectionKeys.Directory(_first.DbPath);
        var before = DataProtectionProvider.Create(new DirectoryInfo(folder), builder => builder.SetApplicationName("GrowthBot"));
        var token = before.CreateProtector(Purpose).Protect("xoxb-from-the-shared-folder");

        await using (var first = Host(_first.DbPath))
        {
            Assert.Equal("xoxb-from-the-shared-folder", Protector(first).Unprotect(token));
        }
        Assert.Equal(Directory.GetFiles(folder, "*.xml").Length, await CountKeysAsync());

        // Another host, which never saw the folder, reads the token from the database's key ring.
        await using var second = Host(_second.DbPath);
        Assert.Equal("xoxb-from-the-shared-folder", Protector(second).Unprotect(token));
    }

    [Fact]
    public async Task KeyRing_SecondStartWithTheFolderStillThere_CopiesNothingTwice()
    {
        var folder = GrowthBot.Host.Hosting.DataProtectionKeys.Directory(_first.DbPath);
        DataProtectionProvider.Create(new DirectoryInfo(folder), builder => builder.SetApplicationName("GrowthBot")).CreateProtector(Purpose).Protect("x");
        await using (var first = Host(_first.DbPath)) Protector(first).Protect("y");
        var stored = await CountKeysAsync();

        await using (var again = Host(_first.DbPath)) Protector(again).Protect("z");

        Assert.Equal(stored, await CountKeysAsync());
    }

    private SlackHostFactory Host(string storePath)
    {
        var host = new SlackHostFactory(_slack, storePath, handler: null, environment: "Development",
            settings: new Dictionary<string, string> { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = _database });
        host.CreateClient().Dispose();
        return host;
    }

    private static IDataProtector Protector(SlackHostFactory host) =>
        host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);

    private async Task<long> CountKeysAsync()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM data_protection_keys", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
