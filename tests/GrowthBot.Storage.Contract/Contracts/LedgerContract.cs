using GrowthBot.Core.Billing;
using GrowthBot.Core.Support;
using GrowthBot.Storage.Contract.Support;

namespace GrowthBot.Storage.Contract.Contracts;

/// <summary>The connectors' ledgers: a delivery id is applied once, with everything it records or nothing; ids keep their case.</summary>
public abstract class LedgerContract(IStoreProvider provider) : StoreContract(provider)
{
    private static readonly DateTimeOffset Solved = new(2025, 6, 15, 11, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Support_Record_SameDeliveryTwice_IsRefusedTheSecondTime_AndKeepsTheFirstMemory()
    {
        using var store = Open();
        var ledger = store.Support;

        Assert.True(ledger.Record("evt-1", "zendesk", new TicketMemory("5158", Solved, Solved, ["c1"])));
        Assert.False(ledger.Record("evt-1", "zendesk", new TicketMemory("5158", Solved.AddHours(1), null, ["c1", "c2"])));

        var memory = ledger.Find("5158");
        Assert.NotNull(memory);
        Assert.Equal(Solved, memory.ResolvedAt);
        Assert.Equal(["c1"], memory.ReplyIds);
    }

    [Fact]
    public void Support_Find_AfterAReopen_ReturnsTheTicketsMemory_WithCaseKept()
    {
        using (var store = Open())
        {
            Assert.True(store.Support.Record("evt-a", "zendesk", new TicketMemory("T-abc", Solved, null, [])));
            Assert.True(store.Support.Record("EVT-A", "zendesk", new TicketMemory("T-ABC", null, Solved, ["r1"])));
        }

        using var reopened = Open();
        var again = reopened.Support;
        var lower = again.Find("T-abc");
        Assert.NotNull(lower);
        Assert.Equal(("T-abc", (DateTimeOffset?)Solved, (DateTimeOffset?)null), (lower.TicketId, lower.StatusAt, lower.ResolvedAt));
        Assert.Empty(lower.ReplyIds);
        Assert.Equal(["r1"], again.Find("T-ABC")!.ReplyIds);
        Assert.Null(again.Find("T-Abc"));
    }

    [Fact]
    public void Support_RecordAll_ADeliveryAlreadyThereInTheMiddle_IsSkippedAndTheOthersAreRecorded()
    {
        using var store = Open();
        var ledger = store.Support;
        Assert.True(ledger.Record("evt-2", "zendesk", new TicketMemory("2", Solved, Solved, [])));

        var recorded = ledger.RecordAll([
            new SupportRecord("evt-1", "zendesk", new TicketMemory("1", Solved, Solved, [])),
            new SupportRecord("evt-2", "zendesk", new TicketMemory("2", Solved.AddHours(1), null, ["r9"])),
            new SupportRecord("evt-3", "zendesk", new TicketMemory("1", Solved.AddHours(2), Solved, ["r1"])),
        ]);

        Assert.Equal([true, false, true], recorded);
        Assert.Equal(["r1"], ledger.Find("1")!.ReplyIds);
        Assert.Empty(ledger.Find("2")!.ReplyIds);
        Assert.False(ledger.Record("evt-1", "zendesk", new TicketMemory("1", null, null, [])));
    }

    [Fact]
    public void Billing_Record_SameDeliveryTwice_IsRefused_AndWritesNothingTheSecondTime()
    {
        using var store = Open();
        var ledger = store.Billing;

        Assert.True(ledger.Record("evt_1", "stripe", "sub_1", Solved, [new SubscriptionShare("sub_1", "cus_1", 49m)]));
        Assert.False(ledger.Record("evt_1", "stripe", "sub_1", Solved.AddHours(1), [new SubscriptionShare("sub_1", "cus_1", 99m)]));

        Assert.True(ledger.HasDelivery("evt_1"));
        Assert.False(ledger.HasDelivery("EVT_1"));
        Assert.Equal(Solved, ledger.LastObjectTime("sub_1"));
        Assert.Equal(49m, Assert.Single(ledger.SharesOf("cus_1")).Mrr);
    }

    [Fact]
    public void Billing_Shares_AreReplacedPerSubscription_AndListedPerCustomer_AcrossAReopen()
    {
        using (var store = Open())
        {
            store.Billing.Record("evt_1", "stripe", "sub_b", Solved, [new SubscriptionShare("sub_b", "cus_1", 20m)]);
            store.Billing.Record("evt_2", "stripe", "sub_a", Solved.AddMinutes(1), [new SubscriptionShare("sub_a", "cus_1", 10m), new SubscriptionShare("sub_c", "cus_2", 5m)]);
            store.Billing.Record("evt_3", "stripe", "sub_b", Solved.AddMinutes(2), [new SubscriptionShare("sub_b", "cus_1", 0m)]);
        }

        using var reopened = Open();
        var ledger = reopened.Billing;

        Assert.Equal([("sub_a", 10m), ("sub_b", 0m)], ledger.SharesOf("cus_1").Select(share => (share.SubscriptionId, share.Mrr)));
        Assert.Equal(Solved.AddMinutes(2), ledger.LastObjectTime("sub_b"));
        Assert.Null(ledger.LastObjectTime("sub_zzz"));
        Assert.Empty(ledger.SharesOf("CUS_1"));
    }

    [Fact]
    public void Billing_RecordAll_ADeliveryAlreadyThereInTheMiddle_IsSkippedAndTheOthersAreRecordedInOrder()
    {
        using var store = Open();
        var ledger = store.Billing;
        Assert.True(ledger.Record("evt_2", "stripe", "sub_2", Solved, [new SubscriptionShare("sub_2", "cus_2", 20m)]));

        ledger.RecordAll([
            new BillingRecord("evt_1", "stripe", "sub_1", Solved, [new SubscriptionShare("sub_1", "cus_1", 10m)]),
            new BillingRecord("evt_2", "stripe", "sub_2", Solved.AddHours(1), [new SubscriptionShare("sub_2", "cus_2", 99m)]),
            new BillingRecord("evt_3", "stripe", "sub_1", Solved.AddHours(2), [new SubscriptionShare("sub_1", "cus_1", 15m)]),
            new BillingRecord("evt_3", "stripe", "sub_1", Solved.AddHours(3), [new SubscriptionShare("sub_1", "cus_1", 77m)]),
        ]);

        Assert.True(ledger.HasDelivery("evt_1"));
        Assert.True(ledger.HasDelivery("evt_3"));
        // evt_2 was there: nothing of its second delivery is written. The later of sub_1's deliveries wins; evt_3's repeat in the batch is skipped.
        Assert.Equal((Solved, 20m), (ledger.LastObjectTime("sub_2"), Assert.Single(ledger.SharesOf("cus_2")).Mrr));
        Assert.Equal((Solved.AddHours(2), 15m), (ledger.LastObjectTime("sub_1"), Assert.Single(ledger.SharesOf("cus_1")).Mrr));
        ledger.RecordAll([]);
    }

    [Fact]
    public async Task Billing_ConcurrentDeliveriesOfOneEvent_OneIsApplied()
    {
        using var store = Open();

        var applied = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            store.Billing.Record("evt_race", "stripe", "sub_1", Solved, [new SubscriptionShare("sub_1", "cus_1", i)]))));

        Assert.Single(applied, won => won);
    }
}
