namespace GrowthBot.Teams.Connector;

/// <summary>
/// Keeps the bot's sends to one conversation within Teams' per-conversation limits (7 per second,
/// 60 per 30 seconds, 1800 per hour): each send reserves the earliest moment at which all three
/// sliding windows have room, in arrival order, and waits for it on the injected clock. Sends to
/// different conversations do not wait for each other.
/// </summary>
internal sealed class ConversationLimiter(TimeProvider time)
{
    /// <summary>Teams' documented per-conversation limits for a bot.</summary>
    public static readonly IReadOnlyList<(int Count, TimeSpan Window)> TeamsLimits =
    [
        (7, TimeSpan.FromSeconds(1)),
        (60, TimeSpan.FromSeconds(30)),
        (1800, TimeSpan.FromHours(1)),
    ];

    private const int ForgetIdleAbove = 10_000;
    private readonly Dictionary<string, List<DateTimeOffset>> _sent = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly IReadOnlyList<(int Count, TimeSpan Window)> _limits = TeamsLimits;
    private readonly TimeSpan _longest = TeamsLimits.Max(limit => limit.Window);

    /// <summary>Reserves the next slot for <paramref name="conversationId"/> and waits until it comes.</summary>
    public async Task WaitTurnAsync(string conversationId, CancellationToken cancellationToken)
    {
        var wait = Reserve(conversationId);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reserves a slot and returns how long until it (zero when there is room now).</summary>
    internal TimeSpan Reserve(string conversationId)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!_sent.TryGetValue(conversationId, out var slots))
            {
                if (_sent.Count >= ForgetIdleAbove) ForgetIdle(now);
                slots = [];
                _sent[conversationId] = slots;
            }
            var expired = slots.FindIndex(slot => slot > now - _longest);
            if (expired < 0) slots.Clear();
            else if (expired > 0) slots.RemoveRange(0, expired);

            // Slots stay sorted: a new one is never before the last reserved (first come, first sent).
            var at = slots.Count > 0 && slots[^1] > now ? slots[^1] : now;
            foreach (var (count, window) in _limits)
            {
                if (slots.Count >= count)
                {
                    var earliest = slots[^count] + window;
                    if (earliest > at) at = earliest;
                }
            }
            slots.Add(at);
            return at - now;
        }
    }

    private void ForgetIdle(DateTimeOffset now)
    {
        foreach (var (conversation, slots) in _sent.ToList())
        {
            if (slots.Count == 0 || slots[^1] <= now - _longest) _sent.Remove(conversation);
        }
    }
}
