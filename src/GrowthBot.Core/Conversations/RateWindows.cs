namespace GrowthBot.Core.Conversations;

/// <summary>The sliding-window arithmetic every <see cref="IRateWindowStore"/> shares, so the providers cannot drift apart.</summary>
public static class RateWindows
{
    /// <summary>The longest window of <paramref name="limits"/>: slots older than that no longer count.</summary>
    public static TimeSpan Longest(IReadOnlyList<RateLimit> limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var longest = TimeSpan.Zero;
        foreach (var limit in limits) if (limit.Window > longest) longest = limit.Window;
        return longest;
    }

    /// <summary>
    /// The earliest time at or after <paramref name="at"/> that one key allows: not before its last slot
    /// (first come, first called) and, for each limit of N in a window, not before the Nth latest slot plus
    /// the window. <paramref name="nthLatest"/> gives the Nth latest slot (1 is the last), or null when
    /// there are fewer.
    /// </summary>
    public static DateTimeOffset Earliest(DateTimeOffset at, IReadOnlyList<RateLimit> limits, Func<int, DateTimeOffset?> nthLatest)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(nthLatest);
        if (nthLatest(1) is { } last && last > at) at = last;
        foreach (var (count, window) in limits)
        {
            if (nthLatest(count) is { } slot && slot + window > at) at = slot + window;
        }
        return at;
    }
}
