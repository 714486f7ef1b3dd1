using GrowthBot.Core.Billing;
using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using GrowthBot.Core.Tests.Import;

namespace GrowthBot.Core.Tests.Billing;

/// <summary>
/// Changes are applied one at a time; a webhook request waiting for its turn must not hold a
/// thread (a burst of deliveries blocked on a lock starved the host of thread-pool threads).
/// </summary>
public sealed class BillingIngestTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly PausingLedger _ledger = new();
    private readonly RecordingGrowthStore _store = new();
    private readonly BillingIngest _ingest;

    public BillingIngestTests() => _ingest = new BillingIngest(new ImportService(_store), _ledger);

    public void Dispose()
    {
        _ledger.Dispose();
        _ingest.Dispose();
    }

    private static BillingChange Change(string delivery, string customer) =>
        new(delivery, "stripe", "cus_" + customer, At, At) { Customer = new Customer(customer, customer, "SMB", "organic", At.UtcDateTime, null) };

    [Fact]
    public async Task ApplyAsync_WhileAnotherChangeIsBeingApplied_WaitsWithoutHoldingTheCallersThread()
    {
        _ledger.PauseNextDeliveryCheck();
        var first = Task.Factory.StartNew(() => _ingest.Apply(Change("evt_1", "c1")), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(_ledger.Paused.Wait(TimeSpan.FromMinutes(1)), "the first change never reached the ledger");

        // Only a safety net: if ApplyAsync blocked its caller, this lets the first change finish so the test fails instead of hanging.
        using var safetyNet = new Timer(_ => _ledger.Resume(), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        var second = _ingest.ApplyAsync(Change("evt_2", "c2"));

        Assert.False(second.IsCompleted);
        _ledger.Resume();
        Assert.Equal(BillingOutcome.Applied, await first);
        Assert.Equal(BillingOutcome.Applied, await second);
        Assert.Equal(["evt_1", "evt_2"], _ledger.Recorded);
        Assert.Equal(["c1", "c2"], _store.Written.SelectMany(batch => batch.Customers).Select(customer => customer.Id));
    }

    [Fact]
    public async Task ApplyAsync_SameDeliveryTwice_IsAppliedOnce()
    {
        Assert.Equal(BillingOutcome.Applied, await _ingest.ApplyAsync(Change("evt_1", "c1")));

        Assert.Equal(BillingOutcome.Duplicate, await _ingest.ApplyAsync(Change("evt_1", "c1")));
        Assert.Single(_store.Written);
    }

    /// <summary>An in-memory ledger whose next delivery check can be held until the test lets it go.</summary>
    private sealed class PausingLedger : IBillingLedger, IDisposable
    {
        private readonly Dictionary<string, DateTimeOffset> _objects = new(StringComparer.Ordinal);
        private readonly ManualResetEventSlim _resume = new(true);
        private bool _pauseNext;

        public ManualResetEventSlim Paused { get; } = new(false);

        public List<string> Recorded { get; } = [];

        public void PauseNextDeliveryCheck()
        {
            _resume.Reset();
            _pauseNext = true;
        }

        public void Resume() => _resume.Set();

        public bool HasDelivery(string deliveryId)
        {
            if (_pauseNext)
            {
                _pauseNext = false;
                Paused.Set();
                _resume.Wait();
            }
            return Recorded.Contains(deliveryId);
        }

        public DateTimeOffset? LastObjectTime(string objectId) => _objects.TryGetValue(objectId, out var time) ? time : null;

        public IReadOnlyList<SubscriptionShare> SharesOf(string customerId) => [];

        public bool Record(string deliveryId, string source, string objectId, DateTimeOffset objectTime, IReadOnlyList<SubscriptionShare> shares)
        {
            if (Recorded.Contains(deliveryId)) return false;
            Recorded.Add(deliveryId);
            _objects[objectId] = objectTime;
            return true;
        }

        public void Dispose()
        {
            _resume.Dispose();
            Paused.Dispose();
        }
    }
}
