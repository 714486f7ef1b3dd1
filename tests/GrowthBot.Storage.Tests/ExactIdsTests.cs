using GrowthBot.Core.Import;
using GrowthBot.Core.Ports;

namespace GrowthBot.Storage.Tests;

/// <summary>
/// LiteDB compares strings ignoring case, so the store itself would merge <c>acme</c> and
/// <c>ACME</c>: ids are exact, and a collision with a stored id is refused with its line.
/// </summary>
public sealed class ExactIdsTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Rows refer to customers that must exist, so each test first stores the ones it uses.</summary>
    private static void StoreCustomers(IGrowthStore store, params string[] ids) =>
        Assert.True(Import(store, ImportKind.Customers, "customer_id,name,segment,acquisition_channel,signed_up_at,activated_at\n" +
            string.Concat(ids.Select(id => $"{id},{id},SMB,ads,2025-12-01,\n"))).Succeeded);

    private static ImportReport Import(IGrowthStore store, ImportKind kind, string csv)
    {
        using var reader = new StringReader(csv);
        return new ImportService(store).Import(kind, reader);
    }

    [Fact]
    public void Import_CustomerIdCollidingInCaseWithAStoredOne_IsRefusedWithItsLine_AndNothingIsWritten()
    {
        using var store = _temp.Open();
        StoreCustomers(store, "acme", "birch");
        Assert.True(Import(store, ImportKind.Subscriptions, "customer_id,date,mrr\nacme,2026-01-01,5000\n").Succeeded);

        var report = Import(store, ImportKind.Subscriptions, "customer_id,date,mrr\nbirch,2026-01-01,70\nACME,2026-01-01,100\n");

        var error = Assert.Single(report.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("customer id 'ACME' differs from 'acme', already in the store, only in case", error.Reason, StringComparison.Ordinal);
        var sink = new RecordingSink();
        store.ReadAll(sink);
        Assert.Equal([("acme", 5000m)], sink.Subscriptions.Select(change => (change.CustomerId, change.Mrr)));
    }

    [Fact]
    public void Import_OrderIdCollidingInCase_DoesNotOverwriteTheStoredOrder()
    {
        using var store = _temp.Open();
        StoreCustomers(store, "acme");
        Assert.True(Import(store, ImportKind.Orders, "order_id,customer_id,ordered_at,amount\no-1,acme,2026-01-01,10\n").Succeeded);

        var report = Import(store, ImportKind.Orders, "order_id,customer_id,ordered_at,amount\nO-1,acme,2026-01-02,20\n");

        Assert.Equal(2, Assert.Single(report.Errors).Line);
        var sink = new RecordingSink();
        store.ReadAll(sink);
        Assert.Equal(10m, Assert.Single(sink.Orders).Amount);
    }

    [Fact]
    public void Import_SpendIds_KeepEqualInvoicesApart_AndALaterFileAddsItsOwn()
    {
        using var store = _temp.Open();
        var header = "spend_id,date,channel,category,amount\n";
        Assert.True(Import(store, ImportKind.Spend, header + "inv-1,2026-01-05,tv,marketing,500\ninv-2,2026-01-05,tv,marketing,500\n").Succeeded);
        Assert.True(Import(store, ImportKind.Spend, header + "inv-3,2026-01-05,tv,marketing,500\n").Succeeded);

        var sink = new RecordingSink();
        store.ReadAll(sink);
        Assert.Equal(1_500m, sink.Spend.Sum(spend => spend.Amount));
        Assert.Equal(["inv-1", "inv-2", "inv-3"], sink.Spend.Select(spend => spend.Id).Order(StringComparer.Ordinal));
    }
}
