using GrowthBot.Core.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace GrowthBot.Storage.Postgres;

/// <summary>
/// Keeps this host's metric engine following the writes other hosts (or any other process) commit to
/// the shared database. Each write records what it changed under its generation and NOTIFYs it
/// (<see cref="GrowthChangeLog"/>); this LISTENs on a connection of its own, and on each notice applies the
/// writes after the last generation it knows to the engine, through the engine's incremental apply. A poll
/// every <see cref="PostgresStorageOptions.FollowInterval"/> catches up whatever a lost notice (a dropped
/// connection, reconnected with back-off) would have missed. This host's own writes are applied by their
/// writer and only skipped here (<see cref="PostgresGrowthStore.Write(Core.Data.GrowthDataBatch, IProgress{int}, Core.Ports.StoreChanges)"/>).
/// </summary>
public sealed partial class PostgresGrowthFollower : IDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    /// <summary>Writes read per round trip while catching up.</summary>
    private const int WritesPerRead = 100;

    private readonly PostgresDatabase _database;
    private readonly PostgresGrowthStore _store;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly NpgsqlDataSource _listenSource;
    private readonly TaskCompletionSource _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IMetricEngine? _engine;
    private long _position;
    // Set when writes after _position are gone from the log: the next catch-up reloads the engine (under Gate).
    private bool _reloadOwed;
    private volatile int _listenerProcessId;

    public PostgresGrowthFollower(PostgresDatabase database, PostgresGrowthStore store, PostgresStorageOptions options, TimeProvider? time = null,
        ILogger<PostgresGrowthFollower>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = database ?? throw new ArgumentNullException(nameof(database));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _interval = options.FollowInterval;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        // Its own unpooled connection: a dropped one is never handed back, and keepalives notice a silent drop.
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        builder.ConnectionStringBuilder.Pooling = false;
        builder.ConnectionStringBuilder.KeepAlive = 10;
        builder.ConnectionStringBuilder.ApplicationName = "growthbot follow";
        _listenSource = builder.Build();
    }

    /// <summary>The lock the engine's writes take turns under (the import's), held while applying here.</summary>
    internal Lock Gate { get; private set; } = new();

    /// <summary>The newest generation this host's engine holds.</summary>
    public long Position
    {
        get
        {
            lock (Gate) return _position;
        }
    }

    /// <summary>Whether the listening connection is up (false while reconnecting: the poll alone follows then).</summary>
    public bool Listening => _listenerProcessId != 0;

    /// <summary>The server process of the listening connection (0 while down), so tests can cut it off.</summary>
    internal int ListenerProcessId => _listenerProcessId;

    /// <summary>
    /// Starts following for <paramref name="engine"/>, which was just loaded from the store: from the generation
    /// that load saw. <paramref name="gate"/> is the lock its own writes are applied under.
    /// </summary>
    public void Attach(IMetricEngine engine, Lock gate)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var loaded = _store.LastReadGeneration
            ?? throw new InvalidOperationException("The engine must be loaded from the store before it follows it.");
        var turn = gate ?? throw new ArgumentNullException(nameof(gate));
        lock (turn)
        {
            Gate = turn;
            _engine = engine;
            _position = loaded;
            _store.Follower = this;
        }
        _attached.TrySetResult();
    }

    /// <summary>
    /// Applies every write committed after <see cref="Position"/>; returns how many writes were applied (a reload
    /// counts as one). A host whose next writes are no longer in the change log (pruned after
    /// <see cref="GrowthChangeLog.Retention"/> while it was cut off) cannot apply them one by one: it reloads its
    /// engine from the store instead, then goes on from the generation that read saw.
    /// </summary>
    public int CatchUp()
    {
        if (_engine is null) return 0;
        var applied = 0;
        lock (Gate)
        {
            while (true)
            {
                if (_reloadOwed)
                {
                    Reload();
                    applied++;
                }
                var writes = _database.Run(connection => GrowthChangeLog.ReadAfter(connection, _position, WritesPerRead));
                if (writes.Count > 0)
                {
                    applied += Apply(writes);
                    continue;
                }
                // Nothing logged after this host's position: it is current, unless every write after it was pruned.
                if (_reloadOwed || _database.Run(connection => GrowthChangeLog.Missed(connection, _position)) is not { } missed) break;
                LogMissedWrites(missed.From, missed.To);
                _reloadOwed = true;
            }
        }
        return applied;
    }

    /// <summary>Listens and polls until <paramref name="stoppingToken"/> fires (after <see cref="Attach"/>).</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        await _attached.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        LogFollowing(_interval.TotalMilliseconds, Position);
        await Task.WhenAll(ListenAsync(stoppingToken), PollAsync(stoppingToken)).ConfigureAwait(false);
    }

    public void Dispose() => _listenSource.Dispose();

    /// <summary>Inside a write of this host, after it took the write lock: the other writes it must follow first.</summary>
    internal List<LoggedWrite> Behind(NpgsqlConnection connection) => GrowthChangeLog.ReadAfter(connection, _position, int.MaxValue);

    /// <summary>
    /// A write of this host committed (at <paramref name="generation"/>, null when it changed nothing): the writes
    /// before it are applied now, and its own is left to its writer.
    /// </summary>
    internal void OwnWriteCommitted(List<LoggedWrite> before, long? generation)
    {
        lock (Gate)
        {
            Apply(before);
            if (generation is { } own && own > _position) _position = own;
        }
    }

    private int Apply(List<LoggedWrite> writes)
    {
        var applied = 0;
        foreach (var write in writes)
        {
            if (_reloadOwed) break;
            if (write.Generation <= _position) continue;
            if (write.Generation > _position + 1)
            {
                // Entries are pruned after a day: a host this far behind cannot be brought current row by row.
                // It reloads at its next catch-up (at once when catching up, within an interval after its own write).
                LogMissedWrites(_position + 1, write.Generation - 1);
                _reloadOwed = true;
                break;
            }
            _engine!.Apply(write.Changed, write.Replaced);
            _position = write.Generation;
            applied++;
        }
        if (applied > 0) LogApplied(applied, _position);
        return applied;
    }

    /// <summary>Reads the whole store into the engine again, and follows on from the generation that read saw (under <see cref="Gate"/>).</summary>
    private void Reload()
    {
        var from = _position;
        var started = _time.GetTimestamp();
        _engine!.Reload(_store);
        _position = _store.LastReadGeneration ?? throw new InvalidOperationException("The store's read did not say which generation it saw.");
        _reloadOwed = false;
        LogReloaded(from, _position, _time.GetElapsedTime(started).TotalSeconds);
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_interval, _time, stoppingToken).ConfigureAwait(false);
                CatchUp();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Following must outlive any one failed round (a server gone, an entry it cannot read): it logs and tries again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogPollFailed(exception.GetType().Name, exception.Message);
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var connection = await _listenSource.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    using (var listen = new NpgsqlCommand($"LISTEN {GrowthChangeLog.Channel}", connection))
                    {
                        await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                    }
                    _listenerProcessId = connection.ProcessID;
                    retry = FirstRetry;
                    LogListening(connection.ProcessID);
                    // Whatever committed while no one was listening.
                    CatchUp();
                    while (true)
                    {
                        // Returns once a notice arrived; which generation it names does not matter: all after ours are read.
                        await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
                        CatchUp();
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // As above: a dropped connection or a failed catch-up is retried after a back-off, never the end of following.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                _listenerProcessId = 0;
                LogListenFailed(retry.TotalSeconds, exception.GetType().Name, exception.Message);
                try
                {
                    await Task.Delay(retry, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                retry = retry * 2 > LastRetry ? LastRetry : retry * 2;
            }
            finally
            {
                if (stoppingToken.IsCancellationRequested) _listenerProcessId = 0;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Following other hosts' writes from generation {Generation}: notified, and checked every {IntervalMs} ms")]
    private partial void LogFollowing(double intervalMs, long generation);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Listening for other hosts' writes (server process {ProcessId})")]
    private partial void LogListening(int processId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Applied {Writes} write(s) of other hosts, now at generation {Generation}")]
    private partial void LogApplied(int writes, long generation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The connection listening for other hosts' writes failed ({ErrorType}: {Error}); reconnecting in {Seconds} s, checking every interval meanwhile")]
    private partial void LogListenFailed(double seconds, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking for other hosts' writes failed ({ErrorType}: {Error}); trying again next interval")]
    private partial void LogPollFailed(string errorType, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writes {From}..{To} of other hosts are no longer in the change log (kept a day): reloading this host's engine from the store")]
    private partial void LogMissedWrites(long from, long to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reloaded this host's engine from the store after missing writes: from generation {From} to {Generation} in {Seconds:F1} s")]
    private partial void LogReloaded(long from, long generation, double seconds);
}
