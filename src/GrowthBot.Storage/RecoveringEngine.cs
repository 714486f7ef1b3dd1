using GrowthBot.Core.Ports;
using LiteDB;
using LiteDB.Engine;

namespace GrowthBot.Storage;

/// <summary>
/// LiteDB's engine behind one stable <see cref="ILiteEngine"/>, replaced by a freshly opened one when
/// a write fails for a storage reason (disk full, I/O error). LiteDB 5 does not recover from such a
/// failure by itself: the failed commit's rollback fails too and leaves the collection's lock held by
/// the failed thread (every later writer waits LiteDB's 60 s lock timeout), and writes that seem to
/// succeed afterwards may never reach the file. Opening the file again replays only the committed
/// transactions from LiteDB's log, so everything acknowledged is kept and the half-written
/// transaction is dropped; the new engine has no stale locks.
/// </summary>
/// <remarks>
/// The old engine is closed on the failing thread, the one that holds its locks, before the new
/// one opens the file, so the file is never open twice. A transaction begun on an engine that has
/// since been replaced cannot go on (its earlier writes are gone): every further call in it throws
/// <see cref="StoreUnavailableException"/> until the caller rolls it back.
/// The collections and <see cref="LiteDatabase"/> built on this engine stay valid throughout.
/// </remarks>
internal sealed class RecoveringEngine : ILiteEngine, IStoreHealth
{
    /// <summary>The engine each thread's explicit transaction was begun on (LiteDB transactions belong to a thread).</summary>
    [ThreadStatic]
    private static Dictionary<RecoveringEngine, LiteEngine>? t_transactions;

    private readonly Func<LiteEngine> _open;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Action<RecoveringEngine> _probe;
    private LiteEngine? _engine;
    private StoreHealthReport _health = StoreHealthReport.Ok;
    private bool _disposed;

    /// <param name="open">Opens the file (throws as LiteDB does when it cannot).</param>
    /// <param name="probe">One small durable write through this engine, for <see cref="Probe"/>.</param>
    /// <param name="time">When a failure began, for the health report.</param>
    public RecoveringEngine(Func<LiteEngine> open, TimeProvider time, Action<RecoveringEngine> probe)
    {
        _open = open;
        _time = time;
        _probe = probe;
        _engine = open();
    }

    /// <summary>How many times the file was opened again after a failure (for tests and the health report).</summary>
    public int Reopened { get; private set; }

    public StoreHealthReport Current => Volatile.Read(ref _health);

    public bool Probe()
    {
        if (Current.Writable) return true;
        try
        {
            _probe(this);
            return true;
        }
        catch (StoreUnavailableException)
        {
            return false;
        }
    }

    public int Checkpoint() => Run(engine => engine.Checkpoint(), write: true);

    public long Rebuild(RebuildOptions options) => Run(engine => engine.Rebuild(options), write: true);

    public bool BeginTrans()
    {
        var transactions = t_transactions ??= [];
        if (transactions.TryGetValue(this, out var begunOn) && begunOn != _engine) throw Abandoned();
        return Run(
            engine =>
            {
                var began = engine.BeginTrans();
                if (began) transactions[this] = engine;
                return began;
            },
            write: false);
    }

    public bool Commit()
    {
        // No longer this thread's open transaction, whatever the outcome: committed, abandoned, or failed (and rolled back with its engine).
        if (t_transactions is { } transactions && transactions.Remove(this, out var begunOn) && begunOn != Volatile.Read(ref _engine)) throw Abandoned();
        return Run(engine => engine.Commit(), write: true);
    }

    public bool Rollback()
    {
        // A transaction whose engine was replaced is already gone with it: nothing to roll back.
        if (t_transactions is { } transactions && transactions.Remove(this, out var begunOn) && begunOn != Volatile.Read(ref _engine)) return true;
        return Run(engine => engine.Rollback(), write: false);
    }

    public IBsonDataReader Query(string collection, Query query) => Run(engine => engine.Query(collection, query), write: false);

    public int Insert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Run(engine => engine.Insert(collection, docs, autoId), write: true);

    public int Update(string collection, IEnumerable<BsonDocument> docs) => Run(engine => engine.Update(collection, docs), write: true);

    public int UpdateMany(string collection, BsonExpression transform, BsonExpression predicate) => Run(engine => engine.UpdateMany(collection, transform, predicate), write: true);

    public int Upsert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Run(engine => engine.Upsert(collection, docs, autoId), write: true);

    public int Delete(string collection, IEnumerable<BsonValue> ids) => Run(engine => engine.Delete(collection, ids), write: true);

    public int DeleteMany(string collection, BsonExpression predicate) => Run(engine => engine.DeleteMany(collection, predicate), write: true);

    public bool DropCollection(string name) => Run(engine => engine.DropCollection(name), write: true);

    public bool RenameCollection(string name, string newName) => Run(engine => engine.RenameCollection(name, newName), write: true);

    public bool EnsureIndex(string collection, string name, BsonExpression expression, bool unique) => Run(engine => engine.EnsureIndex(collection, name, expression, unique), write: true);

    public bool DropIndex(string collection, string name) => Run(engine => engine.DropIndex(collection, name), write: true);

    public BsonValue Pragma(string name) => Run(engine => engine.Pragma(name), write: false);

    public bool Pragma(string name, BsonValue value) => Run(engine => engine.Pragma(name, value), write: true);

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            try
            {
                // Closing checkpoints LiteDB's log into the file; on a full disk that fails, and the log is replayed at the next open instead.
                _engine?.Dispose();
            }
            catch (Exception exception) when (IsStorageFailure(exception))
            {
                Failed(exception);
            }
            _engine = null;
        }
    }

    private T Run<T>(Func<LiteEngine, T> call, bool write)
    {
        var engine = CurrentEngine();
        if (t_transactions is { } transactions && transactions.TryGetValue(this, out var begunOn) && begunOn != engine) throw Abandoned();
        try
        {
            var result = call(engine);
            // Durable once it is committed: by Commit, or by the call's own transaction outside an explicit one.
            if (write && !Current.Writable && !InTransaction()) Recovered();
            return result;
        }
        catch (Exception exception) when (IsStorageFailure(exception))
        {
            Replace(engine, exception);
            throw new StoreUnavailableException(Current.Problem ?? exception.Message, exception);
        }
    }

    private bool InTransaction() => t_transactions is { } transactions && transactions.ContainsKey(this);

    /// <summary>The open engine, opening the file again if the last attempt after a failure could not.</summary>
    private LiteEngine CurrentEngine()
    {
        var engine = Volatile.Read(ref _engine);
        if (engine is not null) return engine;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_engine is not null) return _engine;
            try
            {
                _engine = _open();
                Reopened++;
                return _engine;
            }
            catch (Exception exception) when (IsStorageFailure(exception))
            {
                Failed(exception);
                throw new StoreUnavailableException(Current.Problem!, exception);
            }
        }
    }

    /// <summary>Closes the engine a storage failure came from (on this thread, which holds its locks) and opens the file again.</summary>
    private void Replace(LiteEngine failed, Exception exception)
    {
        lock (_gate)
        {
            Failed(exception);
            t_transactions?.Remove(this);
            if (_disposed || _engine != failed) return;
            _engine = null;
            AbandonTransactions(failed);
            try
            {
                failed.Dispose();
            }
#pragma warning disable CA1031 // Closing what failed may fail the same way; its file handles are released either way, and the log replays only committed work.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
            try
            {
                _engine = _open();
                Reopened++;
            }
            catch (Exception reopen) when (IsStorageFailure(reopen))
            {
                // Opened again on the next call.
            }
        }
    }

    /// <summary>
    /// LiteDB's transactions roll back in their finalizer; one whose pages failed to write throws
    /// there ("discarded page must be writable") and would crash the process once the engine is
    /// gone. Its work is dropped with the engine anyway, so its finalizer must not run.
    /// </summary>
    /// <returns>How many transactions were abandoned; -1 when LiteDB's private fields are not where
    /// this looks (a LiteDB upgrade: a test pins the version this was written against).</returns>
    internal static int AbandonTransactions(LiteEngine engine)
    {
        const System.Reflection.BindingFlags Instance = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic;
        var monitor = typeof(LiteEngine).GetField("_monitor", Instance)?.GetValue(engine);
        if (monitor?.GetType().GetField("_transactions", Instance)?.GetValue(monitor) is not System.Collections.IDictionary transactions) return -1;
        var open = transactions.Values.Cast<object>().ToList();
#pragma warning disable CA1816 // Deliberately another object's finalizer: LiteDB's, which would throw on the finalizer thread.
        foreach (var transaction in open) GC.SuppressFinalize(transaction);
#pragma warning restore CA1816
        return open.Count;
    }

    private void Failed(Exception exception)
    {
        var problem = exception is IOException ? exception.Message : $"{exception.GetType().Name}: {exception.Message}";
        var since = Current.FailingSince ?? _time.GetUtcNow();
        Volatile.Write(ref _health, new StoreHealthReport(false, problem, since));
    }

    private void Recovered() => Volatile.Write(ref _health, StoreHealthReport.Ok);

    private static StoreUnavailableException Abandoned() =>
        new("the store was reopened after a write failed, so this transaction's earlier writes are gone; roll it back and try again", null);

    /// <summary>
    /// A failure of the file, not of the request: I/O errors, and LiteDB's own errors about its state
    /// (not a duplicate key, a lock timeout or a bad argument, which leave the engine sound).
    /// </summary>
    internal static bool IsStorageFailure(Exception exception) => exception switch
    {
        IOException => true,
        UnauthorizedAccessException => true,
        LiteException lite => lite.ErrorCode is 0 or LiteException.DATABASE_SHUTDOWN or LiteException.ENGINE_DISPOSED or LiteException.INVALID_DATAFILE_STATE,
        _ => false,
    };
}
