namespace GrowthBot.Connectors.Stripe.Backfill;

/// <summary>How far a backfill got: the stage (<c>customers</c>, <c>subscriptions</c>, <c>invoices</c>) and the objects read in it.</summary>
public sealed record StripeBackfillProgress(string Stage, long Objects);

/// <summary>
/// What a backfill did: objects read per list, and what became of the changes made from them
/// (applied; already there from an earlier backfill; older than a webhook already applied; refused).
/// </summary>
public sealed record StripeBackfillReport(long Customers, long Subscriptions, long Invoices, long Applied, long Unchanged, long Stale, IReadOnlyList<string> Refused);

/// <summary>A backfill that had to stop (no key, a refused key, Stripe failing past the retries); what it applied stays.</summary>
public sealed class StripeBackfillException(string message) : Exception(message);
