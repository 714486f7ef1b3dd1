using Stripe;

namespace GrowthBot.Connectors.Stripe;

/// <summary>A subscription's monthly recurring revenue in the reporting currency, or why it cannot be counted.</summary>
internal sealed record MrrResult(decimal Mrr, string? Refusal, IReadOnlyList<string> Notes);

/// <summary>
/// Normalises a Stripe subscription to MRR the way ChartMogul documents it: every item's price ×
/// quantity, made monthly from the price's interval and interval_count (a year ÷ 12, a week × 52 ÷ 12,
/// a day × 365 ÷ 12), less the subscription's and items' discounts (percent off, or amount off per
/// billing period made monthly alike); trialing, incomplete, incomplete_expired, unpaid, paused and
/// canceled subscriptions are not paying (0); past_due still is. One reporting currency: another
/// currency is converted with its configured rate, or refused.
/// </summary>
internal static class StripeMrr
{
    private static readonly HashSet<string> NotPaying = new(StringComparer.Ordinal)
    {
        "trialing", "incomplete", "incomplete_expired", "unpaid", "paused", "canceled",
    };

    // Stripe's zero-decimal currencies: amounts are in whole units, not hundredths.
    private static readonly HashSet<string> ZeroDecimal = new(StringComparer.OrdinalIgnoreCase)
    {
        "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf",
    };

    /// <summary>
    /// <paramref name="asPaying"/>: what the items are worth whatever the status (a backfill uses it
    /// for what an ended subscription paid while it ran).
    /// </summary>
    public static MrrResult Of(Subscription subscription, StripeOptions options, bool asPaying = false)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var notes = new List<string>();
        if (!TryRate(subscription.Currency, options, out var rate))
        {
            return new MrrResult(0, $"currency '{subscription.Currency}' has no rate to {options.ReportingCurrency} (set Stripe__Rates__{subscription.Currency})", notes);
        }
        if (!asPaying && NotPaying.Contains(subscription.Status ?? string.Empty)) return new MrrResult(0, null, notes);

        decimal total = 0;
        decimal? periodFactor = null;
        foreach (var item in subscription.Items?.Data ?? [])
        {
            var price = item.Price;
            if (price?.Recurring is not { } recurring) continue;
            var unit = price.UnitAmountDecimal ?? price.UnitAmount;
            if (unit is null) return new MrrResult(0, $"price {price.Id} has no unit amount (tiered prices are not supported yet)", notes);
            var factor = MonthlyFactor(recurring.Interval, recurring.IntervalCount);
            periodFactor ??= factor;
            var monthly = Major(unit.Value * (item.Quantity == 0 ? 1 : item.Quantity), subscription.Currency) * factor;
            total += Discounted(monthly, factor, item.Discounts, item.DiscountIds, subscription.Currency, notes);
        }
        total = Discounted(total, periodFactor ?? 1, subscription.Discounts, subscription.DiscountIds, subscription.Currency, notes);
        return new MrrResult(Math.Round(Math.Max(0, total) * rate, 4), null, notes);
    }

    /// <summary>An amount in Stripe's minor units, in the reporting currency; false when its currency has no rate.</summary>
    public static bool TryReport(long minorUnits, string currency, StripeOptions options, out decimal amount)
    {
        amount = 0;
        if (!TryRate(currency, options, out var rate)) return false;
        amount = Math.Round(Major(minorUnits, currency) * rate, 4);
        return true;
    }

    public static decimal MonthlyFactor(string? interval, long count)
    {
        var every = count <= 0 ? 1 : count;
        return interval switch
        {
            "day" => 365m / 12m / every,
            "week" => 52m / 12m / every,
            "month" => 1m / every,
            "year" => 1m / (12m * every),
            _ => throw new ArgumentOutOfRangeException(nameof(interval), interval, "Stripe intervals are day, week, month or year."),
        };
    }

    private static decimal Discounted(decimal monthly, decimal periodFactor, List<Discount>? discounts, List<string>? ids, string currency, List<string> notes)
    {
        foreach (var discount in discounts ?? [])
        {
            var coupon = discount?.Source?.Coupon;
            if (coupon is null)
            {
                notes.Add($"discount {discount?.Id} was not applied: its coupon is not in the event");
                continue;
            }
            if (coupon.PercentOff is { } percent) monthly *= 1 - percent / 100m;
            else if (coupon.AmountOff is { } off && string.Equals(coupon.Currency, currency, StringComparison.OrdinalIgnoreCase)) monthly -= Major(off, currency) * periodFactor;
        }
        var expanded = discounts?.Count(discount => discount is not null) ?? 0;
        if ((ids?.Count ?? 0) > expanded) notes.Add("some discounts were not applied: the event names them by id only");
        return Math.Max(0, monthly);
    }

    private static decimal Major(decimal minorUnits, string currency) => ZeroDecimal.Contains(currency) ? minorUnits : minorUnits / 100m;

    private static bool TryRate(string? currency, StripeOptions options, out decimal rate)
    {
        rate = 1;
        if (string.Equals(currency, options.ReportingCurrency, StringComparison.OrdinalIgnoreCase)) return true;
        return currency is not null && options.Rates.TryGetValue(currency, out rate);
    }
}
