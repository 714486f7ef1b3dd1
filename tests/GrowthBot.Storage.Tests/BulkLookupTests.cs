using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;

namespace GrowthBot.Storage.Tests;

/// <summary>
/// A batch large against its collection looks its rows up in one scan instead of one query per
/// row. It must decide inserted, updated and unchanged exactly as the row-by-row lookup does,
/// including ids repeated in the batch and ids that differ from stored ones only in case.
/// </summary>
public sealed class BulkLookupTests : IDisposable
{
    private const int Rows = BulkLookup.MinimumRows + 500;
    private static readonly DateTime SignedUp = new(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private static GrowthDataBatch Customers(int count, Func<int, string> segment)
    {
        var batch = new GrowthDataBatch();
        for (var i = 0; i < count; i++) batch.Customers.Add(new Customer($"C-{i:D6}", $"Company {i}", segment(i), "organic", SignedUp.AddDays(i % 300), null));
        return batch;
    }

    [Fact]
    public void Write_LargeBatchOverTheStoredRows_CountsInsertedUpdatedAndUnchangedAsRowByRow()
    {
        using var store = _temp.Open();
        Assert.Equal(Rows, store.Write(Customers(Rows, _ => "SMB")).Inserted);

        // Every tenth customer changes segment, and 100 new ones arrive.
        var changes = new StoreChanges();
        var result = store.Write(Customers(Rows + 100, i => i % 10 == 0 ? "Enterprise" : "SMB"), changes: changes);

        Assert.Equal(new StoreWriteResult(100, (Rows + 9) / 10, Rows - ((Rows + 9) / 10)), result);
        Assert.Equal((Rows + 9) / 10, changes.Replaced.Customers.Count);
        Assert.All(changes.Replaced.Customers, customer => Assert.Equal("SMB", customer.Segment));
        var stored = new RecordingSink();
        store.ReadAll(stored);
        Assert.Equal(Rows + 100, stored.Customers.Count);
        Assert.Equal(Enumerable.Range(0, Rows + 100).Count(i => i % 10 == 0), stored.Customers.Count(customer => customer.Segment == "Enterprise"));
    }

    [Fact]
    public void Write_LargeBatchWithAnIdTwice_StoresItOnceWithTheLastValues()
    {
        using var store = _temp.Open();
        var batch = Customers(Rows, _ => "SMB");
        batch.Customers.Add(batch.Customers[7] with { Segment = "Enterprise" });

        var result = store.Write(batch);

        Assert.Equal(new StoreWriteResult(Rows, 1, 0), result);
        var stored = new RecordingSink();
        store.ReadAll(stored);
        Assert.Equal(Rows, stored.Customers.Count);
        Assert.Equal("Enterprise", stored.Customers.Single(customer => customer.Id == "C-000007").Segment);
    }

    [Fact]
    public void Write_LargeBatchWithAnIdDifferingOnlyInCaseFromAStoredOne_IsRefusedAndWritesNothing()
    {
        using var store = _temp.Open();
        store.Write(Customers(Rows, _ => "SMB"));
        var batch = Customers(Rows, _ => "Mid-Market");
        batch.Customers.Add(batch.Customers[3] with { Id = "c-000003" });

        var refused = Assert.Throws<IdCollisionException>(() => store.Write(batch));

        Assert.Equal("c-000003", refused.Id);
        var stored = new RecordingSink();
        store.ReadAll(stored);
        Assert.All(stored.Customers, customer => Assert.Equal("SMB", customer.Segment));
    }

    [Fact]
    public void Write_LargeSubscriptionsBatch_MergesIntoEachCustomersHistory()
    {
        using var store = _temp.Open();
        var first = new GrowthDataBatch();
        for (var i = 0; i < Rows; i++) first.Subscriptions.Add(new SubscriptionChange($"C-{i:D6}", SignedUp, 10m));
        store.Write(first);
        var second = new GrowthDataBatch();
        for (var i = 0; i < Rows; i++) second.Subscriptions.Add(new SubscriptionChange($"C-{i:D6}", SignedUp.AddMonths(1), i % 2 == 0 ? 20m : 10m));
        second.Subscriptions.Add(new SubscriptionChange("C-000001", SignedUp, 15m));

        var result = store.Write(second);

        Assert.Equal(new StoreWriteResult(Rows, 1, 0), result);
        var stored = new RecordingSink();
        store.ReadAll(stored);
        Assert.Equal(2 * Rows, stored.Subscriptions.Count);
        Assert.Equal(15m, stored.Subscriptions.Single(change => change.CustomerId == "C-000001" && change.At == SignedUp).Mrr);
    }

    [Fact]
    public void Write_LargeBatchWithAnIdTwiceDifferingInCase_IsRefusedNamingTheFirst()
    {
        using var store = _temp.Open();
        var batch = Customers(Rows, _ => "SMB");
        batch.Customers.Add(batch.Customers[7] with { Id = "c-000007" });

        var refused = Assert.Throws<IdCollisionException>(() => store.Write(batch));

        Assert.Equal("c-000007", refused.Id);
        Assert.Contains("'C-000007'", refused.Message, StringComparison.Ordinal);
        Assert.True(store.IsEmpty);
    }

    [Fact]
    public void Write_LargeOrdersBatchWithAnIdTwice_CountsTheRepeatAsUnchangedOrUpdatedAndPacksItOnce()
    {
        using var store = _temp.Open();
        var batch = new GrowthDataBatch();
        for (var i = 0; i < Rows; i++) batch.Orders.Add(new Order($"O-{i:D6}", $"C-{i % 1000:D6}", SignedUp.AddDays(i % 300), 10m));
        batch.Orders.Add(batch.Orders[11]);
        batch.Orders.Add(batch.Orders[12] with { CustomerId = "C-000999", Amount = 25m });
        var changes = new StoreChanges();

        var result = store.Write(batch, changes: changes);

        Assert.Equal(new StoreWriteResult(Rows, 1, 1), result);
        Assert.Equal(10m, Assert.Single(changes.Replaced.Orders).Amount);
        var stored = new RecordingSink();
        store.ReadAll(stored);
        Assert.Equal(Rows, stored.Orders.Count);
        Assert.Equal(new Order("O-000012", "C-000999", SignedUp.AddDays(12), 25m), stored.Orders.Single(order => order.Id == "O-000012"));
    }
}
