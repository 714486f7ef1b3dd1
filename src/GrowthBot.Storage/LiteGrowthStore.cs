using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;
using LiteDB;
using LiteDB.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrowthBot.Storage;

/// <summary>
/// The LiteDB implementation of <see cref="IGrowthStore"/>: one file, one writer (this process,
/// guarded by an exclusive lock file), UTC dates, every batch in one transaction.
/// The subscriptions log is kept as one document per customer holding their dated MRR values,
/// so loading a million customers' histories reads a million documents, not ten million.
/// </summary>
public sealed partial class LiteGrowthStore : IGrowthStore, IDisposable
{
    internal const string CustomersCollection = "customers";
    internal const string SubscriptionsCollection = "subscriptions";
    internal const string OrdersCollection = "orders";
    internal const string SpendCollection = "spend";
    internal const string TicketsCollection = "tickets";
    internal const string ResponsesCollection = "responses";
    internal const string MetaCollection = "meta";
    internal const string GenerationKey = "generation";

    internal const string WriteProbeKey = "write-probe";

    private readonly ExclusiveFileLock _lock;
    private readonly RecoveringEngine _engine;
    private readonly LiteDatabase _database;
    private readonly Lock _writeGate = new();
    private readonly IdLookup _lookup = new();
    private readonly StorageOptions _options;
    private readonly TimeProvider _time;
    private LiteDatabase? _inbox;
    private bool _disposed;

    // Known once read or written (this process is the file's only writer); -1 until then.
    private long _generation = -1;

    public LiteGrowthStore(StorageOptions options, TimeProvider? time = null)
        : this(options, StoreOpening.OpenOrCreate, time)
    {
    }

    /// <summary>Opens (or creates) the store; <paramref name="logger"/> hears about a conversion to the current layout (<see cref="Migration"/>).</summary>
    public LiteGrowthStore(StorageOptions options, TimeProvider? time, ILogger? logger)
        : this(options, StoreOpening.OpenOrCreate, time, logger)
    {
    }

    private LiteGrowthStore(StorageOptions options, StoreOpening opening, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time ?? TimeProvider.System;
        FilePath = StoreFile.Resolve(options.Path);
        if (opening == StoreOpening.Existing && !File.Exists(FilePath)) throw new StoreOpenException(FilePath, StoreProblem.NotFound);
        var folder = System.IO.Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        _lock = ExclusiveFileLock.Acquire(FilePath);
        try
        {
            if (opening == StoreOpening.Replace) StoreFile.Delete(FilePath);
            (_database, _engine) = OpenFile(FilePath, StoreCollation.For(FilePath));
            try
            {
                Migration = StoreLayout.Prepare(_database, FilePath, logger ?? NullLogger.Instance);
            }
            catch
            {
                _database.Dispose();
                throw;
            }
        }
        catch
        {
            _lock.Dispose();
            throw;
        }
    }

    /// <summary>Opens a store that must already exist (commands that only read); a missing file is a <see cref="StoreOpenException"/>, not a new empty store.</summary>
    public static LiteGrowthStore OpenExisting(StorageOptions options) => new(options, StoreOpening.Existing);

    /// <summary>Deletes the store's file (under its lock, so never under a running host) and opens a new, empty one in its place.</summary>
    public static LiteGrowthStore Replace(StorageOptions options) => new(options, StoreOpening.Replace);

    private enum StoreOpening
    {
        OpenOrCreate,
        Existing,
        Replace,
    }

    /// <summary>The conversion of a store of an older layout when it was opened (null: it was current).</summary>
    public StoreLayoutMigration? Migration { get; }

    /// <summary>Whether writes work; "degraded" while they fail (disk full), until the file could be written again.</summary>
    public IStoreHealth Health => _engine;

    /// <summary>The open database, for the other stores that share this one file (and its lock).</summary>
    internal LiteDatabase Database => _database;

    /// <summary>The absolute path of the LiteDB file.</summary>
    public string FilePath { get; }

    /// <summary>
    /// The inbox's own LiteDB file beside the store (<c>growthbot-inbox.db</c>), guarded by the store's lock.
    /// LiteDB checkpoints a file's log into it under an exclusive lock that every transaction on that file
    /// waits for, with a disk flush inside; the billing writer's log fills several times a second at
    /// a thousand webhooks a second, and each Slack or Teams acknowledgement (an inbox write) waited
    /// for those checkpoints. In a file of its own, an acknowledgement waits only for the inbox's own
    /// small commits and checkpoints (docs/production.md, "Back up and restore").
    /// </summary>
    public string InboxPath => StoreFile.InboxPathFor(FilePath);

    /// <summary>The inbox's database, opened on first use; messages an older layout kept in the store's own file move into it then.</summary>
    internal LiteDatabase InboxDatabase
    {
        get
        {
            if (Volatile.Read(ref _inbox) is { } open) return open;
            lock (_writeGate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_inbox is null)
                {
                    var inbox = OpenInbox();
                    try
                    {
                        MoveInboxFromStoreFile(inbox);
                    }
                    catch
                    {
                        inbox.Dispose();
                        throw;
                    }
                    Volatile.Write(ref _inbox, inbox);
                }
                return _inbox;
            }
        }
    }

    private LiteDatabase OpenInbox() => OpenFile(InboxPath, collation: null).Database;

    /// <summary>
    /// Opens one of the store's LiteDB files (the store's own, or the inbox's) through an engine that opens
    /// the file again after a storage failure (<see cref="RecoveringEngine"/>), with the configured
    /// checkpoint size. A file LiteDB cannot read is refused as damaged, and is looked at before LiteDB
    /// touches it, since LiteDB rewrites a file whose header it cannot read. A null
    /// <paramref name="collation"/> leaves LiteDB's default (the process's culture) for a new file.
    /// </summary>
    private (LiteDatabase Database, RecoveringEngine Engine) OpenFile(string path, Collation? collation)
    {
        StoreFile.ThrowIfNotLiteDb(path);
        LiteDatabase database;
        RecoveringEngine engine;
        try
        {
            var settings = new EngineSettings { Filename = path, Collation = collation };
            engine = new RecoveringEngine(() => new LiteEngine(settings), _time, ProbeWrite);
            database = new LiteDatabase(engine, mapper: null, disposeOnClose: true) { UtcDate = true };
            if (database.CheckpointSize != _options.CheckpointPages) database.CheckpointSize = _options.CheckpointPages;
        }
        catch (Exception exception) when (exception is LiteException or ArgumentOutOfRangeException or InvalidCastException or EndOfStreamException)
        {
            throw new StoreOpenException(path, StoreProblem.Damaged, exception);
        }
        return (database, engine);
    }

    /// <summary>
    /// Stores written before the inbox had its own file kept it in theirs: its documents are copied
    /// (committed first, so a crash in between leaves them in both and the next start copies again,
    /// changing nothing) and then dropped from the store's file.
    /// </summary>
    private void MoveInboxFromStoreFile(LiteDatabase inbox)
    {
        if (!_database.CollectionExists(LiteInbox.CollectionName)) return;
        var documents = _database.GetCollection(LiteInbox.CollectionName).FindAll().ToList();
        if (documents.Count > 0) inbox.GetCollection(LiteInbox.CollectionName).Upsert(documents);
        _database.DropCollection(LiteInbox.CollectionName);
    }

    /// <inheritdoc />
    public bool IsEmpty =>
        _database.GetCollection(CustomersCollection).Count() == 0 &&
        _database.GetCollection(SubscriptionsCollection).Count() == 0 &&
        _database.GetCollection(ResponsesCollection).Count() == 0;

    /// <inheritdoc />
    public IReadOnlySet<string> CustomerIds() =>
        _database.GetCollection(CustomersCollection).FindAll().Select(document => BsonRows.ToCustomer(document).Id).ToHashSet(StringComparer.Ordinal);

    /// <inheritdoc />
    public long Generation
    {
        get
        {
            var known = Interlocked.Read(ref _generation);
            if (known >= 0) return known;
            lock (_writeGate)
            {
                if (_generation < 0) _generation = StoredGeneration();
                return _generation;
            }
        }
    }

    /// <inheritdoc />
    public StoreWriteResult Write(GrowthDataBatch batch, IProgress<int>? rowsWritten = null, StoreChanges? changes = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_writeGate)
        {
            var written = new ProgressCounter(rowsWritten);
            var pending = new StoreChanges();
            _database.BeginTrans();
            try
            {
                var result = UpsertAll(CustomersCollection, batch.Customers, BsonRows.From, BsonRows.ToCustomer, pending.Changed.Customers, pending.Replaced.Customers, written)
                    + UpsertSubscriptions(batch.Subscriptions, pending.Changed.Subscriptions, written)
                    + UpsertPacked(PackedRows.Orders, batch.Orders, BsonRows.From, BsonRows.ToOrder, pending.Changed.Orders, pending.Replaced.Orders, written)
                    + UpsertAll(SpendCollection, batch.Spend, BsonRows.From, BsonRows.ToSpend, pending.Changed.Spend, pending.Replaced.Spend, written, BsonRows.SpendIdOf)
                    + UpsertPacked(PackedRows.Tickets, batch.Tickets, BsonRows.From, BsonRows.ToTicket, pending.Changed.Tickets, pending.Replaced.Tickets, written)
                    + UpsertPacked(PackedRows.Responses, batch.Responses, BsonRows.From, BsonRows.ToResponse, pending.Changed.Responses, pending.Replaced.Responses, written);
                var generation = Generation;
                if (result.Inserted + result.Updated > 0)
                {
                    generation++;
                    _database.GetCollection(MetaCollection).Upsert(new BsonDocument { ["_id"] = GenerationKey, ["value"] = generation });
                    StoreLayout.Stamp(_database.GetCollection(MetaCollection), generation);
                }
                _database.Commit();
                Interlocked.Exchange(ref _generation, generation);
                written.Flush();
                if (changes is not null)
                {
                    Merge(pending.Changed, changes.Changed);
                    Merge(pending.Replaced, changes.Replaced);
                }
                return result;
            }
            catch (Exception exception)
            {
                try
                {
                    _database.Rollback();
                }
                catch (StoreUnavailableException) when (exception is StoreUnavailableException)
                {
                    // The file could not be opened again yet: the transaction went with the engine that failed.
                }
                // A failed commit may or may not have reached the file: read the generation again next time.
                if (exception is StoreUnavailableException) Interlocked.Exchange(ref _generation, -1);
                throw;
            }
        }
    }

    /// <summary>The smallest durable write: the store's probe that writing works again.</summary>
    private static void ProbeWrite(RecoveringEngine engine) =>
        engine.Upsert(MetaCollection, [new BsonDocument { ["_id"] = WriteProbeKey, ["value"] = Environment.TickCount64 }], BsonAutoId.ObjectId);

    /// <inheritdoc />
    public void ReadAll(IGrowthDataSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        PipelinedRead.Run(_database, ReadSteps, sink);
    }

    /// <summary>
    /// Every collection a full read maps to rows, in the order their rows reach the sink (on the
    /// reading threads of <see cref="PipelinedRead"/>). Orders, tickets and responses come from
    /// their packed copies (a document per customer), not a document per row.
    /// </summary>
    private static readonly ReadStep[] ReadSteps =
    [
        new(CustomersCollection, (document, sink) => sink.Add(BsonRows.ToCustomer(document))),
        new(SubscriptionsCollection, ReadSubscriptions),
        new(PackedRows.Orders.PackedCollection, PackedRows.Orders.Read),
        new(SpendCollection, (document, sink) => sink.Add(BsonRows.ToSpend(document))),
        new(PackedRows.Tickets.PackedCollection, PackedRows.Tickets.Read),
        new(PackedRows.Responses.PackedCollection, PackedRows.Responses.Read),
    ];

    /// <summary>One customer's subscriptions document: their dated MRR values as two arrays.</summary>
    private static void ReadSubscriptions(BsonDocument document, IGrowthDataSink sink)
    {
        var customerId = document["_id"].AsString;
        var dates = document["d"].AsArray;
        var values = document["m"].AsArray;
        for (var i = 0; i < dates.Count; i++)
        {
            sink.Add(new SubscriptionChange(customerId, DateTime.SpecifyKind(dates[i].AsDateTime, DateTimeKind.Utc), values[i].AsDecimal));
        }
    }

    /// <summary>
    /// Checkpoints the log into the data file and copies that file to <paramref name="copy"/> while
    /// no automatic checkpoint can change it (see <see cref="StoreBackup"/>). The copy's header says
    /// "no automatic checkpoints"; opening it as a store sets <see cref="StorageOptions.CheckpointPages"/> again.
    /// </summary>
    internal void CopyCheckpointedFile(Stream copy)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pages = _database.CheckpointSize;
        _database.CheckpointSize = 0;
        try
        {
            _database.Checkpoint();
            using var source = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
            source.CopyTo(copy);
        }
        finally
        {
            _database.CheckpointSize = pages;
        }
    }

    /// <summary>Closes the file and releases the lock. Safe to call more than once.</summary>
    public void Dispose()
    {
        lock (_writeGate)
        {
            if (_disposed) return;
            _disposed = true;
            _inbox?.Dispose();
            _database.Dispose();
            _lock.Dispose();
        }
    }

    private long StoredGeneration() =>
        _database.GetCollection(MetaCollection).FindById(GenerationKey) is { } meta ? meta["value"].AsInt64 : 0;

    private static void Merge(GrowthDataBatch from, GrowthDataBatch into)
    {
        into.Customers.AddRange(from.Customers);
        into.Subscriptions.AddRange(from.Subscriptions);
        into.Orders.AddRange(from.Orders);
        into.Spend.AddRange(from.Spend);
        into.Tickets.AddRange(from.Tickets);
        into.Responses.AddRange(from.Responses);
    }

    /// <summary>
    /// LiteDB compares strings ignoring case, so <c>ACME</c> finds <c>acme</c>'s document. Ids are
    /// exact: refuse rather than merge two customers (or overwrite one order with another).
    /// </summary>
    private static void RefuseCaseCollision(string collectionName, BsonDocument? existing, string key, Func<BsonDocument, string> idOf)
    {
        if (existing is null || string.Equals(existing["_id"].AsString, key, StringComparison.Ordinal)) return;
        var what = collectionName switch
        {
            CustomersCollection or SubscriptionsCollection => "customer",
            OrdersCollection => "order",
            TicketsCollection => "ticket",
            ResponsesCollection => "response",
            _ => "spend",
        };
        throw new IdCollisionException(what, idOf(new BsonDocument { ["_id"] = key }), idOf(existing));
    }

    private StoreWriteResult UpsertAll<T>(string collectionName, List<T> rows, Func<T, BsonDocument> toDocument, Func<BsonDocument, T> fromDocument,
        List<T> changed, List<T> replaced, ProgressCounter written, Func<BsonDocument, string>? idOf = null)
    {
        idOf ??= document => document["_id"].AsString;
        if (rows.Count == 0) return StoreWriteResult.None;
        var collection = _database.GetCollection(collectionName);
        var bulk = BulkLookup.For(_database, collection, rows.Count);
        int inserted = 0, updated = 0, unchanged = 0;
        Func<int, BsonDocument> rowDocument = index => toDocument(rows[index]);
        for (var index = 0; index < rows.Count; index++)
        {
            var document = toDocument(rows[index]);
            var existing = bulk is null ? _lookup.Find(collection, document["_id"]) : bulk.Find(document["_id"], rowDocument);
            RefuseCaseCollision(collectionName, existing, document["_id"].AsString, idOf);
            if (existing is null)
            {
                collection.Insert(document);
                bulk?.Wrote(document["_id"], index);
                changed.Add(fromDocument(document));
                inserted++;
            }
            else if (existing == document)
            {
                unchanged++;
            }
            else
            {
                collection.Update(document);
                bulk?.Wrote(document["_id"], index);
                replaced.Add(fromDocument(existing));
                changed.Add(fromDocument(document));
                updated++;
            }
            written.Step();
        }
        return new StoreWriteResult(inserted, updated, unchanged);
    }

    private StoreWriteResult UpsertSubscriptions(List<SubscriptionChange> changes, List<SubscriptionChange> changed, ProgressCounter written)
    {
        if (changes.Count == 0) return StoreWriteResult.None;
        var collection = _database.GetCollection(SubscriptionsCollection);
        int inserted = 0, updated = 0, unchanged = 0;
        var customers = changes.GroupBy(change => change.CustomerId, StringComparer.Ordinal).ToList();
        var bulk = BulkLookup.For(_database, collection, customers.Count);
        foreach (var customer in customers)
        {
            var existing = bulk is null ? _lookup.Find(collection, customer.Key) : bulk.Find(customer.Key);
            RefuseCaseCollision(SubscriptionsCollection, existing, customer.Key, document => document["_id"].AsString);
            var history = new SortedDictionary<DateTime, decimal>();
            if (existing is not null)
            {
                var dates = existing["d"].AsArray;
                var values = existing["m"].AsArray;
                for (var i = 0; i < dates.Count; i++) history[DateTime.SpecifyKind(dates[i].AsDateTime, DateTimeKind.Utc)] = values[i].AsDecimal;
            }
            foreach (var change in customer)
            {
                // LiteDB keeps dates to the millisecond, so the key is the moment at that precision.
                var at = new DateTime(change.At.Ticks - (change.At.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
                var known = history.TryGetValue(at, out var mrr);
                if (!known) inserted++;
                else if (mrr == change.Mrr) unchanged++;
                else updated++;
                // The subscriptions log is keyed by (customer, moment): the engine's rebuild lets
                // a later row replace an earlier one, so it needs no replaced versions.
                if (!known || mrr != change.Mrr) changed.Add(change with { At = at });
                history[at] = change.Mrr;
                written.Step();
            }
            var document = new BsonDocument
            {
                ["_id"] = customer.Key,
                ["d"] = new BsonArray(history.Keys.Select(date => new BsonValue(date))),
                ["m"] = new BsonArray(history.Values.Select(value => new BsonValue(value))),
            };
            collection.Upsert(document);
            bulk?.Wrote(document);
        }
        return new StoreWriteResult(inserted, updated, unchanged);
    }

    /// <summary>Reports progress every few thousand rows rather than per row.</summary>
    private sealed class ProgressCounter(IProgress<int>? progress)
    {
        private int _count;

        public void Step()
        {
            if (++_count % 5000 == 0) progress?.Report(_count);
        }

        public void Flush() => progress?.Report(_count);
    }
}
