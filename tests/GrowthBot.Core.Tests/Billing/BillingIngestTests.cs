using GrowthBot.Core.Billing;
using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Tests.Import;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Tests.Billing;

/// <summary>
/// Changes that arrive while a batch is being written are applied together (group commit): one
/// store write, one engine apply and one ledger transaction per batch, each caller answered only
/// once its batch is committed, and a batch deciding exactly what one-at-a-time would have. A
/// caller waiting for its turn holds no thread (a burst blocked on a lock starved the host).
/// </summary>
public sealed class BillingIngestTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly PausingLedger _ledger = new();
    private readonly RefusingStore _store = new();
    private readonly RecordingMetricEngine _engine = new();
    private readonly BillingIngest _ingest;

    public BillingIngestTests() => _ingest = new BillingIngest(new ImportService(_store, _engine), _ledger);

    public void Dispose()
    {
        _ledger.Resume();
        _ingest.Dispose();
        _ledger.Dispose();
    }

    private static BillingChange Change(string delivery, string customer, DateTimeOffset? objectTime = null, string? name = null) =>
        new(delivery, "stripe", "cus_" + customer, objectTime ?? At, objectTime ?? At)
        {
            Customer = new Customer(customer, name ?? customer, "SMB", "organic", At.UtcDateTime, null),
        };

    private static BillingChange Share(string delivery, string customer, string subscription, decimal mrr, DateTimeOffset? at = null) =>
        new(delivery, "stripe", subscription, at ?? At, at ?? At) { Subscription = new SubscriptionShare(subscription, customer, mrr) };

    /// <summary>Holds the first batch inside its commit, queues <paramref name="changes"/> behind it, and lets it go: they form the second batch.</summary>
    private async Task<BillingOutcome[]> AsOneBatchAsync(params BillingChange[] changes)
    {
        _ledger.PauseNextDeliveryCheck();
        var first = _ingest.ApplyAsync(Change("evt_first", "c0"));
        Assert.True(_ledger.Paused.Wait(TimeSpan.FromMinutes(1)), "the first change never reached the ledger");
        var queued = changes.Select(_ingest.ApplyAsync).ToList();
        _ledger.Resume();
        Assert.Equal(BillingOutcome.Applied, await first);
        return await Task.WhenAll(queued);
    }

    [Fact]
    public async Task ApplyAsync_WhileAnotherChangeIsBeingApplied_WaitsWithoutHoldingTheCallersThread()
    {
        _ledger.PauseNextDeliveryCheck();
        var first = _ingest.ApplyAsync(Change("evt_1", "c1"));
        Assert.True(_ledger.Paused.Wait(TimeSpan.FromMinutes(1)), "the first change never reached the ledger");

        // Only a safety net: if ApplyAsync blocked its caller, this lets the first change finish so the test fails instead of hanging.
        using var safetyNet = new Timer(_ => _ledger.Resume(), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        var second = _ingest.ApplyAsync(Change("evt_2", "c2"));

        Assert.False(second.IsCompleted);
        _ledger.Resume();
        Assert.Equal(BillingOutcome.Applied, await first);
        Assert.Equal(BillingOutcome.Applied, await second);
        Assert.Equal(["evt_1", "evt_2"], _ledger.Recorded);
        Assert.Equal(["c1", "c2"], _store.Inner.Written.SelectMany(batch => batch.Customers).Select(customer => customer.Id));
    }

    [Fact]
    public async Task ApplyAsync_ChangesArrivingDuringACommit_AreCommittedTogetherInOneWriteOneApplyAndOneLedgerTransaction()
    {
        var outcomes = await AsOneBatchAsync(Change("evt_1", "c1"), Change("evt_2", "c2"), Change("evt_3", "c3"));

        Assert.All(outcomes, outcome => Assert.Equal(BillingOutcome.Applied, outcome));
        Assert.Equal(2, _store.Inner.Written.Count);
        Assert.Equal(["c1", "c2", "c3"], _store.Inner.Written[1].Customers.Select(customer => customer.Id));
        Assert.Equal(2, _engine.Applied.Count);
        Assert.Equal([1, 3], _ledger.Transactions);
    }

    [Fact]
    public async Task ApplyAsync_IsNotAnsweredBeforeItsBatchIsRecorded()
    {
        _ledger.PauseNextRecord();
        var change = _ingest.ApplyAsync(Change("evt_1", "c1"));
        Assert.True(_ledger.Paused.Wait(TimeSpan.FromMinutes(1)), "the change was never recorded");

        Assert.Single(_store.Inner.Written);
        Assert.False(change.IsCompleted);
        _ledger.Resume();
        Assert.Equal(BillingOutcome.Applied, await change);
    }

    [Fact]
    public async Task ApplyAsync_SameDeliveryTwice_IsAppliedOnce()
    {
        Assert.Equal(BillingOutcome.Applied, await _ingest.ApplyAsync(Change("evt_1", "c1")));

        Assert.Equal(BillingOutcome.Duplicate, await _ingest.ApplyAsync(Change("evt_1", "c1")));
        Assert.Single(_store.Inner.Written);
    }

    [Fact]
    public async Task ApplyAsync_SameDeliveryTwiceInOneBatch_IsAppliedOnce()
    {
        var outcomes = await AsOneBatchAsync(Change("evt_1", "c1"), Change("evt_1", "c1"));

        Assert.Equal([BillingOutcome.Applied, BillingOutcome.Duplicate], outcomes);
        Assert.Equal(["evt_first", "evt_1"], _ledger.Recorded);
        Assert.Single(_store.Inner.Written[1].Customers);
    }

    [Fact]
    public async Task ApplyAsync_NewerThenOlderChangeOfOneObjectInOneBatch_TheOlderIsStaleAndTheNewerStays()
    {
        var outcomes = await AsOneBatchAsync(Change("evt_new", "c1", At.AddMinutes(5), "Newer"), Change("evt_old", "c1", At, "Older"));

        Assert.Equal([BillingOutcome.Applied, BillingOutcome.Stale], outcomes);
        Assert.Equal(["Newer"], _store.Inner.Written[1].Customers.Select(customer => customer.Name));
        Assert.Equal(At.AddMinutes(5), _ledger.LastObjectTime("cus_c1"));
        Assert.Contains("evt_old", _ledger.Recorded);
    }

    [Fact]
    public async Task ApplyAsync_OlderThenNewerChangeOfOneObjectInOneBatch_BothAreAppliedAndTheNewerWins()
    {
        var outcomes = await AsOneBatchAsync(Change("evt_old", "c1", At, "Older"), Change("evt_new", "c1", At.AddMinutes(5), "Newer"));

        Assert.Equal([BillingOutcome.Applied, BillingOutcome.Applied], outcomes);
        Assert.Equal(["Newer"], _store.Inner.Written[1].Customers.Select(customer => customer.Name));
        Assert.Equal(At.AddMinutes(5), _ledger.LastObjectTime("cus_c1"));
    }

    [Fact]
    public async Task ApplyAsync_OlderChangeInABatchAfterTheNewerWasRecorded_IsStale()
    {
        await _ingest.ApplyAsync(Change("evt_new", "c1", At.AddMinutes(5), "Newer"));

        var outcomes = await AsOneBatchAsync(Change("evt_old", "c1", At, "Older"), Change("evt_2", "c2"));

        Assert.Equal([BillingOutcome.Stale, BillingOutcome.Applied], outcomes);
        Assert.DoesNotContain(_store.Inner.Written.SelectMany(batch => batch.Customers), customer => customer.Name == "Older");
    }

    [Fact]
    public async Task ApplyAsync_TwoSubscriptionsOfOneCustomerInOneBatch_AreSummedAsOneAfterTheOther()
    {
        await _ingest.ApplyAsync(Share("evt_a0", "c1", "sub_a", 100m, At.AddDays(-1)));

        var outcomes = await AsOneBatchAsync(Share("evt_b", "c1", "sub_b", 50m, At), Share("evt_a1", "c1", "sub_a", 120m, At.AddHours(1)));

        Assert.Equal([BillingOutcome.Applied, BillingOutcome.Applied], outcomes);
        Assert.Equal([150m, 170m], _store.Inner.Written[^1].Subscriptions.Select(change => change.Mrr));
        Assert.Equal([120m, 50m], _ledger.SharesOf("c1").Select(share => share.Mrr));
    }

    [Fact]
    public async Task ApplyAsync_OneChangeOfABatchIsRefusedByTheStore_OnlyItFailsAndTheOthersAreApplied()
    {
        _store.RefuseCustomer = "ACME";

        Assert.Equal(BillingOutcome.Applied, await _ingest.ApplyAsync(Change("evt_1", "c1")));
        _ledger.PauseNextDeliveryCheck();
        var held = _ingest.ApplyAsync(Change("evt_held", "c0"));
        Assert.True(_ledger.Paused.Wait(TimeSpan.FromMinutes(1)), "the held change never reached the ledger");
        var good = _ingest.ApplyAsync(Change("evt_2", "c2"));
        var bad = _ingest.ApplyAsync(Change("evt_3", "ACME"));
        var alsoGood = _ingest.ApplyAsync(Change("evt_4", "c4"));
        _ledger.Resume();

        Assert.Equal(BillingOutcome.Applied, await held);
        Assert.Equal(BillingOutcome.Applied, await good);
        Assert.Equal(BillingOutcome.Applied, await alsoGood);
        await Assert.ThrowsAsync<IdCollisionException>(() => bad);
        Assert.DoesNotContain("evt_3", _ledger.Recorded);
        Assert.Contains("evt_2", _ledger.Recorded);
        Assert.Contains("evt_4", _ledger.Recorded);
        // Once the store can take it, the sender's retry is applied as new.
        _store.RefuseCustomer = null;
        Assert.Equal(BillingOutcome.Applied, await _ingest.ApplyAsync(Change("evt_3", "ACME")));
    }

    [Fact]
    public async Task ApplyAsync_StoreCannotWrite_FailsEveryChangeOfTheBatchWithoutRetryingEachAndRecordsNothing()
    {
        _ledger.PauseNextDeliveryCheck();
        var held = _ingest.ApplyAsync(Change("evt_held", "c0"));
        Assert.True(_ledger.Paused.Wait(TimeSpan.FromMinutes(1)), "the held change never reached the ledger");
        _store.Inner.Failure = new StoreUnavailableException("No space left on device", null);
        var queued = new[] { _ingest.ApplyAsync(Change("evt_1", "c1")), _ingest.ApplyAsync(Change("evt_2", "c2")) };
        _ledger.Resume();

        await Assert.ThrowsAsync<StoreUnavailableException>(() => held);
        foreach (var change in queued) await Assert.ThrowsAsync<StoreUnavailableException>(() => change);
        Assert.Equal(2, _store.Attempts);
        Assert.Empty(_ledger.Recorded);
        _store.Inner.Failure = null;
        Assert.Equal(BillingOutcome.Applied, await _ingest.ApplyAsync(Change("evt_1", "c1")));
    }

    /// <summary>The recording store, refusing a batch with one customer the way the LiteDB store refuses an id differing from a stored one only in case.</summary>
    private sealed class RefusingStore : IGrowthStore
    {
        public RecordingGrowthStore Inner { get; } = new();

        public string? RefuseCustomer { get; set; }

        public int Attempts { get; private set; }

        public bool IsEmpty => Inner.IsEmpty;

        public long Generation => Inner.Generation;

        public StoreWriteResult Write(GrowthDataBatch batch, IProgress<int>? rowsWritten = null, StoreChanges? changes = null)
        {
            Attempts++;
            if (RefuseCustomer is { } refused && batch.Customers.Any(customer => customer.Id == refused))
            {
                throw new IdCollisionException("customer", refused, refused.ToLowerInvariant());
            }
            return Inner.Write(batch, rowsWritten, changes);
        }

        public void ReadAll(IGrowthDataSink sink) => Inner.ReadAll(sink);
    }

    /// <summary>An in-memory ledger whose next delivery check, or next record, can be held until the test lets it go.</summary>
    private sealed class PausingLedger : IBillingLedger, IDisposable
    {
        private readonly Dictionary<string, DateTimeOffset> _objects = new(StringComparer.Ordinal);
        private readonly Dictionary<string, SubscriptionShare> _shares = new(StringComparer.Ordinal);
        private readonly ManualResetEventSlim _resume = new(true);
        private bool _pauseNextCheck;
        private bool _pauseNextRecord;

        public ManualResetEventSlim Paused { get; } = new(false);

        public List<string> Recorded { get; } = [];

        /// <summary>How many deliveries each ledger transaction recorded.</summary>
        public List<int> Transactions { get; } = [];

        public void PauseNextDeliveryCheck()
        {
            Paused.Reset();
            _resume.Reset();
            _pauseNextCheck = true;
        }

        public void PauseNextRecord()
        {
            Paused.Reset();
            _resume.Reset();
            _pauseNextRecord = true;
        }

        public void Resume() => _resume.Set();

        public bool HasDelivery(string deliveryId)
        {
            if (_pauseNextCheck)
            {
                _pauseNextCheck = false;
                Paused.Set();
                _resume.Wait();
            }
            return Recorded.Contains(deliveryId);
        }

        public DateTimeOffset? LastObjectTime(string objectId) => _objects.TryGetValue(objectId, out var time) ? time : null;

        public IReadOnlyList<SubscriptionShare> SharesOf(string customerId) =>
            [.. _shares.Values.Where(share => share.CustomerId == customerId).OrderBy(share => share.SubscriptionId, StringComparer.Ordinal)];

        public bool Record(string deliveryId, string source, string objectId, DateTimeOffset objectTime, IReadOnlyList<SubscriptionShare> shares)
        {
            if (Recorded.Contains(deliveryId)) return false;
            Recorded.Add(deliveryId);
            _objects[objectId] = objectTime;
            foreach (var share in shares) _shares[share.SubscriptionId] = share;
            return true;
        }

        public void RecordAll(IReadOnlyList<BillingRecord> records)
        {
            if (_pauseNextRecord)
            {
                _pauseNextRecord = false;
                Paused.Set();
                _resume.Wait();
            }
            Transactions.Add(records.Count);
            foreach (var record in records) Record(record.DeliveryId, record.Source, record.ObjectId, record.ObjectTime, record.Shares);
        }

        public void Dispose()
        {
            _resume.Dispose();
            Paused.Dispose();
        }
    }
}
