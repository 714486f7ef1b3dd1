using System.Buffers;
using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics.Index;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Metrics;

/// <summary>
/// The metric engine: an in-memory index of everything in the store, built once at start
/// (<see cref="Load"/>) and kept current as batches arrive (<see cref="Apply(GrowthDataBatch, GrowthDataBatch?)"/>). Answers are
/// computed from the index, never by scanning the store. Many readers may answer at once. A batch
/// holds the write lock only to add its rows and publish the result: a small one updates the
/// revenue index incrementally (the customers it touched are re-walked), and the rebuild a large
/// one needs runs outside the lock, while questions are still answered from the previous state.
/// When small batches have changed too many customers, the rebuild runs beside the writer, which
/// goes on applying batches incrementally and adopts the new index once it is ready.
/// </summary>
public sealed partial class MetricEngine : IMetricEngine, IDisposable
{
    /// <summary>Changed customers kept beside the revenue index before it is rebuilt, at least; a larger store allows one in 64 of its customers.</summary>
    internal const int MinimumChangedCustomers = 4096;

    private readonly ReaderWriterLockSlim _lock = new();
    // One writer at a time; readers are not held up by it, only by the short write-lock phases.
    private readonly Lock _writeGate = new();
    private readonly MetricEngineOptions _options;
    private readonly TimeZoneInfo _zone;
    private readonly TimeProvider _time;
    // Replaced as a whole only when a snapshot is adopted, under the write lock.
    private CustomerDirectory _directory = new();
    private SubscriptionLog _subscriptions = new();
    private Timeline<ResponsePoint> _responses = new();
    private readonly ResponseTallies _responseTallies = new();
    private Timeline<OrderPoint> _orders = new();
    private Timeline<TicketPoint> _tickets = new();
    private Timeline<SpendPoint> _spend = new();
    private Timeline<SignupPoint> _signups = new();
    // Immutable; replaced under the write lock after each batch with subscription changes.
    private RevenueState _revenue = RevenueState.Empty;
    // Writer-side bookkeeping (under _writeGate): whether the next publish must rebuild the
    // revenue index, the customers touched since the last publish, and every subscription row
    // (log position) that arrived since the index was built, by customer.
    private bool _rebuildRevenue;
    private readonly HashSet<int> _touched = [];
    private readonly Dictionary<int, List<int>> _rowsSinceBuild = [];
    private PendingRebuild? _pending;
    // Per order (aligned with the sealed orders timeline): whether its customer ordered before it.
    // A buyer's first order in a period tells whether they are a returning buyer; reading a flag
    // beside the order keeps the period's scan sequential. Rebuilt when orders change.
    private bool[] _orderedBefore = [];
    private int _orderedBeforeCount;
    // Per customer: the moment of their first flagged order (NoOrder without one), to extend the
    // flags when orders are appended or inserted near the end without a pass over all of them.
    private int[] _firstOrderAt = [];
    private const int NoOrder = int.MaxValue;
    // _orderedBeforeCount when the flags belong to no timeline (a snapshot's was adopted).
    private const int NoFlags = -1;
    private bool _ordersStale;
    // Per data source: bumped after each write that changed its rows is visible (customers bump all; see DataVersion).
    private readonly long[] _versions = new long[Enum.GetValues<DataSource>().Length];

    /// <param name="options">The company's metric settings.</param>
    /// <param name="zone">The company's time zone: LTV counts calendar months in it. Default UTC.</param>
    /// <param name="time">The clock: activation leaves out sign-ups whose window has not closed by now.</param>
    public MetricEngine(MetricEngineOptions options, TimeZoneInfo? zone = null, TimeProvider? time = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _zone = zone ?? TimeZoneInfo.Utc;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How many changed customers are kept beside the revenue index before a batch rebuilds it (tests set it).</summary>
    internal int? ChangedCustomersLimit { get; set; }

    /// <summary>Called on the writer's thread when a batch starts rebuilding the revenue index outside the write lock (tests hook it).</summary>
    internal Action? RevenueRebuildStarting { get; set; }

    /// <summary>Called on the rebuilding thread when a rebuild beside the writer starts (tests hook it).</summary>
    internal Action? RevenueRebuildBuilding { get; set; }

    /// <summary>Whether an index past its limit of changed customers is rebuilt beside the writer (the default) or on its thread.</summary>
    internal bool RebuildBesideWriter { get; set; } = true;

    /// <summary>The rebuild running beside the writer, if any (tests wait for it; the next batch adopts it).</summary>
    internal Task? PendingRevenueRebuild
    {
        get
        {
            lock (_writeGate) return _pending?.Build;
        }
    }

    /// <summary>How many customers are kept beside the published revenue index (tests watch a rebuild being adopted).</summary>
    internal int ChangedCustomerCount => Volatile.Read(ref _revenue).Changed.Count;

    private int ChangedLimit => ChangedCustomersLimit ?? Math.Max(MinimumChangedCustomers, _directory.Count / 64);

    /// <summary>Reads every row of the store and builds the index.</summary>
    public void Load(IGrowthStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        lock (_writeGate)
        {
            _lock.EnterWriteLock();
            try
            {
                // Nothing is ready before the load ends, so all of it happens under the lock.
                _rebuildRevenue = true;
                var loading = new LoadingIngest(this);
                try
                {
                    store.ReadAll(loading);
                }
                catch
                {
                    loading.Abandon();
                    throw;
                }
                SealTimelines();
                if (loading.Finish() is { } built)
                {
                    _rebuildRevenue = false;
                    _touched.Clear();
                    _rowsSinceBuild.Clear();
                    _revenue = RevenueState.Built(built);
                }
                else
                {
                    _revenue = NextRevenue() ?? _revenue;
                }
            }
            finally
            {
                _lock.ExitWriteLock();
                BumpAll();
            }
        }
    }

    /// <inheritdoc />
    public void Apply(GrowthDataBatch batch) => Apply(batch, null);

    /// <inheritdoc />
    public void Apply(GrowthDataBatch changed, GrowthDataBatch? replaced)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var batch = changed;
        lock (_writeGate)
        {
            _lock.EnterWriteLock();
            try
            {
                // A batch this large rebuilds anyway: no need to track its customers one by one.
                if (batch.Subscriptions.Count > ChangedLimit) _rebuildRevenue = true;
                var ingest = new Ingest(this);
                if (replaced is not null) ingest.Remove(replaced);
                foreach (var customer in batch.Customers) ingest.Add(customer);
                foreach (var change in batch.Subscriptions) ingest.Add(change);
                foreach (var order in batch.Orders) ingest.Add(order);
                foreach (var spend in batch.Spend) ingest.Add(spend);
                foreach (var ticket in batch.Tickets) ingest.Add(ticket);
                foreach (var response in batch.Responses) ingest.Add(response);
                SealTimelines();
            }
            finally
            {
                _lock.ExitWriteLock();
            }

            // Outside the lock: readers keep answering from the published revenue state while the
            // next one is computed. Only this writer touches the log and the bookkeeping, and the
            // directory is only read here.
            if (NextRevenue() is { } next)
            {
                _lock.EnterWriteLock();
                _revenue = next;
                _lock.ExitWriteLock();
            }
            // Only now is the whole write visible: a reader that sees the new version sees its rows.
            Bump(changed);
            if (replaced is not null) Bump(replaced);
        }
    }

    /// <inheritdoc />
    public long? DataVersion(DataSource source) => Interlocked.Read(ref _versions[(int)source]);

    /// <summary>Moves the version of every source <paramref name="batch"/> has rows of; customers move all (they group every source).</summary>
    private void Bump(GrowthDataBatch batch)
    {
        if (batch.Customers.Count > 0)
        {
            BumpAll();
            return;
        }
        if (batch.Subscriptions.Count > 0) Interlocked.Increment(ref _versions[(int)DataSource.Billing]);
        if (batch.Responses.Count > 0) Interlocked.Increment(ref _versions[(int)DataSource.Surveys]);
        if (batch.Orders.Count > 0) Interlocked.Increment(ref _versions[(int)DataSource.Orders]);
        if (batch.Tickets.Count > 0) Interlocked.Increment(ref _versions[(int)DataSource.Tickets]);
        if (batch.Spend.Count > 0) Interlocked.Increment(ref _versions[(int)DataSource.Spend]);
    }

    private void BumpAll()
    {
        for (var i = 0; i < _versions.Length; i++) Interlocked.Increment(ref _versions[i]);
    }

    /// <summary>
    /// The revenue state after the rows ingested since the last publish, or null if none changed
    /// it: the customers they touched re-walked beside the current index, or a rebuilt index when a
    /// rebuild was asked for (at load, or a batch too large to track customer by customer). When
    /// small batches have changed more customers than <see cref="ChangedLimit"/>, the rebuild runs
    /// beside the writer (<see cref="StartRebuild"/>) from the rows and cells as they were, and
    /// batches go on being applied incrementally meanwhile; the first batch after it finished adopts
    /// it (<see cref="Adopt"/>). A rebuild on the writer's thread held every webhook for seconds at
    /// 1M customers. Callers hold the write gate.
    /// </summary>
    private RevenueState? NextRevenue()
    {
        if (_rebuildRevenue) return RebuildNow();
        var current = _revenue;
        RevenueState? next = null;
        if (_pending is { Build.IsCompleted: true } done)
        {
            _pending = null;
            // A build that failed is done again here, where its exception reaches the batch.
            if (!done.Build.IsCompletedSuccessfully) return RebuildNow();
            current = next = Adopt(done, current);
        }
        if (_touched.Count == 0) return next;
        if (current.Changed.Count + _touched.Count > ChangedLimit && _pending is null)
        {
            if (!RebuildBesideWriter) return RebuildNow();
            _pending = StartRebuild();
        }

        var changed = new Dictionary<int, CustomerRevenue>(current.Changed);
        var movements = current.MovementCount;
        var span = current.BillingSpan;
        foreach (var customer in _touched) Rewalk(customer, current.Index, changed, ref movements, ref span);
        _touched.Clear();
        return new RevenueState(current.Index, changed, span, movements);
    }

    /// <summary>Rebuilds the index on the writer's thread (readers go on with the published state).</summary>
    private RevenueState RebuildNow()
    {
        // The live log is compacted in place: a rebuild running beside would no longer match it.
        _pending = null;
        RevenueRebuildStarting?.Invoke();
        var index = RevenueIndexBuilder.Build(_subscriptions, _directory);
        _rebuildRevenue = false;
        _touched.Clear();
        _rowsSinceBuild.Clear();
        return RevenueState.Built(index);
    }

    /// <summary>
    /// Starts building an index from the log's rows so far and the customers' cells as they are now.
    /// The writer only appends behind those rows (or replaces the log's arrays as a whole), so the
    /// build reads them without a lock; the cells are copied.
    /// </summary>
    private PendingRebuild StartRebuild()
    {
        RevenueRebuildStarting?.Invoke();
        var log = _subscriptions;
        var cells = _directory.CopyCellKeys();
        int[] customers = log.Customers, moments = log.Moments;
        var mrr = log.Mrr;
        var count = log.Count;
        var building = RevenueRebuildBuilding;
        var build = Task.Run(() =>
        {
            building?.Invoke();
            return RevenueIndexBuilder.Build(customers, moments, mrr, count, cells);
        });
        return new PendingRebuild(log, count, cells.SegmentOf, cells.ChannelOf, build);
    }

    /// <summary>
    /// Takes a finished rebuild: the log becomes its deduplicated rows followed by the rows that
    /// arrived while it ran, and the customers whose revenue may differ from it (rows since it
    /// started, or a cell other than the one it used) are re-walked beside it.
    /// </summary>
    private RevenueState Adopt(PendingRebuild pending, RevenueState current)
    {
        var built = pending.Build.Result;
        var log = _subscriptions;
        var later = log.Count - pending.Rows;
        var size = Math.Max(1024, built.Count + later);
        var customers = new int[size];
        var moments = new int[size];
        var mrr = new long[size];
        Array.Copy(built.Customers, customers, built.Count);
        Array.Copy(built.Moments, moments, built.Count);
        Array.Copy(built.Mrr, mrr, built.Count);
        Array.Copy(log.Customers, pending.Rows, customers, built.Count, later);
        Array.Copy(log.Moments, pending.Rows, moments, built.Count, later);
        Array.Copy(log.Mrr, pending.Rows, mrr, built.Count, later);
        log.Reset(customers, moments, mrr, built.Count + later);
        log.MarkSorted(built.Count);

        _rowsSinceBuild.Clear();
        for (var row = built.Count; row < log.Count; row++)
        {
            if (!_rowsSinceBuild.TryGetValue(customers[row], out var rows)) _rowsSinceBuild.Add(customers[row], rows = []);
            rows.Add(row);
        }
        var adopted = RevenueState.Built(built.Index);
        var changed = new Dictionary<int, CustomerRevenue>();
        var movements = adopted.MovementCount;
        var span = adopted.BillingSpan;
        foreach (var customer in current.Changed.Keys.Concat(_touched))
        {
            var sameCell = customer < pending.Segments.Length
                && _directory.SegmentOf(customer) == pending.Segments[customer] && _directory.ChannelOf(customer) == pending.Channels[customer];
            if (sameCell && !_rowsSinceBuild.ContainsKey(customer)) continue;
            if (!changed.ContainsKey(customer)) Rewalk(customer, built.Index, changed, ref movements, ref span);
        }
        _touched.Clear();
        return new RevenueState(built.Index, changed, span, movements);
    }

    /// <summary>Re-walks a customer beside <paramref name="index"/> into <paramref name="changed"/>, keeping the movement count and billing span.</summary>
    private void Rewalk(int customer, RevenueIndex index, Dictionary<int, CustomerRevenue> changed, ref int movements, ref (int First, int Last)? span)
    {
        if (changed.TryGetValue(customer, out var earlier)) movements -= earlier.Moments.Length - earlier.BaseMoments.Length;
        var now = Rewalk(customer, index);
        movements += now.Moments.Length - now.BaseMoments.Length;
        changed[customer] = now;
        // Rows are never taken out of the log, so the span only widens.
        if (now.Moments.Length > 0)
        {
            int first = now.Moments[0], last = now.Moments[^1];
            span = span is { } known ? (Math.Min(known.First, first), Math.Max(known.Last, last)) : (first, last);
        }
    }

    /// <summary>A rebuild running beside the writer: the log and row count it started from, the cells it used, and the build.</summary>
    private sealed record PendingRebuild(SubscriptionLog Log, int Rows, int[] Segments, int[] Channels, Task<BuiltRevenue> Build);

    /// <summary>A customer's rows as the index has them and as they are now (the later arrival for a moment wins).</summary>
    private CustomerRevenue Rewalk(int customer, RevenueIndex index)
    {
        var log = _subscriptions;
        var (start, end) = log.SortedRowsOf(customer);
        var baseMoments = log.Moments.AsSpan(start, end - start).ToArray();
        var baseMrr = log.Mrr.AsSpan(start, end - start).ToArray();
        var moments = new List<int>(baseMoments);
        var mrr = new List<long>(baseMrr);
        if (_rowsSinceBuild.TryGetValue(customer, out var rows))
        {
            foreach (var row in rows)
            {
                var at = moments.BinarySearch(log.Moments[row]);
                if (at >= 0)
                {
                    mrr[at] = log.Mrr[row];
                    continue;
                }
                moments.Insert(~at, log.Moments[row]);
                mrr.Insert(~at, log.Mrr[row]);
            }
        }
        return new CustomerRevenue(index.CellOf(customer), baseMoments, baseMrr, [.. moments], [.. mrr], _directory.SegmentOf(customer), _directory.ChannelOf(customer));
    }

    /// <inheritdoc />
    public EngineStatistics Statistics
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return new EngineStatistics(_directory.Count, _revenue.MovementCount, _orders.Count, _tickets.Count, _responses.Count, _spend.Count);
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <inheritdoc />
    public MetricAnswer Answer(MetricQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.To <= query.From)
        {
            throw new MetricQueryException($"The period must end after it starts (from {query.From:yyyy-MM-dd HH:mm} to {query.To:yyyy-MM-dd HH:mm}).");
        }
        if (query.By == Breakdown.Segment && MetricFormulaMap.SourcesOf(query.Metric).HasFlag(FactSources.Spend))
        {
            throw new MetricQueryException($"{MetricCatalog.Get(query.Metric).Title} can't be split by segment: acquisition spend is recorded per channel. Try by channel.");
        }

        _lock.EnterReadLock();
        try
        {
            var current = Compute(query.Metric, query.From, query.To, query.By);
            if (!query.ComparePrevious) return current;
            var (previousFrom, previousTo) = Periods.Previous(query.From, query.To, _zone);
            return current with { Previous = Compute(query.Metric, previousFrom, previousTo, query.By) };
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public DateTime? LastDataAt(DataSource source)
    {
        _lock.EnterReadLock();
        try
        {
            return LastMoment(source) is { } moment ? EngineUnits.ToDateTime(moment) : null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    private int? LastMoment(DataSource source) => source switch
    {
        DataSource.Billing => _revenue.BillingSpan?.Last,
        DataSource.Surveys => _responses.LastMoment(),
        DataSource.Orders => _orders.LastMoment(),
        // Unresolved tickets sit at int.MaxValue: they are not data about any period.
        DataSource.Tickets => _tickets.LastMoment(int.MaxValue),
        DataSource.Spend => _spend.LastMoment(),
        _ => _signups.LastMoment(),
    };

    internal static IEnumerable<DataSource> DataSourcesOf(FactSources sources)
    {
        if ((sources & (FactSources.RevenueFlow | FactSources.RevenueCohort)) != 0) yield return DataSource.Billing;
        if ((sources & FactSources.Surveys) != 0) yield return DataSource.Surveys;
        if ((sources & FactSources.Spend) != 0) yield return DataSource.Spend;
        if ((sources & FactSources.Orders) != 0) yield return DataSource.Orders;
        if ((sources & FactSources.Tickets) != 0) yield return DataSource.Tickets;
        if ((sources & FactSources.Signups) != 0) yield return DataSource.Signups;
    }

    /// <summary>
    /// The source whose data ends furthest before the period's end, if it ends more than
    /// <see cref="DataGap.Tolerance"/> before it. A source with no rows at all is no gap: there
    /// is nothing to be stale, and the answer already says there is no data.
    /// </summary>
    private DataGap? GapOf(FactSources sources, int to)
    {
        DataGap? stalest = null;
        foreach (var source in DataSourcesOf(sources))
        {
            if (LastMoment(source) is not { } last) continue;
            var lastAt = EngineUnits.ToDateTime(last);
            if (EngineUnits.ToDateTime(to) - lastAt <= DataGap.Tolerance) continue;
            if (stalest is null || lastAt < stalest.LastDataAt) stalest = new DataGap(source, lastAt);
        }
        return stalest;
    }

    private void SealTimelines()
    {
        _responses.Seal();
        _responseTallies.Refresh(_responses);
        _orders.Seal();
        _tickets.Seal();
        _spend.Seal();
        _signups.Seal();
        if (_ordersStale)
        {
            // The flags (and first moments) are of the orders as they were before this seal, unless another timeline was adopted (NoFlags).
            var from = _orderedBeforeCount == NoFlags ? -1 : _orders.LastSealInsertedFrom;
            if (from >= 0 && from <= _orderedBeforeCount && _orders.Count - from <= Math.Max(4096, _orders.Count / 16)) FlagOrdersFrom(from);
            else FlagAllOrders();
            _orderedBeforeCount = _orders.Count;
            _ordersStale = false;
        }
    }

    /// <summary>
    /// Flags the orders from <paramref name="from"/> on, where the only change since the last flags
    /// is orders added there (appended, or inserted: a live invoice dated before the newest order),
    /// so those before are as they were. Each customer's first order moment answers whether they
    /// ordered before that position without a pass over all orders (millions at 1M customers,
    /// under the write lock, and two arrays of that size allocated per batch).
    /// </summary>
    private void FlagOrdersFrom(int from)
    {
        var orders = _orders.All;
        EnsureOrderFlagCapacity(orders.Length);
        if (from < orders.Length)
        {
            var moment = orders[from].Moment;
            var seen = new HashSet<int>();
            for (var i = from; i < orders.Length; i++)
            {
                var customer = orders[i].Customer;
                _orderedBefore[i] = !seen.Add(customer) || OrderedBefore(orders, customer, from, moment);
            }
            for (var i = from; i < orders.Length; i++)
            {
                ref var first = ref _firstOrderAt[orders[i].Customer];
                first = Math.Min(first, orders[i].Moment);
            }
        }
    }

    /// <summary>Whether <paramref name="customer"/> has an order before position <paramref name="from"/> (whose moment is <paramref name="moment"/>), by the flags' first moments (not yet updated for the orders from there).</summary>
    private bool OrderedBefore(ReadOnlySpan<OrderPoint> orders, int customer, int from, int moment)
    {
        var first = _firstOrderAt[customer];
        if (first != moment) return first < moment;
        // An order at the same moment: before the position or after it?
        for (var i = from - 1; i >= 0 && orders[i].Moment == moment; i--)
        {
            if (orders[i].Customer == customer) return true;
        }
        return false;
    }

    /// <summary>Flags every order in one pass (after removals, or when much of the timeline moved), reusing the arrays.</summary>
    private void FlagAllOrders()
    {
        var orders = _orders.All;
        EnsureOrderFlagCapacity(orders.Length);
        Array.Fill(_firstOrderAt, NoOrder);
        // Orders are in moment order: a customer already seen ordered before this one.
        for (var i = 0; i < orders.Length; i++)
        {
            ref var first = ref _firstOrderAt[orders[i].Customer];
            _orderedBefore[i] = first != NoOrder;
            if (first == NoOrder) first = orders[i].Moment;
        }
    }

    private void EnsureOrderFlagCapacity(int orders)
    {
        if (_orderedBefore.Length < orders) Array.Resize(ref _orderedBefore, Math.Max(orders, _orderedBefore.Length * 2));
        if (_firstOrderAt.Length < _directory.Count)
        {
            var grown = Math.Max(_directory.Count, _firstOrderAt.Length * 2);
            var start = _firstOrderAt.Length;
            Array.Resize(ref _firstOrderAt, grown);
            Array.Fill(_firstOrderAt, NoOrder, start, grown - start);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<MetricAnswer?> AnswerAll(IReadOnlyList<MetricQuery> queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var answers = new MetricAnswer?[queries.Count];
        // Metrics computed from the same rows over the same period and split (MRR, churn and NRR
        // all read the revenue facts) share one gathering, under one read lock so all see one state.
        var gathered = new Dictionary<(FactSources, int, int, Breakdown), GroupFacts[]>();
        _lock.EnterReadLock();
        try
        {
            for (var i = 0; i < queries.Count; i++)
            {
                var query = queries[i];
                if (query.To <= query.From || (query.By == Breakdown.Segment && MetricFormulaMap.SourcesOf(query.Metric).HasFlag(FactSources.Spend))) continue;
                var current = Compute(query.Metric, query.From, query.To, query.By, gathered);
                if (query.ComparePrevious)
                {
                    var (previousFrom, previousTo) = Periods.Previous(query.From, query.To, _zone);
                    current = current with { Previous = Compute(query.Metric, previousFrom, previousTo, query.By, gathered) };
                }
                answers[i] = current;
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
        return answers;
    }

    /// <summary>The facts of <paramref name="sources"/> over the period, one per group of the split. Callers hold the read lock and must not change them.</summary>
    private GroupFacts[] Gather(FactSources sources, int from, int to, Breakdown by, int groupCount)
    {
        var groups = new GroupFacts[groupCount];
        for (var i = 0; i < groups.Length; i++) groups[i] = new GroupFacts();
        if ((sources & FactSources.RevenueCohort) != 0) GatherRevenue(groups, by, from, to, cohort: true);
        else if ((sources & FactSources.RevenueFlow) != 0) GatherRevenue(groups, by, from, to, cohort: false);
        if ((sources & FactSources.Surveys) != 0) GatherSurveys(groups, by, from, to);
        if ((sources & FactSources.Spend) != 0) GatherSpend(groups, by, from, to);
        if ((sources & FactSources.Orders) != 0) GatherOrders(groups, by, from, to);
        if ((sources & FactSources.Tickets) != 0) GatherTickets(groups, by, from, to);
        if ((sources & FactSources.Signups) != 0) GatherSignups(groups, by, from, to);
        return groups;
    }

    private MetricAnswer Compute(MetricId metric, DateTime fromMoment, DateTime toMoment, Breakdown by, Dictionary<(FactSources, int, int, Breakdown), GroupFacts[]>? gathered = null)
    {
        var from = EngineUnits.ToSeconds(fromMoment);
        var to = EngineUnits.ToSeconds(toMoment);
        var names = by switch
        {
            Breakdown.Segment => _directory.Segments,
            Breakdown.Channel => _directory.Channels,
            _ => null,
        };
        var sources = MetricFormulaMap.SourcesOf(metric);
        GroupFacts[] groups;
        if (gathered is null)
        {
            groups = Gather(sources, from, to, by, names?.Count ?? 1);
        }
        else if (!gathered.TryGetValue((sources, from, to, by), out groups!))
        {
            groups = Gather(sources, from, to, by, names?.Count ?? 1);
            gathered.Add((sources, from, to, by), groups);
        }

        var months = Periods.CalendarMonths(fromMoment, toMoment, _zone);
        var total = new GroupFacts();
        foreach (var group in groups) total.Add(group);
        var result = MetricFormulaMap.Compute(metric, total, months, _options.GrossMargin);
        var definition = MetricCatalog.Get(metric);
        var notes = new List<string>();
        var gap = GapOf(sources, to);

        // Before the first billing row there is nothing to measure: MRR is unknown, not 0.
        var billing = (sources & (FactSources.RevenueFlow | FactSources.RevenueCohort)) != 0;
        var beforeAnyBilling = billing && (_revenue.BillingSpan is not { } span || span.First >= to);
        // A period that starts after its data ends cannot tell "nothing happened" from "nothing
        // arrived": a churn of 0 or an NRR of 100% there would be invented. MRR and ARPA are
        // states that carry forward, so they keep their value (with the warning); so does the paying-customer count.
        var afterData = gap is not null && from > EngineUnits.ToSeconds(gap.LastDataAt) && metric is not (MetricId.Mrr or MetricId.Arpa or MetricId.PayingCustomers);
        if (beforeAnyBilling || afterData)
        {
            // The value goes; what it was computed from stays, for the explanation.
            var basis = MetricResult.Undefined(result.Numerator, result.Denominator, result.SampleSize);
            return new MetricAnswer(definition, fromMoment, toMoment, basis, names is null ? null : [], null) { DataGap = gap };
        }
        if (total.SignupsStillInWindow > 0)
        {
            notes.Add($"{total.SignupsStillInWindow:N0} sign-up{(total.SignupsStillInWindow == 1 ? " is" : "s are")} left out: still inside the {_options.ActivationWindowDays}-day activation window, so not yet a success or a failure.");
        }

        List<MetricGroup>? breakdown = null;
        if (names is not null)
        {
            breakdown = [];
            for (var i = 0; i < groups.Length; i++)
            {
                var groupResult = MetricFormulaMap.Compute(metric, groups[i], months, _options.GrossMargin);
                if (metric == MetricId.Cac && by == Breakdown.Channel && names.NameOf(i) == CustomerDirectory.Unknown && groups[i].AcquisitionSpend == 0)
                {
                    // Customers without a channel have no spend recorded against them: their CAC is unknown, not 0.
                    groupResult = MetricResult.Undefined(null, groupResult.Denominator, groupResult.SampleSize);
                }
                // A channel with spend but no new customers stays in: its spend must not vanish.
                var spent = metric is MetricId.Cac && groups[i].AcquisitionSpend != 0;
                // A count of 0 is a value, but a group nobody paid in during the period (the "(unknown)"
                // segment of a tidy customer file) is no group of paying customers at all.
                var r = groups[i].Revenue;
                var emptyCount = definition.Unit == MetricUnit.Count && r.PayingAtFrom + r.PayingAtTo + r.NewCustomers + r.Reactivations + r.Churns == 0;
                if (!emptyCount && (groupResult.SampleSize > 0 || groupResult.Value is not null || spent)) breakdown.Add(new MetricGroup(names.NameOf(i), groupResult));
            }
            breakdown.Sort((left, right) => string.CompareOrdinal(left.Name, right.Name));
        }
        return new MetricAnswer(definition, fromMoment, toMoment, result, breakdown, null)
        {
            Workings = MetricWorkingsMap.Of(metric, total, months, _options.GrossMargin),
            DataGap = gap,
            Notes = notes,
        };
    }

    private int GroupOf(int customer, Breakdown by) => by switch
    {
        Breakdown.Segment => _directory.SegmentOf(customer),
        Breakdown.Channel => _directory.ChannelOf(customer),
        _ => 0,
    };

    private void GatherRevenue(GroupFacts[] groups, Breakdown by, int from, int to, bool cohort)
    {
        var state = _revenue;
        var index = state.Index;
        IReadOnlyList<RevenueFacts> cells;
        if (cohort)
        {
            cells = index.CohortFacts(from, to);
        }
        else
        {
            var flow = new RevenueFacts[index.CellCount];
            for (var cell = 0; cell < index.CellCount; cell++) flow[cell] = index.CellFlowFacts(cell, from, to);
            cells = flow;
        }
        for (var cell = 0; cell < index.CellCount; cell++) groups[GroupOfCell(index, cell, by)].Revenue += cells[cell];
        if (state.Changed.Count == 0) return;

        // Customers changed since the index was built: their old contribution out, the new one in.
        var sums = new RevenueSums[groups.Length];
        foreach (var customer in state.Changed.Values)
        {
            var group = by switch
            {
                Breakdown.Segment => customer.Segment,
                Breakdown.Channel => customer.Channel,
                _ => 0,
            };
            var baseGroup = customer.BaseCell >= 0 ? GroupOfCell(index, customer.BaseCell, by) : -1;
            // Only rows before `to` count. Rows alike before it, in the same group, add back what
            // the old contribution takes away; with none in the index, none yet before it add nothing.
            var unchanged = baseGroup < 0
                ? customer.Moments.Length == 0 || customer.Moments[0] >= to
                : baseGroup == group && customer.FirstDifference >= to;
            if (unchanged) continue;
            if (baseGroup >= 0) sums[baseGroup].AddCustomer(customer.BaseMoments, customer.BaseMrr, from, to, -1);
            sums[group].AddCustomer(customer.Moments, customer.Mrr, from, to, 1);
        }
        for (var group = 0; group < groups.Length; group++)
        {
            if (sums[group].HasCustomers) groups[group].Revenue += sums[group].ToFacts(cohort);
        }
    }

    private static int GroupOfCell(RevenueIndex index, int cell, Breakdown by) => by switch
    {
        Breakdown.Segment => index.CellSegment[cell],
        Breakdown.Channel => index.CellChannel[cell],
        _ => 0,
    };

    private void GatherSurveys(GroupFacts[] groups, Breakdown by, int from, int to)
    {
        if (by == Breakdown.None)
        {
            _responseTallies.AddRange(_responses.IndexAt(from), _responses.IndexAt(to), groups[0]);
            return;
        }
        foreach (var response in _responses.Range(from, to))
        {
            var tally = groups[GroupOf(response.Customer, by)].TallyOf((SurveyKind)response.Survey);
            if (response.Score < tally.Length) tally[response.Score]++;
        }
    }

    private void GatherSpend(GroupFacts[] groups, Breakdown by, int from, int to)
    {
        foreach (var spend in _spend.Range(from, to))
        {
            groups[by == Breakdown.Channel ? spend.Channel : 0].AcquisitionSpend += spend.Amount;
        }
    }

    private void GatherOrders(GroupFacts[] groups, Breakdown by, int from, int to)
    {
        var orders = _orders.Range(from, to);
        var orderedBefore = _orderedBefore.AsSpan(_orders.IndexAt(from), orders.Length);
        var counts = ArrayPool<int>.Shared.Rent(Math.Max(1, _directory.Count));
        try
        {
            foreach (var order in orders) counts[order.Customer] = 0;
            for (var i = 0; i < orders.Length; i++)
            {
                var customer = orders[i].Customer;
                if (++counts[customer] > 1) continue;
                var facts = groups[GroupOf(customer, by)];
                facts.CustomersWithOrders++;
                // Their first order in the period: ordered before it means before the period.
                if (orderedBefore[i]) facts.ReturningBuyers++;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    private void GatherTickets(GroupFacts[] groups, Breakdown by, int from, int to)
    {
        foreach (var ticket in _tickets.Range(from, to))
        {
            var facts = groups[GroupOf(ticket.Customer, by)];
            facts.TicketsResolved++;
            if (ticket.FirstContact) facts.TicketsResolvedOnFirstContact++;
        }
    }

    private void GatherSignups(GroupFacts[] groups, Breakdown by, int from, int to)
    {
        var window = TimeSpan.FromDays(_options.ActivationWindowDays);
        var now = _time.GetUtcNow().UtcDateTime;
        foreach (var signup in _signups.Range(from, to))
        {
            var facts = groups[GroupOf(signup.Customer, by)];
            if (EngineUnits.ToDateTime(signup.Moment) + window > now)
            {
                facts.SignupsStillInWindow++;
                continue;
            }
            facts.SignedUp++;
            var activatedAt = _directory.ActivatedAt(signup.Customer);
            DateTime? activated = activatedAt == CustomerDirectory.NoMoment ? null : EngineUnits.ToDateTime(activatedAt);
            if (EngagementFormulas.ActivatedWithin(EngineUnits.ToDateTime(signup.Moment), activated, window)) facts.Activated++;
        }
    }

    /// <summary>Turns rows into index entries. Callers hold the write gate and the write lock, and seal afterwards.</summary>
    private sealed class Ingest(MetricEngine engine) : IGrowthDataSink
    {
        public void Add(Customer customer)
        {
            var activated = customer.ActivatedAt is { } at ? EngineUnits.ToSeconds(at) : CustomerDirectory.NoMoment;
            var signedUp = EngineUnits.ToSeconds(customer.SignedUpAt);
            var moved = engine._directory.Set(customer.Id, customer.Segment, customer.AcquisitionChannel, signedUp, activated);
            var index = engine._directory.IndexOf(customer.Id);
            // Their rows move to another cell of the revenue index.
            if (moved && !engine._rebuildRevenue) engine._touched.Add(index);
            engine._signups.Add(new SignupPoint(signedUp, index));
        }

        public void Add(SubscriptionChange change)
        {
            var customer = engine._directory.IndexOf(change.CustomerId);
            engine._directory.MarkSubscribed(customer);
            var row = engine._subscriptions.Count;
            engine._subscriptions.Add(customer, EngineUnits.ToSeconds(change.At), EngineUnits.ToMoney(change.Mrr));
            if (engine._rebuildRevenue) return;
            engine._touched.Add(customer);
            if (!engine._rowsSinceBuild.TryGetValue(customer, out var rows)) engine._rowsSinceBuild.Add(customer, rows = []);
            rows.Add(row);
        }

        public void Add(Order order)
        {
            engine._orders.Add(Point(order));
            engine._ordersStale = true;
        }

        public void Add(SpendEntry spend) => engine._spend.Add(Point(spend));

        public void Add(Ticket ticket) => engine._tickets.Add(Point(ticket));

        public void Add(SurveyResponse response) => engine._responses.Add(Point(response));

        /// <summary>Takes out the points of rows that newer versions replace (the customers file's sign-ups too).</summary>
        public void Remove(GrowthDataBatch replaced)
        {
            foreach (var customer in replaced.Customers)
            {
                var index = engine._directory.IndexOf(customer.Id);
                engine._signups.Remove(new SignupPoint(EngineUnits.ToSeconds(customer.SignedUpAt), index));
            }
            foreach (var order in replaced.Orders) engine._orders.Remove(Point(order));
            engine._ordersStale |= replaced.Orders.Count > 0;
            foreach (var spend in replaced.Spend) engine._spend.Remove(Point(spend));
            foreach (var ticket in replaced.Tickets) engine._tickets.Remove(Point(ticket));
            foreach (var response in replaced.Responses) engine._responses.Remove(Point(response));
        }

        private OrderPoint Point(Order order) =>
            new(EngineUnits.ToSeconds(order.OrderedAt), engine._directory.IndexOf(order.CustomerId));

        private SpendPoint Point(SpendEntry spend) =>
            new(EngineUnits.ToSeconds(spend.Date), engine._directory.Channels.IdOf(spend.Channel), EngineUnits.ToMoney(spend.Amount));

        private TicketPoint Point(Ticket ticket) =>
            new(ticket.ResolvedAt is { } at ? EngineUnits.ToSeconds(at) : int.MaxValue, engine._directory.IndexOf(ticket.CustomerId), ticket.Contacts == 1);

        private ResponsePoint Point(SurveyResponse response) =>
            new(EngineUnits.ToSeconds(response.RespondedAt), engine._directory.IndexOf(response.CustomerId), (byte)response.Survey, (byte)response.Score);
    }
}
