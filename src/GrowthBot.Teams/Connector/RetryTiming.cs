namespace GrowthBot.Teams.Connector;

/// <summary>
/// How long to wait before retrying a Microsoft service (the Bot Connector and Graph alike): its Retry-After when it
/// gives one, else an exponential backoff with jitter. One place, so both clients wait the same way.
/// </summary>
internal static class RetryTiming
{
    /// <summary>Retry-After (seconds or a date, never negative) when the response has it, else <see cref="Backoff"/>.</summary>
    public static TimeSpan Delay(HttpResponseMessage response, int attempt, TimeProvider time, Func<double> jitter)
    {
        if (response.Headers.RetryAfter?.Delta is { } delta) return delta;
        if (response.Headers.RetryAfter?.Date is { } date)
        {
            var until = date - time.GetUtcNow();
            return until > TimeSpan.Zero ? until : TimeSpan.Zero;
        }
        return Backoff(attempt, jitter);
    }

    /// <summary>2^attempt seconds, spread over ±50% so callers throttled together do not retry together (Microsoft asks for random jitter).</summary>
    public static TimeSpan Backoff(int attempt, Func<double> jitter) => TimeSpan.FromSeconds(Math.Pow(2, attempt) * (0.5 + jitter()));
}
