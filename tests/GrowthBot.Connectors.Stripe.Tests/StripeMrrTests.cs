using System.Text.Json.Nodes;

namespace GrowthBot.Connectors.Stripe.Tests;

/// <summary>MRR normalised as ChartMogul documents it, from Stripe's subscription objects.</summary>
public sealed class StripeMrrTests
{
    private static readonly StripeOptions Options = new() { ReportingCurrency = "usd", Rates = new(StringComparer.OrdinalIgnoreCase) { ["eur"] = 1.10m } };

    [Fact]
    public void Of_MonthlyItem_IsPriceTimesQuantity()
    {
        var mrr = StripeMrr.Of(StripeFixtures.Subscription("customer.subscription.created"), Options);

        Assert.Null(mrr.Refusal);
        Assert.Equal(147m, mrr.Mrr); // 49.00 × 3
    }

    [Fact]
    public void Of_YearlyPrice_IsDividedByTwelve()
    {
        Assert.Equal(100m, StripeMrr.Of(StripeFixtures.Subscription("customer.subscription.created.yearly"), Options).Mrr);
    }

    [Theory]
    [InlineData("week", 1, 52.0 / 12)]
    [InlineData("week", 2, 26.0 / 12)]
    [InlineData("month", 3, 1.0 / 3)]
    [InlineData("year", 2, 1.0 / 24)]
    [InlineData("day", 1, 365.0 / 12)]
    public void MonthlyFactor_FollowsTheIntervalAndCount(string interval, long count, double expected) =>
        Assert.Equal((decimal)expected, StripeMrr.MonthlyFactor(interval, count), 6);

    [Fact]
    public void Of_SeveralItems_AreSummed()
    {
        var subscription = StripeFixtures.Subscription("customer.subscription.created", json =>
        {
            var items = json["items"]!["data"]!.AsArray();
            var second = JsonNode.Parse(items[0]!.ToJsonString())!.AsObject();
            second["id"] = "si_QGrowthItem09";
            second["quantity"] = 1;
            second["price"]!["recurring"]!["interval"] = "week";
            second["price"]!["unit_amount"] = 1200;
            second["price"]!["unit_amount_decimal"] = "1200";
            items.Add(second);
        });

        Assert.Equal(147m + 12m * 52m / 12m, StripeMrr.Of(subscription, Options).Mrr, 4);
    }

    [Theory]
    [InlineData("trialing", 0)]
    [InlineData("incomplete", 0)]
    [InlineData("incomplete_expired", 0)]
    [InlineData("unpaid", 0)]
    [InlineData("paused", 0)]
    [InlineData("canceled", 0)]
    [InlineData("past_due", 147)]
    [InlineData("active", 147)]
    public void Of_OnlyPayingStatusesCount(string status, decimal expected)
    {
        var subscription = StripeFixtures.Subscription("customer.subscription.created", json => json["status"] = status);

        Assert.Equal(expected, StripeMrr.Of(subscription, Options).Mrr);
    }

    [Fact]
    public void Of_PercentAndAmountDiscounts_AreApplied()
    {
        var percent = StripeFixtures.Subscription("customer.subscription.created", json => json["discounts"] = Discounts(percentOff: 20, amountOff: null));
        var amount = StripeFixtures.Subscription("customer.subscription.created.yearly", json => json["discounts"] = Discounts(percentOff: null, amountOff: 12000));

        Assert.Equal(117.6m, StripeMrr.Of(percent, Options).Mrr); // 147 × 0.8
        Assert.Equal(90m, StripeMrr.Of(amount, Options).Mrr);     // (1,200 − 120) ÷ 12
    }

    [Fact]
    public void Of_DiscountNamedOnlyById_IsNotedNotGuessed()
    {
        var subscription = StripeFixtures.Subscription("customer.subscription.created", json => json["discounts"] = new JsonArray("di_1QGrowthDiscount01"));

        var mrr = StripeMrr.Of(subscription, Options);

        Assert.Equal(147m, mrr.Mrr);
        Assert.Contains(mrr.Notes, note => note.Contains("by id only", StringComparison.Ordinal));
    }

    [Fact]
    public void Of_OtherCurrency_IsConvertedWithItsRate_OrRefused()
    {
        var euros = StripeFixtures.Subscription("customer.subscription.created.eur");

        Assert.Equal(Math.Round(100m / 3m * 1.10m, 4), StripeMrr.Of(euros, Options).Mrr);
        var refused = StripeMrr.Of(euros, new StripeOptions { ReportingCurrency = "usd" });
        Assert.Contains("currency 'eur' has no rate to usd", refused.Refusal, StringComparison.Ordinal);
    }

    private static JsonArray Discounts(int? percentOff, int? amountOff) =>
    [
        new JsonObject
        {
            ["id"] = "di_1QGrowthDiscount01",
            ["object"] = "discount",
            ["checkout_session"] = null,
            ["customer"] = "cus_QGrowthAcme01",
            ["customer_account"] = null,
            ["end"] = null,
            ["invoice"] = null,
            ["invoice_item"] = null,
            ["promotion_code"] = null,
            ["source"] = new JsonObject
            {
                ["coupon"] = new JsonObject
                {
                    ["id"] = "GROWTH20",
                    ["object"] = "coupon",
                    ["amount_off"] = amountOff,
                    ["created"] = 1749800000,
                    ["currency"] = amountOff is null ? null : "usd",
                    ["duration"] = "forever",
                    ["livemode"] = false,
                    ["max_redemptions"] = null,
                    ["metadata"] = new JsonObject(),
                    ["name"] = "Growth discount",
                    ["percent_off"] = percentOff,
                    ["redeem_by"] = null,
                    ["times_redeemed"] = 1,
                    ["valid"] = true,
                },
                ["type"] = "coupon",
            },
            ["start"] = 1749900120,
            ["subscription"] = "sub_1QGrowthMonthly01",
            ["subscription_item"] = null,
        },
    ];
}
