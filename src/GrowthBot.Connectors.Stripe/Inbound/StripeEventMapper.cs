using GrowthBot.Core.Billing;
using Stripe;
using CoreCustomer = GrowthBot.Core.Data.Customer;
using CoreOrder = GrowthBot.Core.Data.Order;

namespace GrowthBot.Connectors.Stripe.Inbound;

/// <summary>What a Stripe event becomes: a change for Core, an event type we do not use, or a refusal with its reason.</summary>
internal sealed record StripeMapping(BillingChange? Change, string? Ignored, string? Refused, IReadOnlyList<string> Notes);

/// <summary>
/// Translates verified Stripe events into Core's <see cref="BillingChange"/>: customers, each
/// subscription's MRR share (<see cref="StripeMrr"/>), paid invoices as orders. The event id is the
/// delivery id; the event's <c>created</c> orders changes to the same object (Stripe sends no
/// order, and its objects carry no updated-at of their own).
/// </summary>
internal static class StripeEventMapper
{
    public const string Source = "stripe";

    public static readonly IReadOnlyList<string> HandledTypes =
    [
        "customer.created", "customer.updated", "customer.deleted",
        "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
        "customer.subscription.paused", "customer.subscription.resumed", "invoice.paid",
    ];

    public static StripeMapping Map(Event stripeEvent, StripeOptions options)
    {
        ArgumentNullException.ThrowIfNull(stripeEvent);
        var created = Utc(stripeEvent.Created);
        var notes = new List<string>();
        switch (stripeEvent.Type, stripeEvent.Data?.Object)
        {
            case ("customer.created" or "customer.updated", Customer customer):
                return Change(new BillingChange(stripeEvent.Id, Source, customer.Id, created, created)
                {
                    Customer = new CoreCustomer(
                        customer.Id, customer.Name ?? customer.Email ?? customer.Id,
                        Metadata(customer.Metadata, "segment") ?? options.DefaultSegment,
                        Metadata(customer.Metadata, "acquisition_channel") ?? options.DefaultChannel,
                        Utc(customer.Created).UtcDateTime, null),
                }, notes);
            case ("customer.deleted", Customer deleted):
                return Change(new BillingChange(stripeEvent.Id, Source, deleted.Id, created, created) { DeletedCustomerId = deleted.Id }, notes);
            case (var type, Subscription subscription) when type.StartsWith("customer.subscription.", StringComparison.Ordinal) && HandledTypes.Contains(type):
            {
                var mrr = StripeMrr.Of(subscription, options);
                if (mrr.Refusal is not null) return new StripeMapping(null, null, mrr.Refusal, mrr.Notes);
                var ended = type == "customer.subscription.deleted";
                // A subscription set to cancel at period end keeps paying until Stripe ends it and
                // sends customer.subscription.deleted, dated ended_at: that is when it churns.
                var at = ended ? Utc(subscription.EndedAt ?? stripeEvent.Created)
                    : type == "customer.subscription.created" ? Utc(subscription.StartDate)
                    : created;
                var share = new SubscriptionShare(subscription.Id, subscription.CustomerId, ended ? 0 : mrr.Mrr);
                return new StripeMapping(new BillingChange(stripeEvent.Id, Source, subscription.Id, created, at) { Subscription = share }, null, null, mrr.Notes);
            }
            case ("invoice.paid", Invoice invoice):
            {
                if (!StripeMrr.TryReport(invoice.AmountPaid, invoice.Currency, options, out var amount))
                {
                    return new StripeMapping(null, null, $"currency '{invoice.Currency}' has no rate to {options.ReportingCurrency} (set Stripe__Rates__{invoice.Currency})", notes);
                }
                var paidAt = invoice.StatusTransitions?.PaidAt is { } paid ? Utc(paid) : created;
                return Change(new BillingChange(stripeEvent.Id, Source, invoice.Id, created, paidAt)
                {
                    Order = new CoreOrder(invoice.Id, invoice.CustomerId, paidAt.UtcDateTime, amount),
                }, notes);
            }
            default:
                return new StripeMapping(null, stripeEvent.Type, null, notes);
        }
    }

    private static StripeMapping Change(BillingChange change, List<string> notes) => new(change, null, null, notes);

    private static string? Metadata(Dictionary<string, string>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static DateTimeOffset Utc(DateTime moment) => new(DateTime.SpecifyKind(moment, DateTimeKind.Utc));
}
