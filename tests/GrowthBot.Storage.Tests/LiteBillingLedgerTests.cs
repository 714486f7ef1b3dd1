using GrowthBot.Core.Billing;

namespace GrowthBot.Storage.Tests;

/// <summary>The billing ledger's batch record: one transaction, later records of an object win, deliveries already there are skipped.</summary>
public sealed class LiteBillingLedgerTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2025, 6, 15, 11, 30, 0, TimeSpan.Zero);
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void RecordAll_ADeliveryAlreadyThereInTheMiddle_IsSkippedAndTheOthersAreRecorded()
    {
        using var store = _temp.Open();
        var ledger = new LiteBillingLedger(store);
        Assert.True(ledger.Record("evt_2", "stripe", "sub_b", At, [new SubscriptionShare("sub_b", "cus_1", 50m)]));

        ledger.RecordAll([
            new BillingRecord("evt_1", "stripe", "sub_a", At, [new SubscriptionShare("sub_a", "cus_1", 100m)]),
            new BillingRecord("evt_2", "stripe", "sub_b", At.AddHours(1), [new SubscriptionShare("sub_b", "cus_1", 999m)]),
            new BillingRecord("evt_3", "stripe", "sub_a", At.AddHours(2), [new SubscriptionShare("sub_a", "cus_1", 120m)]),
        ]);

        Assert.True(ledger.HasDelivery("evt_1"));
        Assert.True(ledger.HasDelivery("evt_3"));
        Assert.Equal([120m, 50m], ledger.SharesOf("cus_1").Select(share => share.Mrr));
        Assert.Equal(At.AddHours(2), ledger.LastObjectTime("sub_a"));
        Assert.Equal(At, ledger.LastObjectTime("sub_b"));
    }

    [Fact]
    public void RecordAll_IdsDifferingOnlyInCase_AreTwoDeliveries()
    {
        using var store = _temp.Open();
        var ledger = new LiteBillingLedger(store);

        ledger.RecordAll([new BillingRecord("evt_A", "stripe", "cus_x", At, []), new BillingRecord("evt_a", "stripe", "cus_X", At.AddHours(1), [])]);

        Assert.True(ledger.HasDelivery("evt_A"));
        Assert.True(ledger.HasDelivery("evt_a"));
        Assert.Equal(At, ledger.LastObjectTime("cus_x"));
        Assert.Equal(At.AddHours(1), ledger.LastObjectTime("cus_X"));
    }
}
