using GrowthBot.Core.Data;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using static GrowthBot.Storage.Tests.Rows;

namespace GrowthBot.Storage.Tests.Layout;

/// <summary>Opening a store of layout 1 converts it once, all or nothing; a store of a newer layout is refused.</summary>
public sealed class LayoutMigrationTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private void WriteLayoutOneStore()
    {
        using (var store = _temp.Open()) store.Write(Everything());
        OldLayout.Downgrade(_temp.FilePath);
        Assert.Equal(1, OldLayout.LayoutOf(_temp.FilePath));
        Assert.Equal(0, OldLayout.PackedDocuments(_temp.FilePath));
    }

    [Fact]
    public void Open_NewStore_IsOfTheCurrentLayout_WithNothingToConvert()
    {
        using (var store = _temp.Open()) Assert.Equal(0, store.Migration?.Rows ?? 0);

        Assert.Equal(StoreLayout.Current, OldLayout.LayoutOf(_temp.FilePath));
        using var again = _temp.Open();
        Assert.Null(again.Migration);
    }

    [Fact]
    public void Open_LayoutOneStore_ConvertsItOnce_AndReadsEveryRowAsBefore()
    {
        WriteLayoutOneStore();

        using (var store = _temp.Open())
        {
            var migration = Assert.IsType<StoreLayoutMigration>(store.Migration);
            Assert.Equal((1, 2), (migration.FromLayout, migration.ToLayout));
            Assert.Equal(Orders.Length + Tickets.Length + Responses.Length, migration.Rows);
            // c1, c2 have orders; c1, c2, c3 tickets; c1, c2, c3 responses.
            Assert.Equal(8, migration.CustomerDocuments);
            AssertEverything(RecordingSink.ReadAll(store));
        }
        Assert.Equal(StoreLayout.Current, OldLayout.LayoutOf(_temp.FilePath));
        using var again = _temp.Open();
        Assert.Null(again.Migration);
        AssertEverything(RecordingSink.ReadAll(again));
    }

    [Fact]
    public void Open_LayoutOneStore_LogsTheConversionAndItsTime()
    {
        WriteLayoutOneStore();
        var logger = new RecordingLogger();

        using (new LiteGrowthStore(new StorageOptions { Path = _temp.FilePath }, time: null, logger)) { }

        var lines = logger.Lines;
        Assert.Contains(lines, line => line.StartsWith($"Converting the store {_temp.FilePath} from layout 1 to layout 2", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith($"Converted the store {_temp.FilePath} to layout 2 in ", StringComparison.Ordinal)
            && line.EndsWith("ms: 11 rows packed into 8 customer documents", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("order")]
    [InlineData("ticket")]
    [InlineData("response")]
    public void Open_ConversionInterruptedHalfWay_LeavesTheStoreAsItWas_AndTheNextOpenConvertsIt(string interruptedAfter)
    {
        WriteLayoutOneStore();

        using (var database = new LiteDatabase(new ConnectionString { Filename = _temp.FilePath }))
        {
            var failure = Assert.Throws<IOException>(() => StoreLayout.Prepare(database, _temp.FilePath, NullLogger.Instance,
                kind => { if (kind.What == interruptedAfter) throw new IOException("interrupted"); }));
            Assert.Equal("interrupted", failure.Message);
        }

        Assert.Equal(1, OldLayout.LayoutOf(_temp.FilePath));
        Assert.Equal(0, OldLayout.PackedDocuments(_temp.FilePath));
        using var store = _temp.Open();
        Assert.Equal(Orders.Length + Tickets.Length + Responses.Length, Assert.IsType<StoreLayoutMigration>(store.Migration).Rows);
        AssertEverything(RecordingSink.ReadAll(store));
    }

    [Fact]
    public void Open_StoreWrittenByAnOlderVersionAfterItsConversion_IsPackedAgain()
    {
        using (var store = _temp.Open()) store.Write(Everything());
        // What a version before layout 2 does when it writes an order: the per-row document and the generation, no packed copy.
        var late = new Order("o9", "c3", At(3, 1), 5m);
        using (var database = new LiteDatabase(new ConnectionString { Filename = _temp.FilePath }))
        {
            database.GetCollection(LiteGrowthStore.OrdersCollection).Insert(BsonRows.From(late));
            var meta = database.GetCollection(LiteGrowthStore.MetaCollection);
            meta.Upsert(new BsonDocument { ["_id"] = LiteGrowthStore.GenerationKey, ["value"] = meta.FindById(LiteGrowthStore.GenerationKey)["value"].AsInt64 + 1 });
        }
        var logger = new RecordingLogger();

        using (var store = new LiteGrowthStore(new StorageOptions { Path = _temp.FilePath }, time: null, logger))
        {
            Assert.Equal(Orders.Length + 1 + Tickets.Length + Responses.Length, Assert.IsType<StoreLayoutMigration>(store.Migration).Rows);
            Assert.Contains(late, RecordingSink.ReadAll(store).Orders);
        }
        Assert.Contains(logger.Lines, line => line.Contains("was written by a version before layout 2 since it was converted", StringComparison.Ordinal));
        using var again = _temp.Open();
        Assert.Null(again.Migration);
    }

    [Fact]
    public void Open_AfterWritesOfThisVersion_HasNothingToPack()
    {
        using (var store = _temp.Open())
        {
            store.Write(Everything());
            store.Write(Batch(orders: [Orders[0] with { Amount = 1m }]));
        }

        using var reopened = _temp.Open();
        Assert.Null(reopened.Migration);
    }

    [Fact]
    public void Open_StoreOfANewerLayout_IsRefusedClearly_AndLeftUntouched()
    {
        using (var store = _temp.Open()) store.Write(Everything());
        OldLayout.SetLayout(_temp.FilePath, StoreLayout.Current + 1);

        var refused = Assert.Throws<StoreOpenException>(_temp.Open);

        Assert.Equal(StoreProblem.NewerLayout, refused.Problem);
        Assert.Contains("was written by a newer version of GrowthBot", refused.Message, StringComparison.Ordinal);
        Assert.Contains("left untouched", refused.Message, StringComparison.Ordinal);
        Assert.Equal(StoreLayout.Current + 1, OldLayout.LayoutOf(_temp.FilePath));
        // The refusal released the file: another process (or this one, later) can open it.
        OldLayout.SetLayout(_temp.FilePath, StoreLayout.Current);
        using var reopened = _temp.Open();
        AssertEverything(RecordingSink.ReadAll(reopened));
    }

    [Fact]
    public void Open_LayoutOneStoreWithCustomersDifferingOnlyInCase_IsRefusedAndLeftAsItWas()
    {
        WriteLayoutOneStore();
        using (var database = new LiteDatabase(new ConnectionString { Filename = _temp.FilePath }))
        {
            database.GetCollection(LiteGrowthStore.OrdersCollection).Insert(BsonRows.From(new Order("o9", "C1", At(3, 1), 5m)));
        }

        var refused = Assert.Throws<StoreOpenException>(_temp.Open);

        Assert.Contains("'c1' and 'C1'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, OldLayout.LayoutOf(_temp.FilePath));
        Assert.Equal(0, OldLayout.PackedDocuments(_temp.FilePath));
    }

    private static void AssertEverything(RecordingSink sink)
    {
        Assert.Equal(OldLayout.Sorted(Orders, order => order.Id), OldLayout.Sorted(sink.Orders, order => order.Id));
        Assert.Equal(OldLayout.Sorted(Tickets, ticket => ticket.Id), OldLayout.Sorted(sink.Tickets, ticket => ticket.Id));
        Assert.Equal(OldLayout.Sorted(Responses, response => response.Id), OldLayout.Sorted(sink.Responses, response => response.Id));
        Assert.Equal(Customers.Length, sink.Customers.Count);
        Assert.Equal(Subscriptions.Length, sink.Subscriptions.Count);
        Assert.Equal(Spend.Length, sink.Spend.Count);
    }
}
