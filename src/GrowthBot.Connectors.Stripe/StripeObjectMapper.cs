using GrowthBot.Core.Billing;
using GrowthBot.Connectors.Stripe.Inbound;
using Stripe;
using CoreCustomer = GrowthBot.Core.Data.Customer;
using CoreOrder = GrowthBot.Core.Data.Order;

namespace GrowthBot.Connectors.Stripe;

/// <summary>
/// The one translation of Stripe objects into Core's <see cref="BillingChange"/>, shared by the
/// webhook (an event's object) and the backfill (an object listed from the API), so both paths
/// agree on customers, MRR shares and orders. The caller names the delivery, the object time that
/// orders changes of the same object, and when a subscription's share took effect.
/// </summary>
internal static class StripeObjectMapper
{
    public const string Source = "stripe";

    public static BillingChange Customer(Customer customer, string deliveryId, DateTimeOffset objectTime, StripeOptions options) =>
        new(deliveryId, Source, customer.Id, objectTime, objectTime)
        {
            Customer = new CoreCustomer(
                customer.Id, customer.Name ?? customer.Email ?? customer.Id,
                Metadata(customer.Metadata, "segment") ?? options.DefaultSegment,
                Metadata(customer.Metadata, "acquisition_channel") ?? options.DefaultChannel,
                Utc(customer.Created).UtcDateTime, null),
        };

    public static BillingChange DeletedCustomer(string customerId, string deliveryId, DateTimeOffset objectTime) =>
        new(deliveryId, Source, customerId, objectTime, objectTime) { DeletedCustomerId = customerId };

    /// <summary>The subscription's share at <paramref name="at"/>: its MRR (<see cref="StripeMrr"/>), or 0 when <paramref name="ended"/>.</summary>
    public static StripeMapping Subscription(Subscription subscription, string deliveryId, DateTimeOffset objectTime, DateTimeOffset at, bool ended, StripeOptions options, bool asPaying = false)
    {
        var mrr = StripeMrr.Of(subscription, options, asPaying);
        if (mrr.Refusal is not null) return new StripeMapping(null, null, mrr.Refusal, mrr.Notes);
        var share = new SubscriptionShare(subscription.Id, subscription.CustomerId, ended ? 0 : mrr.Mrr);
        return new StripeMapping(new BillingChange(deliveryId, Source, subscription.Id, objectTime, at) { Subscription = share }, null, null, mrr.Notes);
    }

    /// <summary>A paid invoice as an order of <c>amount_paid</c> at <c>status_transitions.paid_at</c> (else <paramref name="objectTime"/>).</summary>
    public static StripeMapping Invoice(Invoice invoice, string deliveryId, DateTimeOffset objectTime, StripeOptions options)
    {
        if (!StripeMrr.TryReport(invoice.AmountPaid, invoice.Currency, options, out var amount))
        {
            return new StripeMapping(null, null, $"currency '{invoice.Currency}' has no rate to {options.ReportingCurrency} (set Stripe__Rates__{invoice.Currency})", []);
        }
        var paidAt = invoice.StatusTransitions?.PaidAt is { } paid ? Utc(paid) : objectTime;
        return new StripeMapping(new BillingChange(deliveryId, Source, invoice.Id, objectTime, paidAt)
        {
            Order = new CoreOrder(invoice.Id, invoice.CustomerId, paidAt.UtcDateTime, amount),
        }, null, null, []);
    }

    public static DateTimeOffset Utc(DateTime moment) => new(DateTime.SpecifyKind(moment, DateTimeKind.Utc));

    private static string? Metadata(Dictionary<string, string>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
