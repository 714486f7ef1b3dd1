using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Storage.Contract.Support;
using GrowthBot.Storage.Tests;
using static GrowthBot.Storage.Tests.Rows;

namespace GrowthBot.Storage.Contract.Contracts;

/// <summary>What a write reports beyond its counts: the changed rows, the versions they replaced, and the generation.</summary>
public abstract class StoreChangesContract(IStoreProvider provider) : StoreContract(provider)
{
    [Fact]
    public void Write_NewRows_AreAllChangedNoneReplaced()
    {
        using var store = Open();
        var changes = new StoreChanges();

        store.Growth.Write(Everything(), changes: changes);

        Assert.Equal(Everything().Count, changes.Changed.Count);
        Assert.Equal(0, changes.Replaced.Count);
    }

    [Fact]
    public void Write_SameRowsAgain_ChangesNothing()
    {
        using var store = Open();
        store.Growth.Write(Everything());
        var changes = new StoreChanges();

        store.Growth.Write(Everything(), changes: changes);

        Assert.Equal(0, changes.Changed.Count);
        Assert.Equal(0, changes.Replaced.Count);
    }

    [Fact]
    public void Write_ChangedRows_ReportTheNewAndTheReplacedVersions()
    {
        using var store = Open();
        store.Growth.Write(Everything());
        var order = Orders[0];
        var moved = order with { OrderedAt = order.OrderedAt.AddDays(3), Amount = order.Amount + 1 };
        var response = Responses[0] with { Score = Responses[0].Score == 10 ? 9 : 10 };
        var changes = new StoreChanges();

        store.Growth.Write(Batch(orders: [moved, Orders[1]], responses: [response]), changes: changes);

        Assert.Equal([moved], changes.Changed.Orders);
        Assert.Equal([order], changes.Replaced.Orders);
        Assert.Equal([response], changes.Changed.Responses);
        Assert.Equal([Responses[0]], changes.Replaced.Responses);
    }

    [Fact]
    public void Write_FailedBatch_ReportsNoChanges()
    {
        using var store = Open();
        var bad = Batch(customers: [Customers[0], Customers[1] with { Id = null! }]);
        var changes = new StoreChanges();

        Assert.ThrowsAny<Exception>(() => store.Growth.Write(bad, changes: changes));

        Assert.Equal(0, changes.Changed.Count);
    }

    [Fact]
    public void Generation_GrowsWithEveryChangingWriteOnly_AndSurvivesReopening()
    {
        long afterFirst;
        using (var store = Open())
        {
            Assert.Equal(0, store.Growth.Generation);
            store.Growth.Write(Everything());
            afterFirst = store.Growth.Generation;
            Assert.True(afterFirst > 0);
            store.Growth.Write(Everything());
            Assert.Equal(afterFirst, store.Growth.Generation);
            store.Growth.Write(Batch(orders: [Orders[0] with { Amount = Orders[0].Amount + 5 }]));
            Assert.Equal(afterFirst + 1, store.Growth.Generation);
        }

        using var reopened = Open();
        Assert.Equal(afterFirst + 1, reopened.Growth.Generation);
    }

    [Fact]
    public void Generation_IsNotMovedByABatchThatFailed()
    {
        using var store = Open();
        store.Growth.Write(Everything());
        var before = store.Growth.Generation;

        Assert.ThrowsAny<Exception>(() => store.Growth.Write(Batch(orders: [Orders[0] with { Amount = Orders[0].Amount + 5 }], customers: [Customers[1] with { Id = null! }])));

        Assert.Equal(before, store.Growth.Generation);
        store.Growth.Write(Batch(orders: [Orders[0] with { Amount = Orders[0].Amount + 7 }]));
        Assert.Equal(before + 1, store.Growth.Generation);
    }
}
