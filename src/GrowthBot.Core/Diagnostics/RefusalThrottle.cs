namespace GrowthBot.Core.Diagnostics;

/// <summary>
/// Decides which refused requests (bad signatures, bad tokens, bad keys) get a log line: the first
/// in each <see cref="Interval"/> is logged, with how many were refused unlogged since the last
/// logged one; the rest are only counted. A flood of forgeries then writes one line per interval
/// instead of one per request, and the count says how big the flood was. One throttle per kind of
/// refusal (per adapter), so the caller never keys it with attacker-chosen text.
/// </summary>
public sealed class RefusalThrottle(TimeProvider time, TimeSpan interval)
{
    /// <summary>The interval the adapters use: one line a minute per kind of refusal at most.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private DateTimeOffset? _windowStart;
    private long _unlogged;

    public TimeSpan Interval { get; } = interval;

    /// <summary>
    /// True when this refusal should be logged now; <paramref name="unloggedBefore"/> is then the number
    /// of refusals counted but not logged since the previous logged one.
    /// </summary>
    public bool ShouldLog(out long unloggedBefore)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_windowStart is { } start && now - start < Interval)
            {
                _unlogged++;
                unloggedBefore = 0;
                return false;
            }
            unloggedBefore = _unlogged;
            _unlogged = 0;
            _windowStart = now;
            return true;
        }
    }
}
