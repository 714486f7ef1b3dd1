using Stripe;

namespace GrowthBot.Connectors.Stripe.Backfill;

/// <summary>
/// Stripe.net's HTTP client with the host clock's time of the latest request remembered. Auto-paging
/// asks for the next page only after the last object of the previous one was handed out, so while an
/// object is being applied <see cref="PageRequestedAt"/> is when its page was asked for: a moment no
/// later than the state the object shows, which orders it against webhook events (their <c>created</c>).
/// </summary>
internal sealed class PageClock(IHttpClient inner, TimeProvider time) : IHttpClient
{
    private long _requestedAtTicks;

    public DateTimeOffset PageRequestedAt => new(Interlocked.Read(ref _requestedAtTicks), TimeSpan.Zero);

    public async Task<StripeResponse> MakeRequestAsync(StripeRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Exchange(ref _requestedAtTicks, time.GetUtcNow().UtcTicks);
        return await inner.MakeRequestAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StripeStreamedResponse> MakeStreamingRequestAsync(StripeRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Exchange(ref _requestedAtTicks, time.GetUtcNow().UtcTicks);
        return await inner.MakeStreamingRequestAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
