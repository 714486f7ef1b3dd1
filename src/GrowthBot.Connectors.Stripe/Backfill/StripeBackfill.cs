using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using GrowthBot.Core.Billing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;

namespace GrowthBot.Connectors.Stripe.Backfill;

/// <summary>
/// <c>growthbot connect stripe --backfill</c>: pages through the account's customers, subscriptions
/// (every status) and paid invoices with Stripe.net's own services and auto-paging, maps each object
/// with <see cref="StripeObjectMapper"/> (the webhook's mapping) and hands the changes to Core's
/// <see cref="BillingIngest"/>, the same path (and the same group commit) as webhooks.
/// <list type="bullet">
/// <item>Idempotent: a change's delivery id is the object id plus a hash of what it maps to, so a
/// second run finds every unchanged object applied already and writes nothing.</item>
/// <item>Ordered against webhooks: a change's object time is when its page was requested
/// (<see cref="PageClock"/>), so a webhook event created later wins and an older one is stale.</item>
/// <item>Resumable, not all-or-nothing: what was applied stays; run it again after a failure and it
/// applies only what is missing. It stops (with what it applied kept) on a refused key or when a page
/// fails <see cref="StripeOptions.MaxAttempts"/> times.</item>
/// <item>Retries rate limits (429), conflicts, 5xx and timeouts from the last object read, honouring
/// <c>Stripe-Should-Retry</c> and <c>Retry-After</c>, waiting on the injected clock.</item>
/// </list>
/// Subscriptions are read first and applied per customer in the order they took effect (a
/// customer's MRR row is the sum of their subscriptions' shares at that moment). One seen for the
/// first time counts from its start (after its trial), at its current price, and an ended one
/// stops at <c>ended_at</c>: price changes before the webhook was connected are not known.
/// </summary>
public sealed partial class StripeBackfill(BillingIngest ingest, IOptions<StripeOptions> settings, TimeProvider time, ILogger<StripeBackfill> logger)
{
    public const string DeliveryPrefix = "stripe-backfill:";
    private const int PageSize = 100;
    private const int MaxRefusalsKept = 20;
    private int _running;

    /// <summary>Stripe.net's HTTP client; tests may hand in one whose handler they control. Null: a client with <see cref="StripeOptions.RequestTimeoutSeconds"/>.</summary>
    internal HttpClient? HttpClient { get; init; }

    /// <summary>Runs a backfill; false from <paramref name="report"/>'s task when one is running already (one at a time per host).</summary>
    public bool TryRun(IProgress<StripeBackfillProgress>? progress, CancellationToken cancellationToken, out Task<StripeBackfillReport> report)
    {
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            report = Task.FromResult(new StripeBackfillReport(0, 0, 0, 0, 0, 0, []));
            return false;
        }
        report = RunReleasingAsync(progress, cancellationToken);
        return true;
    }

    /// <summary>Runs a backfill; <see cref="StripeBackfillException"/> when one is running already.</summary>
    public Task<StripeBackfillReport> RunAsync(IProgress<StripeBackfillProgress>? progress, CancellationToken cancellationToken) =>
        TryRun(progress, cancellationToken, out var report) ? report : throw new StripeBackfillException("A Stripe backfill is running already on this host.");

    private async Task<StripeBackfillReport> RunReleasingAsync(IProgress<StripeBackfillProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            return await RunCoreAsync(progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task<StripeBackfillReport> RunCoreAsync(IProgress<StripeBackfillProgress>? progress, CancellationToken cancellationToken)
    {
        var options = settings.Value;
        if (string.IsNullOrWhiteSpace(options.SecretKey))
        {
            throw new StripeBackfillException("Stripe__SecretKey is not set: create a restricted key with read access to Customers, Subscriptions and Invoices (see docs/connectors.md).");
        }
        var ownClient = HttpClient is null;
        var http = HttpClient ?? new HttpClient { Timeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds) };
        try
        {
            // Stripe.net's own retries wait on the wall clock and give up the page; ours resume from the last object read.
            var clock = new PageClock(new SystemNetHttpClient(http, maxNetworkRetries: 0, enableTelemetry: false), time);
            var client = new StripeClient(new StripeClientOptions { ApiKey = options.SecretKey, ApiBase = options.ApiBase.TrimEnd('/'), HttpClient = clock });
            var tally = new Tally();

            var customers = await ListAsync("customers", after => new CustomerService(client).ListAutoPagingAsync(
                new CustomerListOptions { Limit = PageSize, StartingAfter = after }, null, cancellationToken), customer => customer.Id, async customer =>
            {
                var change = StripeObjectMapper.Customer(customer, string.Empty, clock.PageRequestedAt, options);
                var c = change.Customer!;
                tally.Count(await ingest.ApplyAsync(change with { DeliveryId = DeliveryId(customer.Id, c.Name, c.Segment, c.AcquisitionChannel, Stamp(c.SignedUpAt)) }).ConfigureAwait(false));
            }, progress, options, cancellationToken).ConfigureAwait(false);

            var sightings = new Dictionary<string, List<Sighting>>(StringComparer.Ordinal);
            var subscriptionOptions = new SubscriptionListOptions { Limit = PageSize, Status = "all" };
            var subscriptions = await ListAsync("subscriptions", after =>
            {
                var list = new SubscriptionListOptions { Limit = PageSize, Status = subscriptionOptions.Status, StartingAfter = after };
                // Webhook payloads name discounts by id only; listed here, their coupons come along.
                list.AddExpand("data.discounts.source.coupon");
                return new SubscriptionService(client).ListAutoPagingAsync(list, null, cancellationToken);
            }, subscription => subscription.Id, subscription =>
            {
                if (Sight(subscription, clock.PageRequestedAt, options, tally) is { } sighting)
                {
                    if (!sightings.TryGetValue(sighting.CustomerId, out var list)) sightings[sighting.CustomerId] = list = [];
                    list.Add(sighting);
                }
                return Task.CompletedTask;
            }, progress, options, cancellationToken).ConfigureAwait(false);
            foreach (var (customerId, list) in sightings) await ApplyInOrderAsync(customerId, list, tally).ConfigureAwait(false);

            var invoices = await ListAsync("invoices", after => new InvoiceService(client).ListAutoPagingAsync(
                new InvoiceListOptions { Limit = PageSize, Status = "paid", StartingAfter = after }, null, cancellationToken), invoice => invoice.Id, async invoice =>
            {
                var mapping = StripeObjectMapper.Invoice(invoice, string.Empty, clock.PageRequestedAt, options);
                if (mapping.Change is not { } change)
                {
                    tally.Refuse(invoice.Id, mapping.Refused);
                    return;
                }
                var order = change.Order!;
                tally.Count(await ingest.ApplyAsync(change with { DeliveryId = DeliveryId(invoice.Id, order.CustomerId, Stamp(order.OrderedAt), order.Amount.ToString(CultureInfo.InvariantCulture)) }).ConfigureAwait(false));
            }, progress, options, cancellationToken).ConfigureAwait(false);

            var report = new StripeBackfillReport(customers, subscriptions, invoices, tally.Applied, tally.Unchanged, tally.Stale, tally.Refusals);
            LogDone(logger, customers, subscriptions, invoices, tally.Applied, tally.Unchanged, tally.Stale, tally.RefusedCount);
            return report;
        }
        finally
        {
            if (ownClient) http.Dispose();
        }
    }

    /// <summary>What one subscription will change, decided once its customer's other subscriptions are known.</summary>
    private sealed record Sighting(string CustomerId, BillingChange Now, DateTimeOffset StartsAt, DateTimeOffset? EndedAt, BillingChange? Paid);

    private static Sighting? Sight(Subscription subscription, DateTimeOffset requestedAt, StripeOptions options, Tally tally)
    {
        var ended = subscription.Status is "canceled" or "incomplete_expired";
        var now = StripeObjectMapper.Subscription(subscription, string.Empty, requestedAt, requestedAt, ended, options);
        if (now.Change is not { } change)
        {
            tally.Refuse(subscription.Id, now.Refused);
            return null;
        }
        var start = StripeObjectMapper.Utc(subscription.StartDate);
        // A trial pays nothing: a subscription seen for the first time pays from its trial's end.
        var paysFrom = subscription.TrialEnd is { } trialEnd && StripeObjectMapper.Utc(trialEnd) > start ? StripeObjectMapper.Utc(trialEnd) : start;
        DateTimeOffset? endedAt = ended ? StripeObjectMapper.Utc(subscription.EndedAt ?? subscription.CanceledAt ?? subscription.StartDate) : null;
        BillingChange? paid = null;
        if (ended && subscription.Status == "canceled" && endedAt > paysFrom
            && StripeObjectMapper.Subscription(subscription, string.Empty, requestedAt, paysFrom, ended: false, options, asPaying: true).Change is { Subscription.Mrr: > 0 } ran)
        {
            paid = ran;
        }
        var key = DeliveryId(subscription.Id, subscription.CustomerId, subscription.Status, change.Subscription!.Mrr.ToString(CultureInfo.InvariantCulture),
            Stamp(paysFrom.UtcDateTime), endedAt is { } e ? Stamp(e.UtcDateTime) : "-", paid?.Subscription!.Mrr.ToString(CultureInfo.InvariantCulture) ?? "-");
        return new Sighting(subscription.CustomerId, change with { DeliveryId = key }, paysFrom, endedAt, paid is null ? null : paid with { DeliveryId = key + ":paid" });
    }

    /// <summary>
    /// Applies a customer's subscriptions in the order they took effect. A subscription not seen
    /// before starts at <see cref="Sighting.StartsAt"/> (an ended one that paid also stops at its
    /// end); one already known (from a webhook or an earlier backfill) changes now, or at its end.
    /// </summary>
    private async Task ApplyInOrderAsync(string customerId, List<Sighting> sightings, Tally tally)
    {
        var changes = new List<BillingChange>();
        foreach (var sighting in sightings)
        {
            var known = ingest.KnowsSubscription(customerId, sighting.Now.ObjectId);
            if (!known && sighting.Paid is { } paid) changes.Add(paid);
            var at = sighting.EndedAt ?? (known ? sighting.Now.At : sighting.StartsAt);
            changes.Add(sighting.Now with { At = at });
        }
        foreach (var change in changes.OrderBy(change => change.At).ThenBy(change => change.DeliveryId, StringComparer.Ordinal)) tally.Count(await ingest.ApplyAsync(change).ConfigureAwait(false));
    }

    private async Task<long> ListAsync<T>(string stage, Func<string?, IAsyncEnumerable<T>> list, Func<T, string> idOf, Func<T, Task> apply,
        IProgress<StripeBackfillProgress>? progress, StripeOptions options, CancellationToken cancellationToken)
    {
        string? after = null;
        long count = 0;
        var attempt = 0;
        progress?.Report(new StripeBackfillProgress(stage, 0));
        while (true)
        {
            try
            {
                await foreach (var item in list(after).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    await apply(item).ConfigureAwait(false);
                    after = idOf(item);
                    count++;
                    attempt = 0;
                    progress?.Report(new StripeBackfillProgress(stage, count));
                }
                return count;
            }
            catch (Exception exception) when (Retryable(exception, cancellationToken, out var reason, out var retryAfter))
            {
                attempt++;
                if (attempt >= options.MaxAttempts)
                {
                    throw new StripeBackfillException($"Stripe kept failing while listing {stage} ({reason}; {attempt} attempts). What was read so far is applied; run the backfill again to continue.");
                }
                var wait = retryAfter ?? Backoff(attempt);
                LogRetry(logger, stage, reason, wait.TotalSeconds, attempt);
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
            catch (StripeException exception)
            {
                throw new StripeBackfillException(Refusal(stage, exception));
            }
        }
    }

    /// <summary>1 s, 2 s, 4 s … at most 30 s.</summary>
    private static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt - 1)));

    private static bool Retryable(Exception exception, CancellationToken cancellationToken, out string reason, out TimeSpan? retryAfter)
    {
        retryAfter = null;
        switch (exception)
        {
            case StripeException stripe:
            {
                var status = (int)stripe.HttpStatusCode;
                reason = $"{status} {stripe.StripeError?.Type ?? "error"}{(stripe.StripeError?.Code is { } code ? "/" + code : string.Empty)}";
                var headers = stripe.StripeResponse?.Headers;
                if (headers?.RetryAfter is { } after) retryAfter = after.Delta ?? (after.Date is { } date ? date - stripe.StripeResponse!.Date : null);
                if (retryAfter < TimeSpan.Zero) retryAfter = TimeSpan.Zero;
                var advice = headers is not null && headers.TryGetValues("Stripe-Should-Retry", out var values) ? values.FirstOrDefault() : null;
                if (advice == "false") return false;
                return advice == "true" || status is 429 or 409 || status >= 500;
            }
            case HttpRequestException http:
                reason = $"network error: {http.Message}";
                return true;
            case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                reason = "no answer within Stripe__RequestTimeoutSeconds";
                return true;
            default:
                reason = string.Empty;
                return false;
        }
    }

    private static string Refusal(string stage, StripeException exception)
    {
        var message = exception.StripeError?.Message ?? exception.Message;
        return exception.HttpStatusCode switch
        {
            HttpStatusCode.Unauthorized => $"Stripe refused the key (401): {message} Check Stripe__SecretKey.",
            HttpStatusCode.Forbidden => $"The key may not read {stage} (403): {message} Give the restricted key read access to Customers, Subscriptions and Invoices.",
            _ => $"Stripe refused to list {stage} ({(int)exception.HttpStatusCode} {exception.StripeError?.Type}): {message} What was read so far is applied; run the backfill again to continue.",
        };
    }

    private static string Stamp(DateTime moment) => moment.ToUniversalTime().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary><c>stripe-backfill:{object id}:{hash of what it maps to}</c>: the same object mapped the same way is the same delivery.</summary>
    private static string DeliveryId(string objectId, params string?[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts.Select(part => part ?? string.Empty))));
        return $"{DeliveryPrefix}{objectId}:{Convert.ToHexStringLower(hash.AsSpan(0, 8))}";
    }

    private sealed class Tally
    {
        private readonly List<string> _refusals = [];
        public long Applied { get; private set; }
        public long Unchanged { get; private set; }
        public long Stale { get; private set; }
        public long RefusedCount { get; private set; }
        public IReadOnlyList<string> Refusals => _refusals;

        public void Count(BillingOutcome outcome)
        {
            switch (outcome)
            {
                case BillingOutcome.Applied: Applied++; break;
                case BillingOutcome.Duplicate: Unchanged++; break;
                default: Stale++; break;
            }
        }

        public void Refuse(string objectId, string? reason)
        {
            RefusedCount++;
            if (_refusals.Count < MaxRefusalsKept) _refusals.Add($"{objectId}: {reason}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe backfill: listing {Stage} failed ({Reason}); retrying in {Seconds} s (attempt {Attempt})")]
    private static partial void LogRetry(ILogger logger, string stage, string reason, double seconds, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe backfill read {Customers} customers, {Subscriptions} subscriptions, {Invoices} paid invoices: {Applied} changes applied, {Unchanged} already there, {Stale} older than webhooks, {Refused} refused")]
    private static partial void LogDone(ILogger logger, long customers, long subscriptions, long invoices, long applied, long unchanged, long stale, long refused);
}
