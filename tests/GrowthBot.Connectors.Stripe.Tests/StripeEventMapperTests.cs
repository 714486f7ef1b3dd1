using GrowthBot.Connectors.Stripe.Inbound;

namespace GrowthBot.Connectors.Stripe.Tests;

/// <summary>Stripe events → Core's billing changes.</summary>
public sealed class StripeEventMapperTests
{
    private static readonly StripeOptions Options = new() { ReportingCurrency = "usd" };

    [Fact]
    public void Map_CustomerCreated_TakesSegmentAndChannelFromMetadata()
    {
        var change = StripeEventMapper.Map(StripeFixtures.Event("customer.created"), Options).Change!;

        Assert.Equal("evt_1QCustomerCreated01", change.DeliveryId);
        Assert.Equal(new Core.Data.Customer("cus_QGrowthAcme01", "Acme Inc.", "Mid-Market", "paid-search", new DateTime(2025, 6, 14, 11, 20, 0, DateTimeKind.Utc), null), change.Customer);
    }

    [Fact]
    public void Map_SubscriptionDeleted_SharesNothingFromWhenItEnded()
    {
        var change = StripeEventMapper.Map(StripeFixtures.Event("customer.subscription.deleted"), Options).Change!;

        Assert.Equal(0m, change.Subscription!.Mrr);
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero), change.At);
    }

    [Fact]
    public void Map_CancelAtPeriodEnd_KeepsPayingUntilTheEnd()
    {
        var change = StripeEventMapper.Map(StripeFixtures.Event("customer.subscription.updated.cancel_at_period_end"), Options).Change!;

        Assert.Equal(245m, change.Subscription!.Mrr); // 49.00 × 5, still paying
    }

    [Fact]
    public void Map_InvoicePaid_IsAnOrderWhenPaid()
    {
        var order = StripeEventMapper.Map(StripeFixtures.Event("invoice.paid"), Options).Change!.Order!;

        Assert.Equal(new Core.Data.Order("in_1QGrowthInvoice01", "cus_QGrowthAcme01", new DateTime(2025, 6, 14, 11, 22, 5, DateTimeKind.Utc), 147m), order);
    }

    [Fact]
    public void Map_UnusedType_IsIgnored()
    {
        var mapping = StripeEventMapper.Map(StripeFixtures.Event("charge.refunded"), Options);

        Assert.Null(mapping.Change);
        Assert.Equal("charge.refunded", mapping.Ignored);
    }
}
