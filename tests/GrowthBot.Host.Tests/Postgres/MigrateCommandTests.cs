using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using GrowthBot.Host.Tests.Cli;
using GrowthBot.Storage.Postgres;
using GrowthBot.Tests.Postgres;
using Npgsql;

namespace GrowthBot.Host.Tests.Postgres;

/// <summary>
/// <c>growthbot migrate</c> against a real PostgreSQL server: a LiteDB store (the demo history plus
/// surveys, digests and API keys) is copied and checked; a filled target is refused; a copy that
/// differs is reported with exit code 9.
/// </summary>
[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class MigrateCommandTests(PostgresServer server) : IDisposable
{
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Migrate_DemoStore_CopiesEveryRow_AndTheChecksAgree()
    {
        FillLiteStore();
        var target = await server.CreateDatabaseAsync();

        var (code, output, error) = CliRunner.Run("migrate", "--from", _store.DbPath, "--to", target);

        Assert.True(code == 0, output + error);
        Assert.True(output.Contains("Checked: every kind has as many rows as in LiteDB, and MRR, Customer churn rate, Net Promoter Score agree on 3 periods.", StringComparison.OrdinalIgnoreCase), output);
        Assert.Contains("1 API keys", output, StringComparison.Ordinal);
        Assert.Contains("Copied", error, StringComparison.Ordinal);
        using (var lite = Storage.LiteGrowthStore.OpenExisting(new Storage.StorageOptions { Path = _store.DbPath }))
        {
            Assert.Equal(((Core.Ports.IGrowthStore)lite).CustomerIds().Count, await CountAsync(target, "customers"));
        }
        Assert.Equal(1, await CountAsync(target, "api_keys"));
        Assert.Equal(1, await CountAsync(target, "digest_targets"));
    }

    [Fact]
    public async Task Migrate_AlertsAndFollowUpCases_AreCopied_WithTheAnswersCountedOnACase()
    {
        FillLiteStore();
        var at = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        var alert = new Core.Alerts.Alert(
            new Core.Alerts.AlertRule("a1b2c3", Core.Metrics.MetricId.Nps, Core.Alerts.AlertCondition.Below, 30.5m, Core.Alerts.ChangeUnit.Points,
                Core.Metrics.Breakdown.None, null, Core.Conversations.ChatPlatform.Slack, "C0GROWTH", null, "U0ANA", "Ana", at),
            Core.Alerts.AlertState.Armed with { LastValue = 31.25m, LastCheckedAt = at });
        var opened = new Core.FollowUps.FollowUpCase(Core.FollowUps.FollowUpCase.IdFor("C-42", new DateOnly(2026, 11, 23)), "C-42", new DateOnly(2026, 11, 23),
            Core.Data.SurveyKind.Nps, 2, "Too slow", "r1", at, at, new Core.Conversations.ChatAddress(Core.Conversations.ChatPlatform.Slack, "C0SUCCESS", null));
        using (var store = new Storage.LiteGrowthStore(new Storage.StorageOptions { Path = _store.DbPath }))
        {
            new Storage.LiteAlertStore(store).Save(alert);
            var cases = new Storage.LiteFollowUpStore(store);
            cases.Open(opened);
            cases.Open(opened with { ResponseId = "r2" });
            cases.TryClaim(opened.Id, "U0BO", "Bo", at.AddHours(1));
        }
        var target = await server.CreateDatabaseAsync();

        var (code, output, error) = CliRunner.Run("migrate", "--from", _store.DbPath, "--to", target);

        Assert.True(code == 0, output + error);
        Assert.Contains("1 alerts, 1 follow-up cases", output, StringComparison.Ordinal);
        using var database = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = target });
        Assert.Equal(alert, new PostgresAlertStore(database).Find("a1b2c3"));
        var copied = new PostgresFollowUpStore(database);
        Assert.Equal(opened with { ClaimedBy = "U0BO", ClaimedByName = "Bo", ClaimedAt = at.AddHours(1), LaterAnswers = 1 }, copied.Find(opened.Id));
        // The answer already counted on the case in LiteDB is not counted again when it is replayed on PostgreSQL.
        Assert.Equal(1, copied.Open(opened with { ResponseId = "r2" }).Case.LaterAnswers);
    }

    [Fact]
    public async Task Migrate_IntoADatabaseWithData_IsRefused_UnlessToldToMerge()
    {
        FillLiteStore();
        var target = await server.CreateDatabaseAsync();
        Assert.Equal(0, CliRunner.Run("migrate", "--from", _store.DbPath, "--to", target).ExitCode);

        var (refused, _, error) = CliRunner.Run("migrate", "--from", _store.DbPath, "--to", target);
        var (merged, output, _) = CliRunner.Run("migrate", "--from", _store.DbPath, "--to", target, "--into-non-empty");

        Assert.Equal(1, refused);
        Assert.Contains("already holds growth data", error, StringComparison.Ordinal);
        Assert.Contains("--into-non-empty", error, StringComparison.Ordinal);
        Assert.Equal(0, merged);
        Assert.Contains("Checked:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_CopyThatLosesRows_ExitsNine_NamingWhatDiffers()
    {
        FillLiteStore();
        var target = await server.CreateDatabaseAsync();
        // A database that silently drops some customers' MRR history (a rule, as a misconfigured trigger would).
        using (new PostgresDatabase(new PostgresStorageOptions { ConnectionString = target }))
        {
        }
        await ExecuteAsync(target, "CREATE RULE drop_some_mrr AS ON INSERT TO subscription_changes WHERE right(NEW.customer_id, 1) IN ('1', '2', '3') DO INSTEAD NOTHING");

        var (code, _, error) = CliRunner.Run("migrate", "--from", _store.DbPath, "--to", target);

        Assert.Equal(9, code);
        Assert.Contains("The copy does not match the LiteDB store:", error, StringComparison.Ordinal);
        Assert.True(error.Contains("subscription_changes: ", StringComparison.Ordinal), error);
        Assert.True(error.Contains("MRR 20", StringComparison.Ordinal), error);
        Assert.DoesNotContain("customers: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Migrate_BadArguments_AreUsageErrors()
    {
        Assert.Equal(2, CliRunner.Run("migrate", "--from", _store.DbPath).ExitCode);
        Assert.Equal(2, CliRunner.Run("migrate", "--from", Path.Combine(_store.Folder, "missing.db"), "--to", "Host=127.0.0.1").ExitCode);
        FillLiteStore();
        var (code, _, error) = CliRunner.Run("migrate", "--from", _store.DbPath, "--to", "Hots=127.0.0.1;Password=hunter2");
        Assert.Equal(2, code);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    /// <summary>The demo history (about 60 customers), a target and an API key, written by the verbs a company uses.</summary>
    [Fact]
    public async Task Migrate_KeyRingBesideTheLiteStore_IsCopied_SoTheInstallationTokensStayReadable()
    {
        FillLiteStore();
        var folder = GrowthBot.Host.Hosting.DataProtectionKeys.Directory(_store.DbPath);
        var protector = DataProtectionProvider
            .Create(new DirectoryInfo(folder), builder => builder.SetApplicationName("GrowthBot")).CreateProtector("GrowthBot.Tests.Migrate");
        var token = protector.Protect("xoxb-installed-before-the-move");
        var target = await server.CreateDatabaseAsync();

        var (code, output, error) = CliRunner.Run("migrate", "--from", _store.DbPath, "--to", target);

        Assert.True(code == 0, output + error);
        var files = Directory.GetFiles(folder, "*.xml").Length;
        Assert.Contains($"{files} Data Protection key ring elements", output, StringComparison.Ordinal);
        using var database = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = target });
        Assert.Equal(files, new PostgresKeyRing(database).Count());
        // A host on the database alone (no folder) reads what the folder's keys protected.
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("GrowthBot");
        services.Configure<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(
            keys => keys.XmlRepository = new GrowthBot.Host.Hosting.DatabaseKeyRing(new PostgresKeyRing(database)));
        using var provider = services.BuildServiceProvider();
        var fromDatabase = provider.GetRequiredService<IDataProtectionProvider>();
        Assert.Equal("xoxb-installed-before-the-move", fromDatabase.CreateProtector("GrowthBot.Tests.Migrate").Unprotect(token));
    }

    private void FillLiteStore()
    {
        if (File.Exists(_store.DbPath)) return;
        Assert.Equal(0, CliRunner.Run("demo", "--db", _store.DbPath, "--customers", "60").ExitCode);
        Assert.Equal(0, CliRunner.Run("apikey", "create", "billing", "--db", _store.DbPath).ExitCode);
        using var store = new Storage.LiteGrowthStore(new Storage.StorageOptions { Path = _store.DbPath });
        new Storage.LiteDigestStore(store).SetTarget(Core.Metrics.MetricId.Nps, 40);
    }

    private static async Task<long> CountAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
