using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GrowthBot.Tests.Postgres;

/// <summary>
/// A real PostgreSQL server from Debian's packages, started for a test class or collection in a fresh
/// temporary data directory, on 127.0.0.1 and a free port, with its socket in that directory (never
/// /var/run). Databases are cheap: each test can ask for its own with <see cref="CreateDatabaseAsync"/>.
/// Disposing stops the server (pg_ctl stop -m fast) and deletes the directory. A run killed before it
/// could dispose leaves its server behind; the next start stops it (<see cref="StopOrphansAsync"/>).
/// </summary>
/// <remarks>
/// initdb and postgres refuse to run as root, and tests run as root here and in CI, so as root the
/// server runs as the <c>postgres</c> system user (runuser) with the directory handed to it.
/// A missing PostgreSQL fails the test with a line saying what to install: tests never skip it.
/// Link it into a test project with
/// <c>&lt;Compile Include="../Shared/PostgresServer.cs" Link="Shared/PostgresServer.cs" /&gt;</c>
/// (the project needs the Npgsql package). Without xunit (a bench), define NO_XUNIT and call
/// <see cref="StartAsync"/> and <see cref="DisposeAsync"/> yourself.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
#if !NO_XUNIT
    , Xunit.IAsyncLifetime
#endif
{
    private const string SystemUser = "postgres";
    private const string DirectoryPrefix = "growthbot-pg-";

    /// <summary>The file in the server's folder naming the test process that started it.</summary>
    internal const string OwnerFile = "owner";
    private const string Superuser = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private string? _directory;
    private string? _binDirectory;
    private bool _asSystemUser;
    private int _databases;

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The PostgreSQL major version directory used (e.g. 15).</summary>
    public string Version { get; private set; } = "";

    /// <summary>A connection string for the <c>growthbot</c> database the fixture creates at start.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>A connection string for the <c>postgres</c> maintenance database, as the superuser.</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    /// <summary>Starts a server: the xunit fixture entry point.</summary>
    public async Task InitializeAsync() => await StartAsync().ConfigureAwait(false);

    /// <summary>Starts a server outside xunit (benches): the same as the fixture's start.</summary>
    public static async Task<PostgresServer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var server = new PostgresServer();
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs initdb in a fresh temporary directory, starts postgres on a free loopback port, waits until
    /// it accepts connections and creates the <c>growthbot</c> database.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        (_binDirectory, Version) = FindBinaries();
        _asSystemUser = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
        await StopOrphansAsync(cancellationToken).ConfigureAwait(false);
        _directory = Directory.CreateTempSubdirectory(DirectoryPrefix).FullName;
        await File.WriteAllTextAsync(Path.Combine(_directory, OwnerFile), CurrentOwner(), cancellationToken).ConfigureAwait(false);
        if (_asSystemUser) await RunAsync("chown", [$"{SystemUser}:", _directory], cancellationToken).ConfigureAwait(false);

        var data = Path.Combine(_directory, "data");
        await RunAsServerAsync("initdb", ["-D", data, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], cancellationToken).ConfigureAwait(false);

        // The port is free when asked, but another process may take it before postgres binds it: retry.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            var options = string.Join(' ',
                "-c listen_addresses=127.0.0.1", $"-p {Port}", $"-k {_directory}",
                // A test server: durability off (the directory is thrown away), and enough connections
                // for several hosts' pools at once.
                "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_connections=300",
                "-c shared_buffers=32MB");
            try
            {
                await RunAsServerAsync("pg_ctl", ["-D", data, "-l", Path.Combine(_directory, "server.log"), "-o", options, "-w", "-t", ((int)StartTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "start"], cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (InvalidOperationException) when (attempt < 3 && ServerLog().Contains("could not bind", StringComparison.Ordinal))
            {
            }
        }

        await WaitUntilAcceptingAsync(cancellationToken).ConfigureAwait(false);
        ConnectionString = await CreateDatabaseAsync("growthbot", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a fresh empty database (a fresh name unless one is given) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        name ??= $"test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return ConnectionStringFor(name);
    }

    /// <summary>A connection string for the named database on this server, as the superuser.</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Database = database,
        MaxPoolSize = 20,
        Timeout = 15,
    }.ConnectionString;

    /// <summary>The server's log so far (for failure messages).</summary>
    public string ServerLog()
    {
        var path = _directory is null ? null : Path.Combine(_directory, "server.log");
        try
        {
            return path is not null && File.Exists(path) ? File.ReadAllText(path) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Stops the server (fast shutdown: open sessions are ended) and deletes its directory.</summary>
    public async Task DisposeAsync()
    {
        if (_directory is null) return;
        NpgsqlConnection.ClearAllPools();
        var data = Path.Combine(_directory, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            try
            {
                await RunAsServerAsync("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "30", "stop"], CancellationToken.None).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Already stopped (a test may stop it to exercise failures): the directory still goes.
            }
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        _directory = null;
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync().ConfigureAwait(false);

    /// <summary>
    /// Stops and deletes the servers of test runs that were killed from outside (their dispose never ran,
    /// so their postgres kept running from its temporary folder). A folder is an orphan when the process
    /// named in its owner file is gone, or is another process that reused the id.
    /// </summary>
    internal async Task<int> StopOrphansAsync(CancellationToken cancellationToken = default)
    {
        var stopped = 0;
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            string owner;
            try
            {
                owner = await File.ReadAllTextAsync(Path.Combine(folder, OwnerFile), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                continue; // Being set up by another run right now, or not ours to judge.
            }
            if (IsAlive(owner)) continue;
            var data = Path.Combine(folder, "data");
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                try
                {
                    await RunAsServerAsync("pg_ctl", ["-D", data, "-m", "immediate", "-w", "-t", "30", "stop"], cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidOperationException)
                {
                    // Its postgres had died too: only the folder is left.
                }
            }
            try
            {
                Directory.Delete(folder, recursive: true);
                stopped++;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
            }
        }
        return stopped;
    }

    /// <summary>This test process as an owner file records it: its id and its start time, so a reused id is not mistaken for it.</summary>
    private static string CurrentOwner()
    {
        using var self = Process.GetCurrentProcess();
        return $"{self.Id} {self.StartTime.ToUniversalTime().Ticks}";
    }

    private static bool IsAlive(string owner)
    {
        var parts = owner.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], out var id) || !long.TryParse(parts[1], out var started)) return false;
        try
        {
            using var process = Process.GetProcessById(id);
            return Math.Abs(process.StartTime.ToUniversalTime().Ticks - started) < TimeSpan.TicksPerSecond;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static (string Bin, string Version) FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var found = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(directory => (Bin: Path.Combine(directory, "bin"), Version: Path.GetFileName(directory)))
                .Where(candidate => File.Exists(Path.Combine(candidate.Bin, "initdb")) && File.Exists(Path.Combine(candidate.Bin, "pg_ctl")))
                .OrderByDescending(candidate => int.TryParse(candidate.Version, out var major) ? major : 0)
                .FirstOrDefault()
            : default;
        if (found.Bin is null)
        {
            throw new InvalidOperationException(
                "PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/initdb): these tests need a real server. " +
                "Install Debian's package: apt-get install postgresql (.ci/run installs it in CI).");
        }

        return found;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilAcceptingAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < StartTimeout)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException exception)
            {
                throw new InvalidOperationException($"PostgreSQL on 127.0.0.1:{Port} did not accept connections within {StartTimeout.TotalSeconds} s. Its log:\n{ServerLog()}", exception);
            }
        }
    }

    private Task RunAsServerAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_binDirectory!, tool);
        return _asSystemUser
            ? RunAsync("runuser", ["-u", SystemUser, "--", path, .. arguments], cancellationToken)
            : RunAsync(path, arguments, cancellationToken);
    }

    private async Task RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["LC_ALL"] = "C";
        // The database server keeps the real clock when the tests run under Debian's faketime
        // (scripts/test-at-dates.sh): those runs check our code's clock, and PostgreSQL's own timers
        // (the deadlock check after deadlock_timeout) do not fire under the preloaded library.
        foreach (var faked in new[] { "LD_PRELOAD", "FAKETIME", "FAKETIME_DONT_FAKE_MONOTONIC", "FAKETIME_NO_CACHE" }) start.Environment.Remove(faked);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}\n{ServerLog()}");
        }
    }
}
