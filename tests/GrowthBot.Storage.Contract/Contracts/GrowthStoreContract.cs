using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;
using GrowthBot.Storage.Contract.Support;
using GrowthBot.Storage.Tests;
using static GrowthBot.Storage.Tests.Rows;

namespace GrowthBot.Storage.Contract.Contracts;

public abstract class GrowthStoreContract(IStoreProvider provider) : StoreContract(provider)
{
    private static void AssertSameRows<T>(IEnumerable<T> expected, IEnumerable<T> actual, Func<T, string> key) =>
        Assert.Equal(expected.OrderBy(key, StringComparer.Ordinal), actual.OrderBy(key, StringComparer.Ordinal));

    private static void AssertAllUtc(RecordingSink stored)
    {
        var dates = stored.Customers.SelectMany(c => new[] { (DateTime?)c.SignedUpAt, c.ActivatedAt })
            .Concat(stored.Subscriptions.Select(s => (DateTime?)s.At))
            .Concat(stored.Orders.Select(o => (DateTime?)o.OrderedAt))
            .Concat(stored.Spend.Select(s => (DateTime?)s.Date))
            .Concat(stored.Tickets.SelectMany(t => new[] { (DateTime?)t.OpenedAt, t.ResolvedAt }))
            .Concat(stored.Responses.Select(r => (DateTime?)r.RespondedAt))
            .OfType<DateTime>()
            .ToList();
        Assert.NotEmpty(dates);
        Assert.All(dates, date => Assert.Equal(DateTimeKind.Utc, date.Kind));
    }

    private static string SubscriptionKey(SubscriptionChange change) => $"{change.CustomerId}|{change.At:O}";

    private static string SpendKey(SpendEntry spend) => $"{spend.Date:O}|{spend.Channel}|{spend.Category}";

    // ---- Round trip --------------------------------------------------------------------------

    [Fact]
    public void ReadAll_AfterWrite_ReturnsEveryRowExactly()
    {
        using var store = Open();

        store.Growth.Write(Everything());
        var stored = RecordingSink.ReadAll(store.Growth);

        AssertSameRows(Customers, stored.Customers, c => c.Id);
        AssertSameRows(Subscriptions, stored.Subscriptions, SubscriptionKey);
        AssertSameRows(Orders, stored.Orders, o => o.Id);
        AssertSameRows(Spend, stored.Spend, SpendKey);
        AssertSameRows(Tickets, stored.Tickets, t => t.Id);
        AssertSameRows(Responses, stored.Responses, r => r.Id);
    }

    [Fact]
    public void ReadAll_AfterWrite_ReturnsDatesAsUtcWithTheSameInstant()
    {
        using var store = Open();

        store.Growth.Write(Everything());
        var stored = RecordingSink.ReadAll(store.Growth);

        AssertAllUtc(stored);
        var acme = Assert.Single(stored.Customers, c => c.Id == "c1");
        Assert.Equal(new DateTimeOffset(2025, 1, 5, 9, 30, 15, TimeSpan.Zero), new DateTimeOffset(acme.SignedUpAt));
        Assert.Equal(new DateTimeOffset(2025, 1, 7, 14, 0, 0, TimeSpan.Zero), new DateTimeOffset(acme.ActivatedAt!.Value));
    }

    [Fact]
    public void ReadAll_AfterWrite_KeepsMilliseconds()
    {
        using var store = Open();
        var at = new DateTime(2025, 4, 1, 8, 0, 0, 123, DateTimeKind.Utc);

        store.Growth.Write(Batch(responses: [new("r1", SurveyKind.Csat, "c1", 4, null, at)]));

        Assert.Equal(at, Assert.Single(RecordingSink.ReadAll(store.Growth).Responses).RespondedAt);
    }

    [Fact]
    public void ReadAll_OptionalFields_ComeBackNullWhenUnsetAndSetWhenSet()
    {
        using var store = Open();

        store.Growth.Write(Everything());
        var stored = RecordingSink.ReadAll(store.Growth);

        Assert.Null(stored.Customers.Single(c => c.Id == "c2").ActivatedAt);
        Assert.NotNull(stored.Customers.Single(c => c.Id == "c1").ActivatedAt);
        Assert.Null(stored.Tickets.Single(t => t.Id == "t3").ResolvedAt);
        Assert.NotNull(stored.Tickets.Single(t => t.Id == "t1").ResolvedAt);
        Assert.Null(stored.Responses.Single(r => r.Id == "r2").Comment);
        Assert.Equal("Great, fast support\nand a \"real\" person", stored.Responses.Single(r => r.Id == "r1").Comment);
    }

    [Fact]
    public void Write_NewRows_ReportsEveryRowInserted()
    {
        using var store = Open();
        var batch = Everything();

        var result = store.Growth.Write(batch);

        Assert.Equal(new StoreWriteResult(batch.Count, 0, 0), result);
    }

    [Fact]
    public void Write_EmptyBatch_ChangesNothing()
    {
        using var store = Open();

        var result = store.Growth.Write(new GrowthDataBatch());

        Assert.Equal(StoreWriteResult.None, result);
        Assert.Equal(0, RecordingSink.ReadAll(store.Growth).Count);
    }

    [Fact]
    public void Write_WithProgress_ReportsTheRowCountAtTheEnd()
    {
        using var store = Open();
        var reported = new List<int>();
        var batch = Everything();

        store.Growth.Write(batch, new ListProgress(reported));

        Assert.Equal(batch.Count, reported[^1]);
    }

    // ---- Upsert ------------------------------------------------------------------------------

    [Fact]
    public void Write_SameBatchTwice_ReportsAllUnchanged()
    {
        using var store = Open();
        store.Growth.Write(Everything());

        var result = store.Growth.Write(Everything());

        Assert.Equal(new StoreWriteResult(0, 0, Everything().Count), result);
    }

    [Fact]
    public void ReadAll_AfterSameBatchTwice_HasNoDuplicates()
    {
        using var store = Open();
        store.Growth.Write(Everything());
        store.Growth.Write(Everything());

        var stored = RecordingSink.ReadAll(store.Growth);

        Assert.Equal(Everything().Count, stored.Count);
        AssertSameRows(Subscriptions, stored.Subscriptions, SubscriptionKey);
        AssertSameRows(Spend, stored.Spend, SpendKey);
    }

    [Fact]
    public void Write_ChangedCustomer_ReportsUpdatedAndStoresTheNewVersion()
    {
        using var store = Open();
        store.Growth.Write(Everything());
        var renamed = Customers[1] with { Name = "Björk & Søn AB", ActivatedAt = At(2, 9) };

        var result = store.Growth.Write(Batch(customers: [Customers[0], renamed]));

        Assert.Equal(new StoreWriteResult(0, 1, 1), result);
        var stored = RecordingSink.ReadAll(store.Growth);
        Assert.Equal(renamed, stored.Customers.Single(c => c.Id == "c2"));
        Assert.Equal(Customers.Length, stored.Customers.Count);
    }

    [Fact]
    public void Write_ChangedRowOfEachKind_ReportsEachUpdated()
    {
        using var store = Open();
        store.Growth.Write(Everything());

        var result = store.Growth.Write(Batch(
            customers: [Customers[0] with { Segment = "mid-market" }],
            subscriptions: [Subscriptions[0] with { Mrr = 599m }],
            orders: [Orders[0] with { Amount = 1200.26m }],
            spend: [Spend[0] with { Amount = 9_000m }],
            tickets: [Tickets[2] with { ResolvedAt = At(2, 15), Contacts = 1 }],
            responses: [Responses[1] with { Comment = "Too slow" }]));

        Assert.Equal(new StoreWriteResult(0, 6, 0), result);
        var stored = RecordingSink.ReadAll(store.Growth);
        Assert.Equal(Everything().Count, stored.Count);
        Assert.Equal("mid-market", stored.Customers.Single(c => c.Id == "c1").Segment);
        Assert.Equal(599m, stored.Subscriptions.Single(s => s.CustomerId == "c1" && s.At == At(1, 7)).Mrr);
        Assert.Equal(1200.26m, stored.Orders.Single(o => o.Id == "o1").Amount);
        Assert.Equal(9_000m, stored.Spend.Single(s => s.Date == At(1, 1) && s.Channel == "paid-search" && s.Category == SpendCategory.Marketing).Amount);
        Assert.Equal(At(2, 15), stored.Tickets.Single(t => t.Id == "t3").ResolvedAt);
        Assert.Equal("Too slow", stored.Responses.Single(r => r.Id == "r2").Comment);
    }

    [Fact]
    public void Write_OptionalFieldCleared_ReportsUpdatedAndStoresNull()
    {
        using var store = Open();
        store.Growth.Write(Everything());

        var result = store.Growth.Write(Batch(
            customers: [Customers[0] with { ActivatedAt = null }],
            responses: [Responses[0] with { Comment = null }]));

        Assert.Equal(new StoreWriteResult(0, 2, 0), result);
        var stored = RecordingSink.ReadAll(store.Growth);
        Assert.Null(stored.Customers.Single(c => c.Id == "c1").ActivatedAt);
        Assert.Null(stored.Responses.Single(r => r.Id == "r1").Comment);
    }

    [Fact]
    public void Write_MixOfNewChangedAndSameRows_CountsEachOnce()
    {
        using var store = Open();
        store.Growth.Write(Batch(orders: Orders));

        var result = store.Growth.Write(Batch(orders:
        [
            Orders[0],
            Orders[1] with { Amount = 5m },
            new Order("o4", "c3", At(3, 15), 75m),
            new Order("o5", "c3", At(3, 16), 80m),
        ]));

        Assert.Equal(new StoreWriteResult(2, 1, 1), result);
        Assert.Equal(5, RecordingSink.ReadAll(store.Growth).Orders.Count);
    }

    [Fact]
    public void Write_SpendSameDayAndChannelOtherCategory_IsANewRow()
    {
        using var store = Open();
        store.Growth.Write(Batch(spend: [new(At(1, 1), "paid-search", SpendCategory.Marketing, 100m)]));

        var result = store.Growth.Write(Batch(spend:
        [
            new(At(1, 1), "paid-search", SpendCategory.Onboarding, 100m),
            new(At(1, 2), "paid-search", SpendCategory.Marketing, 100m),
            new(At(1, 1), "referral", SpendCategory.Marketing, 100m),
        ]));

        Assert.Equal(new StoreWriteResult(3, 0, 0), result);
        Assert.Equal(4, RecordingSink.ReadAll(store.Growth).Spend.Count);
    }

    [Fact]
    public void Write_SameRowTwiceInOneBatch_StoresOneAndCountsTheSecondUnchanged()
    {
        using var store = Open();

        var result = store.Growth.Write(Batch(customers: [Customers[0], Customers[0]], subscriptions: [Subscriptions[0], Subscriptions[0]]));

        Assert.Equal(new StoreWriteResult(2, 0, 2), result);
        var stored = RecordingSink.ReadAll(store.Growth);
        Assert.Single(stored.Customers);
        Assert.Single(stored.Subscriptions);
    }

    [Fact]
    public void Write_SameKeyTwiceInOneBatchWithOtherValues_KeepsTheLast()
    {
        using var store = Open();

        var result = store.Growth.Write(Batch(orders: [Orders[0], Orders[0] with { Amount = 1m }], subscriptions: [new("c1", At(1, 1), 10m), new("c1", At(1, 1), 20m)]));

        Assert.Equal(new StoreWriteResult(2, 2, 0), result);
        var stored = RecordingSink.ReadAll(store.Growth);
        Assert.Equal(1m, Assert.Single(stored.Orders).Amount);
        Assert.Equal(20m, Assert.Single(stored.Subscriptions).Mrr);
    }

    // ---- Subscriptions: (customer, date) is the key ------------------------------------------

    [Fact]
    public void Write_SubscriptionsForOneCustomerAcrossBatches_MergeIntoOneHistory()
    {
        using var store = Open();
        store.Growth.Write(Batch(subscriptions: [new("c1", At(1, 1), 100m), new("c1", At(3, 1), 300m)]));

        var result = store.Growth.Write(Batch(subscriptions: [new("c1", At(2, 1), 200m), new("c2", At(2, 1), 50m)]));

        Assert.Equal(new StoreWriteResult(2, 0, 0), result);
        var stored = RecordingSink.ReadAll(store.Growth).Subscriptions;
        Assert.Equal(
            new SubscriptionChange[] { new("c1", At(1, 1), 100m), new("c1", At(2, 1), 200m), new("c1", At(3, 1), 300m), new("c2", At(2, 1), 50m) },
            stored.OrderBy(SubscriptionKey, StringComparer.Ordinal));
    }

    [Fact]
    public void Write_SubscriptionAtAnExistingCustomerAndDate_ReplacesItsMrr()
    {
        using var store = Open();
        store.Growth.Write(Batch(subscriptions: [new("c1", At(1, 1), 100m), new("c1", At(2, 1), 200m)]));

        var result = store.Growth.Write(Batch(subscriptions: [new("c1", At(1, 1), 100m), new("c1", At(2, 1), 250m)]));

        Assert.Equal(new StoreWriteResult(0, 1, 1), result);
        var stored = RecordingSink.ReadAll(store.Growth).Subscriptions;
        Assert.Equal(2, stored.Count);
        Assert.Equal(250m, stored.Single(s => s.At == At(2, 1)).Mrr);
    }

    [Fact]
    public void Write_SubscriptionSameDayOtherTime_IsANewRow()
    {
        using var store = Open();
        store.Growth.Write(Batch(subscriptions: [new("c1", At(1, 1), 100m)]));

        var result = store.Growth.Write(Batch(subscriptions: [new("c1", At(1, 1, 12, 0, 0), 100m)]));

        Assert.Equal(new StoreWriteResult(1, 0, 0), result);
        Assert.Equal(2, RecordingSink.ReadAll(store.Growth).Subscriptions.Count);
    }

    [Fact]
    public void Write_SubscriptionsOutOfDateOrder_ReadBackComplete()
    {
        using var store = Open();

        store.Growth.Write(Batch(subscriptions: [new("c1", At(3, 1), 300m), new("c1", At(1, 1), 100m), new("c1", At(2, 1), 200m)]));

        Assert.Equal(
            [At(1, 1), At(2, 1), At(3, 1)],
            RecordingSink.ReadAll(store.Growth).Subscriptions.Select(s => s.At).Order());
    }

    // ---- One transaction per batch -----------------------------------------------------------

    [Fact]
    public void Write_BatchThatFailsHalfWay_LeavesNothingWritten()
    {
        using var store = Open();
        var batch = Everything();
        // A row without an id cannot be stored, so the store throws on the last response, after
        // every customer, subscription, order, spend entry and ticket went into the transaction.
        batch.Responses.Add(new SurveyResponse(null!, SurveyKind.Nps, "c1", 9, null, At(4, 1)));

        Assert.ThrowsAny<ArgumentException>(() => store.Growth.Write(batch));

        Assert.Equal(0, RecordingSink.ReadAll(store.Growth).Count);
        Assert.True(store.Growth.IsEmpty);
    }

    [Fact]
    public void Write_BatchThatFailsHalfWay_KeepsEarlierRowsAsTheyWere()
    {
        using var store = Open();
        store.Growth.Write(Everything());
        var batch = Batch(
            customers: [Customers[0] with { Name = "Renamed" }, new("c9", "New", "smb", "organic", At(4, 1), null)],
            subscriptions: [new("c1", At(1, 7), 1m), new("c9", At(4, 1), 10m)]);
        batch.Orders.Add(new Order(null!, "c9", At(4, 2), 10m));

        Assert.ThrowsAny<ArgumentException>(() => store.Growth.Write(batch));

        var stored = RecordingSink.ReadAll(store.Growth);
        AssertSameRows(Customers, stored.Customers, c => c.Id);
        AssertSameRows(Subscriptions, stored.Subscriptions, SubscriptionKey);
        Assert.Equal(Everything().Count, stored.Count);
    }

    [Fact]
    public void Write_AfterAFailedBatch_StillWorks()
    {
        using var store = Open();
        var bad = Batch(customers: Customers);
        bad.Customers.Add(Customers[0] with { Id = null! });
        Assert.ThrowsAny<ArgumentException>(() => store.Growth.Write(bad));

        var result = store.Growth.Write(Batch(customers: Customers));

        Assert.Equal(new StoreWriteResult(Customers.Length, 0, 0), result);
        Assert.Equal(Customers.Length, RecordingSink.ReadAll(store.Growth).Customers.Count);
    }

    [Fact]
    public void Reopen_AfterAFailedBatch_FindsNothingOfIt()
    {
        using (var store = Open())
        {
            store.Growth.Write(Batch(orders: [Orders[0]]));
            var bad = Batch(orders: [Orders[1], Orders[2] with { Id = null! }]);
            Assert.ThrowsAny<ArgumentException>(() => store.Growth.Write(bad));
        }

        using var reopened = Open();

        Assert.Equal([Orders[0]], RecordingSink.ReadAll(reopened.Growth).Orders);
    }

    // ---- IsEmpty, durability, folders --------------------------------------------------------

    [Fact]
    public void IsEmpty_NewStore_IsTrue()
    {
        using var store = Open();

        Assert.True(store.Growth.IsEmpty);
    }

    [Fact]
    public void IsEmpty_AfterWritingCustomers_IsFalse()
    {
        using var store = Open();

        store.Growth.Write(Batch(customers: [Customers[0]]));

        Assert.False(store.Growth.IsEmpty);
    }

    [Fact]
    public void IsEmpty_AfterWritingSubscriptionsOnly_IsFalse()
    {
        using var store = Open();

        store.Growth.Write(Batch(subscriptions: [Subscriptions[0]]));

        Assert.False(store.Growth.IsEmpty);
    }

    [Fact]
    public void IsEmpty_AfterWritingResponsesOnly_IsFalse()
    {
        using var store = Open();

        store.Growth.Write(Batch(responses: [Responses[0]]));

        Assert.False(store.Growth.IsEmpty);
    }

    [Fact]
    public void IsEmpty_WithOnlyOrdersSpendAndTickets_IsTrue()
    {
        using var store = Open();

        store.Growth.Write(Batch(orders: Orders, spend: Spend, tickets: Tickets));

        Assert.True(store.Growth.IsEmpty);
    }

    [Fact]
    public void Reopen_AfterDispose_FindsEveryRow()
    {
        using (var store = Open())
        {
            store.Growth.Write(Everything());
        }

        using var reopened = Open();
        var stored = RecordingSink.ReadAll(reopened.Growth);

        Assert.False(reopened.Growth.IsEmpty);
        AssertSameRows(Customers, stored.Customers, c => c.Id);
        AssertSameRows(Subscriptions, stored.Subscriptions, SubscriptionKey);
        AssertSameRows(Orders, stored.Orders, o => o.Id);
        AssertSameRows(Spend, stored.Spend, SpendKey);
        AssertSameRows(Tickets, stored.Tickets, t => t.Id);
        AssertSameRows(Responses, stored.Responses, r => r.Id);
        AssertAllUtc(stored);
    }

    [Fact]
    public void Reopen_SameBatchAgain_ReportsAllUnchanged()
    {
        using (var store = Open())
        {
            store.Growth.Write(Everything());
        }

        using var reopened = Open();

        Assert.Equal(new StoreWriteResult(0, 0, Everything().Count), reopened.Growth.Write(Everything()));
    }

    /// <summary>Collects reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class ListProgress(List<int> reports) : IProgress<int>
    {
        public void Report(int value) => reports.Add(value);
    }
}
