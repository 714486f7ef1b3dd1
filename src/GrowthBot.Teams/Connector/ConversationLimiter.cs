namespace GrowthBot.Teams.Connector;

/// <summary>One of Teams' documented limits: at most <see cref="Count"/> operations in any <see cref="Window"/>.</summary>
internal readonly record struct RateLimit(int Count, TimeSpan Window);

/// <summary>
/// Keeps the bot's connector calls within Teams' documented rate limits ("Optimize your bot with
/// rate limiting in Teams"): per bot and conversation, sending 7 per second, 8 per 2 seconds, 60 per
/// 30 seconds and 1800 per hour; creating conversations the same (per bot); reading members 14 per
/// second, 16 per 2 seconds, 120 per 30 seconds and 3600 per hour (per bot and conversation); and
/// the global 50 requests per second per app per tenant across every call. Each call reserves the
/// earliest moment at which every window it counts against has room, in arrival order, and waits
/// for it on the injected clock. Calls that share no window do not wait for each other.
/// </summary>
internal sealed class ConversationLimiter(TimeProvider time)
{
    /// <summary>Sending (post, reply, update) per conversation.</summary>
    public static readonly IReadOnlyList<RateLimit> SendLimits =
    [
        new(7, TimeSpan.FromSeconds(1)),
        new(8, TimeSpan.FromSeconds(2)),
        new(60, TimeSpan.FromSeconds(30)),
        new(1800, TimeSpan.FromHours(1)),
    ];

    /// <summary>Creating conversations, per bot.</summary>
    public static readonly IReadOnlyList<RateLimit> CreateLimits = SendLimits;

    /// <summary>Reading conversation members, per conversation.</summary>
    public static readonly IReadOnlyList<RateLimit> MemberLimits =
    [
        new(14, TimeSpan.FromSeconds(1)),
        new(16, TimeSpan.FromSeconds(2)),
        new(120, TimeSpan.FromSeconds(30)),
        new(3600, TimeSpan.FromHours(1)),
    ];

    /// <summary>The global limit per app per tenant, over every call.</summary>
    public static readonly IReadOnlyList<RateLimit> TenantLimits = [new(50, TimeSpan.FromSeconds(1))];

    private const int ForgetIdleAbove = 10_000;
    private static readonly TimeSpan Longest = TimeSpan.FromHours(1);
    private readonly Dictionary<string, List<DateTimeOffset>> _sent = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Reserves the next send slot for <paramref name="conversationId"/> and waits until it comes.</summary>
    public Task WaitTurnAsync(string conversationId, CancellationToken cancellationToken) =>
        WaitAsync([("send|" + conversationId, SendLimits)], cancellationToken);

    /// <summary>Reserves a slot counting against every window given and waits until it comes.</summary>
    public async Task WaitAsync(IReadOnlyList<(string Key, IReadOnlyList<RateLimit> Limits)> windows, CancellationToken cancellationToken)
    {
        var wait = Reserve(windows);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A send slot for one conversation; zero when there is room now.</summary>
    internal TimeSpan Reserve(string conversationId) => Reserve([("send|" + conversationId, SendLimits)]);

    /// <summary>Reserves a slot in every window and returns how long until it (zero when there is room now).</summary>
    internal TimeSpan Reserve(IReadOnlyList<(string Key, IReadOnlyList<RateLimit> Limits)> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var at = now;
            var lists = new List<List<DateTimeOffset>>(windows.Count);
            foreach (var (key, limits) in windows)
            {
                var slots = SlotsOf(key, now);
                lists.Add(slots);
                // Slots stay sorted: a new one is never before the last reserved (first come, first sent).
                if (slots.Count > 0 && slots[^1] > at) at = slots[^1];
                foreach (var (count, window) in limits)
                {
                    if (slots.Count >= count)
                    {
                        var earliest = slots[^count] + window;
                        if (earliest > at) at = earliest;
                    }
                }
            }
            foreach (var slots in lists) slots.Add(at);
            return at - now;
        }
    }

    private List<DateTimeOffset> SlotsOf(string key, DateTimeOffset now)
    {
        if (!_sent.TryGetValue(key, out var slots))
        {
            if (_sent.Count >= ForgetIdleAbove) ForgetIdle(now);
            slots = [];
            _sent[key] = slots;
        }
        var expired = slots.FindIndex(slot => slot > now - Longest);
        if (expired < 0) slots.Clear();
        else if (expired > 0) slots.RemoveRange(0, expired);
        return slots;
    }

    private void ForgetIdle(DateTimeOffset now)
    {
        foreach (var (key, slots) in _sent.ToList())
        {
            if (slots.Count == 0 || slots[^1] <= now - Longest) _sent.Remove(key);
        }
    }
}
