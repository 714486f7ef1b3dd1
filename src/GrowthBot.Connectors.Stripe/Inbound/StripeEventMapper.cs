using GrowthBot.Core.Billing;
using Stripe;

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
    public const string Source = StripeObjectMapper.Source;

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
        switch (stripeEvent.Type, stripeEvent.Data?.Object)
        {
            case ("customer.created" or "customer.updated", Customer customer):
                return Change(StripeObjectMapper.Customer(customer, stripeEvent.Id, created, options));
            case ("customer.deleted", Customer deleted):
                return Change(StripeObjectMapper.DeletedCustomer(deleted.Id, stripeEvent.Id, created));
            case (var type, Subscription subscription) when type.StartsWith("customer.subscription.", StringComparison.Ordinal) && HandledTypes.Contains(type):
            {
                var ended = type == "customer.subscription.deleted";
                // A subscription set to cancel at period end keeps paying until Stripe ends it and
                // sends customer.subscription.deleted, dated ended_at: that is when it churns.
                var at = ended ? Utc(subscription.EndedAt ?? stripeEvent.Created)
                    : type == "customer.subscription.created" ? Utc(subscription.StartDate)
                    : created;
                return StripeObjectMapper.Subscription(subscription, stripeEvent.Id, created, at, ended, options);
            }
            case ("invoice.paid", Invoice invoice):
                return StripeObjectMapper.Invoice(invoice, stripeEvent.Id, created, options);
            default:
                return new StripeMapping(null, stripeEvent.Type, null, []);
        }
    }

    private static StripeMapping Change(BillingChange change) => new(change, null, null, []);

    private static DateTimeOffset Utc(DateTime moment) => StripeObjectMapper.Utc(moment);
}
