using GrowthBot.Core.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace GrowthBot.Storage.Postgres;

/// <summary>
/// The one <see cref="NpgsqlDataSource"/> every PostgreSQL port shares, opened with the schema migrated
/// (<see cref="SchemaMigrator"/>), and the store's health: a write that fails because the server cannot
/// be reached marks the store degraded until a probe or a write succeeds again.
/// </summary>
public sealed partial class PostgresDatabase : IStoreHealth, IDisposable
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _healthGate = new();
    private StoreHealthReport _health = StoreHealthReport.Ok;

    public PostgresDatabase(PostgresStorageOptions options, TimeProvider? time = null, ILogger<PostgresDatabase>? logger = null)
        : this(options, Migration.Embedded, time, logger)
    {
    }

    internal PostgresDatabase(PostgresStorageOptions options, IReadOnlyList<Migration> migrations, TimeProvider? time = null, ILogger<PostgresDatabase>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        Description = Describe(builder);
        DataSource = new NpgsqlDataSourceBuilder(options.ConnectionString).Build();
        try
        {
            LogOpening(Description);
            Applied = new SchemaMigrator(DataSource, migrations, _logger).Migrate();
        }
        catch
        {
            DataSource.Dispose();
            throw;
        }
    }

    /// <summary>Where the store is, for logs and health: host, port, database and user, never the password.</summary>
    public string Description { get; }

    /// <summary>The versions this start applied (empty when the schema was already current).</summary>
    public IReadOnlyList<int> Applied { get; }

    internal NpgsqlDataSource DataSource { get; }

    internal NpgsqlConnection Open()
    {
        try
        {
            return DataSource.OpenConnection();
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            throw Unavailable(exception);
        }
    }

    /// <summary>Runs <paramref name="work"/> on an open connection, translating an unreachable server into <see cref="StoreUnavailableException"/>.</summary>
    internal T Run<T>(Func<NpgsqlConnection, T> work)
    {
        using var connection = Open();
        try
        {
            var result = work(connection);
            Recovered();
            return result;
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            throw Unavailable(exception);
        }
    }

    internal void Run(Action<NpgsqlConnection> work) => Run(connection =>
    {
        work(connection);
        return true;
    });

    /// <summary>Runs <paramref name="work"/> in one transaction (committed when it returns, rolled back when it throws).</summary>
    internal T InTransaction<T>(Func<NpgsqlConnection, NpgsqlTransaction, T> work, System.Data.IsolationLevel isolation = System.Data.IsolationLevel.ReadCommitted) => Run(connection =>
    {
        using var transaction = connection.BeginTransaction(isolation);
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    });

    /// <summary>How many times <see cref="InTransactionRetryingConflicts{T}"/> runs work PostgreSQL keeps aborting as a conflict.</summary>
    internal const int ConflictAttempts = 5;

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction as <see cref="InTransaction{T}"/> does, and again in a fresh one
    /// when PostgreSQL aborts it as a deadlock (40P01) or a serialization failure (40001): two hosts committing
    /// overlapping batches at once make one of them the victim, and the victim's batch is as good as before, so it
    /// is not failed but run again (up to <see cref="ConflictAttempts"/> times in all, a few jittered milliseconds
    /// apart, doubling, so the two do not collide again in step). Only for work that does nothing but its
    /// statements: it is run again from the start.
    /// </summary>
    internal T InTransactionRetryingConflicts<T>(Func<NpgsqlConnection, NpgsqlTransaction, T> work, string what)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return InTransaction(work);
            }
            catch (PostgresException conflict) when (IsConflict(conflict) && attempt < ConflictAttempts)
            {
                var wait = TimeSpan.FromMilliseconds(10 * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble()));
                LogConflictRetry(what, conflict.SqlState, attempt, ConflictAttempts, wait.TotalMilliseconds);
                // A real pause, not the injected clock's: it only spaces two database sessions apart, and a test's frozen clock would never end it.
                Thread.Sleep(wait);
            }
        }
    }

    /// <summary>PostgreSQL aborted the transaction to break a conflict with another: trying it again can succeed.</summary>
    internal static bool IsConflict(PostgresException exception) =>
        exception.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    /// <inheritdoc />
    public StoreHealthReport Current
    {
        get
        {
            lock (_healthGate) return _health;
        }
    }

    /// <inheritdoc />
    public bool Probe()
    {
        if (Current.Writable) return true;
        try
        {
            using var connection = DataSource.OpenConnection();
            using var command = new NpgsqlCommand("INSERT INTO store_meta (key, value) VALUES ('write-probe', 1) ON CONFLICT (key) DO UPDATE SET value = store_meta.value + 1", connection);
            command.ExecuteNonQuery();
            Recovered();
            return true;
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            return false;
        }
    }

    public void Dispose() => DataSource.Dispose();

    private StoreUnavailableException Unavailable(Exception exception)
    {
        var problem = $"PostgreSQL at {Description} is unreachable: {exception.Message}";
        lock (_healthGate)
        {
            if (_health.Writable)
            {
                _health = new StoreHealthReport(false, problem, _time.GetUtcNow());
                LogFailing(Description, exception.Message);
            }
        }
        return new StoreUnavailableException(problem, exception);
    }

    private void Recovered()
    {
        lock (_healthGate)
        {
            if (_health.Writable) return;
            _health = StoreHealthReport.Ok;
            LogRecovered(Description);
        }
    }

    /// <summary>The server went away or cannot be reached (not a bad statement or a constraint).</summary>
    private static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
            || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) // operator intervention (shutdown)
            || postgres.SqlState == "53100" || postgres.SqlState == "53300", // disk full, too many connections
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException,
        _ => false,
    };

    internal static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username} as {builder.Username ?? "(default user)"}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Store: PostgreSQL {Database}")]
    private partial void LogOpening(string database);

    [LoggerMessage(Level = LogLevel.Error, Message = "The PostgreSQL store {Database} cannot be reached ({Problem}); writes fail until it can")]
    private partial void LogFailing(string database, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL aborted {Work} to break a conflict with another session ({SqlState}); trying again (attempt {Attempt} of {Attempts}) in {WaitMs:F0} ms")]
    private partial void LogConflictRetry(string work, string sqlState, int attempt, int attempts, double waitMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "The PostgreSQL store {Database} is reachable again")]
    private partial void LogRecovered(string database);
}
