using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;

namespace GrowthBot.Storage.Tests;

/// <summary>
/// The store is read on a background thread while the sink takes the rows: the sink must still
/// be called from the caller's thread only, get every row, and a failure on either side must
/// surface without leaving the reader waiting.
/// </summary>
public sealed class PipelinedReadTests : IDisposable
{
    private static readonly DateTime At = new(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private static GrowthDataBatch ManyRows(int customers)
    {
        var batch = new GrowthDataBatch();
        for (var i = 0; i < customers; i++)
        {
            batch.Customers.Add(new Customer($"C-{i:D6}", $"Company {i}", "SMB", "organic", At, null));
            batch.Subscriptions.Add(new SubscriptionChange($"C-{i:D6}", At, 10m));
            batch.Subscriptions.Add(new SubscriptionChange($"C-{i:D6}", At.AddMonths(1), 20m));
            batch.Orders.Add(new Order($"O-{i:D6}", $"C-{i:D6}", At.AddDays(3), 5m));
        }
        return batch;
    }

    [Fact]
    public void ReadAll_ManyChunksOfRows_DeliversEveryRowOnTheCallersThread()
    {
        using var store = _temp.Open();
        store.Write(ManyRows(30_000));
        var sink = new ThreadCheckingSink(Environment.CurrentManagedThreadId);

        store.ReadAll(sink);

        Assert.Equal(30_000, sink.Rows.Customers.Count);
        Assert.Equal(60_000, sink.Rows.Subscriptions.Count);
        Assert.Equal(30_000, sink.Rows.Orders.Count);
        Assert.Equal(0, sink.CallsFromOtherThreads);
    }

    [Fact]
    public void ReadAll_SinkThrowsHalfway_ThrowsItsErrorAndTheStoreClosesAfterwards()
    {
        var store = _temp.Open();
        store.Write(ManyRows(30_000));
        var sink = new ThrowingSink(after: 20_000);

        var thrown = Assert.Throws<InvalidOperationException>(() => store.ReadAll(sink));

        Assert.Equal("sink full", thrown.Message);
        store.Dispose();
        using var reopened = _temp.Open();
        Assert.Equal(30_000, RecordingSink.ReadAll(reopened).Customers.Count);
    }

    [Fact]
    public void ReadAll_IdsOfMixedCase_DeliversEveryRowExactlyOnce()
    {
        using var store = _temp.Open();
        var batch = new GrowthDataBatch();
        for (var i = 0; i < 5_000; i++)
        {
            // Every other id upper case: the index orders them by LiteDB's collation, not ordinally.
            var id = (i % 2 == 0 ? "acme-" : "ZETA-") + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
            batch.Customers.Add(new Customer(id, $"Company {i}", "SMB", "organic", At, null));
            batch.Subscriptions.Add(new SubscriptionChange(id, At, 10m + i));
            batch.Tickets.Add(new Ticket($"T-{i}", id, At.AddDays(1), null, 1));
        }
        store.Write(batch);

        var read = RecordingSink.ReadAll(store);

        Assert.Equal(batch.Customers.OrderBy(c => c.Id, StringComparer.Ordinal), read.Customers.OrderBy(c => c.Id, StringComparer.Ordinal));
        Assert.Equal(batch.Subscriptions.OrderBy(s => s.CustomerId, StringComparer.Ordinal), read.Subscriptions.OrderBy(s => s.CustomerId, StringComparer.Ordinal));
        Assert.Equal(batch.Tickets.OrderBy(t => t.Id, StringComparer.Ordinal), read.Tickets.OrderBy(t => t.Id, StringComparer.Ordinal));
    }

    [Fact]
    public void ReadAll_ManyRowsOfEveryKind_DeliversCustomersAndSubscriptionsBeforeAnyOtherRow()
    {
        using var store = _temp.Open();
        store.Write(ManyRows(30_000));
        var sink = new KindOrderSink();

        store.ReadAll(sink);

        Assert.Equal(30_000, sink.Orders);
        Assert.Equal(0, sink.LateRows);
    }

    /// <summary>Counts customer and subscription rows that arrive after an order (the engine starts its revenue index at the first one).</summary>
    private sealed class KindOrderSink : IGrowthDataSink
    {
        public int Orders { get; private set; }
        public int LateRows { get; private set; }

        public void Add(Customer customer) => Early();
        public void Add(SubscriptionChange change) => Early();
        public void Add(Order order) => Orders++;
        public void Add(SpendEntry spend) { }
        public void Add(Ticket ticket) { }
        public void Add(SurveyResponse response) { }

        private void Early()
        {
            if (Orders > 0) LateRows++;
        }
    }

    private sealed class ThreadCheckingSink(int thread) : IGrowthDataSink
    {
        public RecordingSink Rows { get; } = new();
        public int CallsFromOtherThreads { get; private set; }

        public void Add(Customer customer) { Check(); Rows.Add(customer); }
        public void Add(SubscriptionChange change) { Check(); Rows.Add(change); }
        public void Add(Order order) { Check(); Rows.Add(order); }
        public void Add(SpendEntry spend) { Check(); Rows.Add(spend); }
        public void Add(Ticket ticket) { Check(); Rows.Add(ticket); }
        public void Add(SurveyResponse response) { Check(); Rows.Add(response); }

        private void Check()
        {
            if (Environment.CurrentManagedThreadId != thread) CallsFromOtherThreads++;
        }
    }

    private sealed class ThrowingSink(int after) : IGrowthDataSink
    {
        private int _rows;

        public void Add(Customer customer) => Step();
        public void Add(SubscriptionChange change) => Step();
        public void Add(Order order) => Step();
        public void Add(SpendEntry spend) => Step();
        public void Add(Ticket ticket) => Step();
        public void Add(SurveyResponse response) => Step();

        private void Step()
        {
            if (++_rows > after) throw new InvalidOperationException("sink full");
        }
    }
}
