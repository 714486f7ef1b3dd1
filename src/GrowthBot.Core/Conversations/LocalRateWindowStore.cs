namespace GrowthBot.Core.Conversations;

/// <summary>Call slots kept in this process's memory: right for one host (LiteDB), which is the only one calling.</summary>
public sealed class LocalRateWindowStore : IRateWindowStore
{
    // Keys not used for their longest window are forgotten once there are this many, so memory stays bounded.
    private const int ForgetIdleAbove = 10_000;
    private readonly Dictionary<(ChatPlatform, string), Slots> _slots = [];
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public DateTimeOffset Reserve(ChatPlatform platform, IReadOnlyList<RateKey> keys, DateTimeOffset notBefore)
    {
        ArgumentNullException.ThrowIfNull(keys);
        lock (_gate)
        {
            var at = notBefore;
            var lists = new List<Slots>(keys.Count);
            foreach (var (key, limits) in keys)
            {
                var slots = SlotsOf(platform, key, limits, notBefore);
                lists.Add(slots);
                at = RateWindows.Earliest(at, limits, count => slots.Times.Count >= count ? slots.Times[^count] : null);
            }
            foreach (var slots in lists) slots.Times.Add(at);
            return at;
        }
    }

    private Slots SlotsOf(ChatPlatform platform, string key, IReadOnlyList<RateLimit> limits, DateTimeOffset now)
    {
        var longest = RateWindows.Longest(limits);
        if (!_slots.TryGetValue((platform, key), out var slots))
        {
            if (_slots.Count >= ForgetIdleAbove) ForgetIdle(now);
            slots = new Slots([], longest);
            _slots[(platform, key)] = slots;
        }
        slots.Longest = longest;
        // Slots stay sorted (a new one is never before the last), so the expired ones are a prefix.
        var kept = slots.Times.FindIndex(slot => slot > now - longest);
        if (kept < 0) slots.Times.Clear();
        else if (kept > 0) slots.Times.RemoveRange(0, kept);
        return slots;
    }

    private void ForgetIdle(DateTimeOffset now)
    {
        foreach (var (key, slots) in _slots.ToList())
        {
            if (slots.Times.Count == 0 || slots.Times[^1] <= now - slots.Longest) _slots.Remove(key);
        }
    }

    private sealed class Slots(List<DateTimeOffset> times, TimeSpan longest)
    {
        public List<DateTimeOffset> Times { get; } = times;

        public TimeSpan Longest { get; set; } = longest;
    }
}
