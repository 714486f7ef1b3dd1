using System.Net;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Host.Cli;
using GrowthBot.Host.Tests.Api;
using GrowthBot.Storage;
using Microsoft.Extensions.Configuration;

namespace GrowthBot.Host.Tests.Operations;

/// <summary>
/// <c>growthbot backup FILE</c>: an online backup through the running host (while it keeps
/// writing), or a direct copy when no host runs; restoring it gives a store that opens with the data.
/// </summary>
public sealed class BackupCommandTests : IDisposable
{
    private readonly TempStore _elsewhere = new();

    public void Dispose() => _elsewhere.Dispose();

    [Fact]
    public async Task Backup_WhileTheHostRunsAndWrites_IsAConsistentCopyThatRestores()
    {
        using var host = new ApiHost();
        host.StoreCustomers([.. Enumerable.Range(0, 2_000).Select(i => $"c{i}")]);
        using var writing = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(() =>
        {
            // Imports keep arriving while the backup runs.
            while (!writing.IsCancellationRequested) host.StoreCustomers($"late-{Interlocked.Increment(ref written)}");
        });
        var backup = Path.Combine(_elsewhere.Folder, "backup.db");

        var (code, output, error) = Run(host, ["backup", backup, "--db", host.Store.DbPath]);
        await writing.CancelAsync();
        await writer;

        Assert.True(code == 0, error);
        Assert.Contains("A GrowthBot host holds", error, StringComparison.Ordinal);
        Assert.Contains($"to {backup}", output, StringComparison.Ordinal);
        Assert.False(File.Exists(backup + ".partial"));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));

        // Restore: the backup becomes a store of its own, which opens and holds the data.
        var restored = Restore(backup);
        using var store = LiteGrowthStore.OpenExisting(new StorageOptions { Path = restored });
        var ids = store.CustomerIds();
        Assert.True(Enumerable.Range(0, 2_000).All(i => ids.Contains($"c{i}")));
        // Each late import is wholly in the backup or not at all, and those in it are the first ones.
        var late = ids.Where(id => id.StartsWith("late-", StringComparison.Ordinal)).Select(id => int.Parse(id[5..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Enumerable.Range(1, late.Count), late);
        Assert.True(store.Generation > 0);
    }

    [Fact]
    public void Backup_NoHostRunning_CopiesTheStoreItself_WithItsKeys()
    {
        var source = Path.Combine(_elsewhere.Folder, "live.db");
        using (var store = new LiteGrowthStore(new StorageOptions { Path = source }))
        {
            var batch = new GrowthDataBatch();
            batch.Customers.Add(new Customer("acme", "Acme", "SMB", "ads", new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), null));
            store.Write(batch);
        }
        var keys = Directory.CreateDirectory(source + ".keys");
        File.WriteAllText(Path.Combine(keys.FullName, "key-1.xml"), "<key/>");
        var backup = Path.Combine(_elsewhere.Folder, "copy.db");

        var (code, output, error) = Run(null, ["backup", backup, "--db", source]);

        Assert.True(code == 0, error);
        Assert.Contains("(", output, StringComparison.Ordinal);
        Assert.Equal("<key/>", File.ReadAllText(Path.Combine(backup + ".keys", "key-1.xml")));
        using var restored = LiteGrowthStore.OpenExisting(new StorageOptions { Path = Restore(backup) });
        Assert.Contains("acme", restored.CustomerIds());
    }

    [Fact]
    public void Backup_TargetExists_IsRefusedAndLeftAlone()
    {
        var backup = _elsewhere.WriteFile("taken.db", "keep me");

        var (code, _, error) = Run(null, ["backup", backup, "--db", Path.Combine(_elsewhere.Folder, "live.db")]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("already exists", error, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(backup));
    }

    [Fact]
    public void Backup_NoStoreAtAll_SaysSoAndWritesNothing()
    {
        var backup = Path.Combine(_elsewhere.Folder, "none.db");

        var (code, _, error) = Run(null, ["backup", backup, "--db", Path.Combine(_elsewhere.Folder, "missing.db")]);

        Assert.Equal(ExitCodes.StoreUnreadable, code);
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.False(File.Exists(backup));
    }

    [Fact]
    public async Task BackupEndpoint_WithoutTheAdminCredential_IsRefused()
    {
        using var host = new ApiHost();
        using var anonymous = host.Client();
        using var ingest = host.Client(host.Key("loader"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(new Uri("internal/backup", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.PostAsync(new Uri("internal/backup", UriKind.Relative), null)).StatusCode);
    }

    /// <summary>Restoring as docs/production.md says: the backup copied into place as the store's file (here a new folder).</summary>
    private string Restore(string backup)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_elsewhere.Folder, "restored-" + Path.GetFileNameWithoutExtension(backup)));
        var target = Path.Combine(folder.FullName, "growthbot.db");
        File.Copy(backup, target);
        return target;
    }

    private static (int Code, string Output, string Error) Run(ApiHost? host, string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, TimeProvider.System, new ConfigurationBuilder().Build())
        {
            HttpClientFactory = host is null
                ? baseAddress => new HttpClient { BaseAddress = baseAddress }
                : baseAddress => new HttpClient(host.Factory.Server.CreateHandler(http => http.Connection.RemoteIpAddress = IPAddress.Loopback)) { BaseAddress = baseAddress },
        };
        return (GrowthBotCli.Run(args, context), output.ToString(), error.ToString());
    }
}
