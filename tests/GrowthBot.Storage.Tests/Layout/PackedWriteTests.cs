using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using LiteDB;
using static GrowthBot.Storage.Tests.Rows;

namespace GrowthBot.Storage.Tests.Layout;

/// <summary>Writes keep each customer's packed document exactly their rows, in the batch's one transaction.</summary>
public sealed class PackedWriteTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private static BsonDocument? PackedOf(LiteGrowthStore store, PackedRows kind, string customerId) =>
        store.Database.GetCollection(kind.PackedCollection).FindById(customerId);

    private static List<string> IdsIn(BsonDocument? packed) => packed is null ? [] : packed["i"].AsArray.Select(id => id.AsString).ToList();

    [Fact]
    public void Write_OrderMovedToAnotherCustomer_LeavesTheFirstOnesDocument_AndTheLastOneDeletesIt()
    {
        using var store = _temp.Open();
        store.Write(Everything());

        store.Write(Batch(orders: [Orders[0] with { CustomerId = "c3" }]));

        // o1 was c1's only order: c1 has no orders document any more; c3 has one with o1.
        Assert.Null(PackedOf(store, PackedRows.Orders, "c1"));
        Assert.Equal(["o1"], IdsIn(PackedOf(store, PackedRows.Orders, "c3")));
        Assert.Equal(["o2", "o3"], IdsIn(PackedOf(store, PackedRows.Orders, "c2")));
    }

    [Fact]
    public void Write_ReplacedTicket_IsReplacedInPlace_InItsCustomersDocument()
    {
        using var store = _temp.Open();
        store.Write(Everything());
        var reopened = Tickets[0] with { ResolvedAt = null, Contacts = 3 };

        var result = store.Write(Batch(tickets: [reopened]));

        Assert.Equal(new StoreWriteResult(0, 1, 0), result);
        var packed = PackedOf(store, PackedRows.Tickets, "c1");
        Assert.Equal(["t1", "t2"], IdsIn(packed));
        Assert.True(packed!["resolved_at"].AsArray[0].IsNull);
        Assert.Equal(3, packed["contacts"].AsArray[0].AsInt32);
        Assert.Contains(reopened, RecordingSink.ReadAll(store).Tickets);
    }

    [Fact]
    public void Write_SameBatchAgain_ChangesNoPackedDocument()
    {
        using var store = _temp.Open();
        store.Write(Everything());
        var before = PackedRows.All.SelectMany(kind => store.Database.GetCollection(kind.PackedCollection).FindAll()).ToList();

        var result = store.Write(Everything());

        Assert.Equal(0, result.Inserted + result.Updated);
        var after = PackedRows.All.SelectMany(kind => store.Database.GetCollection(kind.PackedCollection).FindAll()).ToList();
        Assert.Equal(before, after);
    }

    [Fact]
    public void Write_BatchRefusedOnItsLastRow_LeavesNoPackedDocumentChanged()
    {
        using var store = _temp.Open();
        store.Write(Everything());
        var before = RecordingSink.ReadAll(store);

        // The new response and the moved order come first; the ticket id colliding in case with t1 fails the batch.
        Assert.Throws<IdCollisionException>(() => store.Write(Batch(
            orders: [Orders[1] with { CustomerId = "c1" }],
            responses: [new SurveyResponse("r9", SurveyKind.Nps, "c3", 9, null, At(3, 1))],
            tickets: [new Ticket("T1", "c2", At(3, 1), null, 1)])));

        var after = RecordingSink.ReadAll(store);
        Assert.Equal(RecordingSink.Sorted(before.Orders), RecordingSink.Sorted(after.Orders));
        Assert.Equal(RecordingSink.Sorted(before.Tickets), RecordingSink.Sorted(after.Tickets));
        Assert.Equal(RecordingSink.Sorted(before.Responses), RecordingSink.Sorted(after.Responses));
        Assert.Equal(["o1"], IdsIn(PackedOf(store, PackedRows.Orders, "c1")));
    }

    [Fact]
    public void Write_LargeImport_PackedThroughTheBulkLookup_ReadsBackEveryRow()
    {
        using var store = _temp.Open();
        var customers = Enumerable.Range(0, 500).Select(i => new Customer($"c{i}", $"c{i}", "smb", "ads", At(1, 1), null)).ToList();
        var orders = Enumerable.Range(0, BulkLookup.MinimumRows + 10).Select(i => new Order($"o{i}", $"c{i % 500}", At(1 + i % 3, 1 + i % 28), i)).ToList();
        store.Write(Batch(customers: customers, orders: orders));

        // Again with every tenth order moved to the next customer: the bulk path finds and moves them.
        var moved = orders.Select((order, i) => i % 10 == 0 ? order with { CustomerId = $"c{(i + 1) % 500}" } : order).ToList();
        var result = store.Write(Batch(orders: moved));

        var movedCount = (moved.Count + 9) / 10;
        Assert.Equal(new StoreWriteResult(0, movedCount, moved.Count - movedCount), result);
        Assert.Equal(OldLayout.Sorted(moved, order => order.Id), OldLayout.Sorted(RecordingSink.ReadAll(store).Orders, order => order.Id));
    }
}
