namespace GrowthBot.Slack.WebApi;

/// <summary>
/// Keeps posts to one channel at least <c>MinimumChannelInterval</c> apart (Slack allows about
/// one message per second per channel and rate-limits bursts). Posts to different channels do
/// not wait for each other.
/// </summary>
internal sealed class ChannelPacer(TimeProvider time, TimeSpan interval)
{
    private readonly Dictionary<string, DateTimeOffset> _nextSlot = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public async Task WaitTurnAsync(string channel, CancellationToken cancellationToken)
    {
        if (interval <= TimeSpan.Zero) return;
        TimeSpan wait;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var slot = _nextSlot.TryGetValue(channel, out var next) && next > now ? next : now;
            _nextSlot[channel] = slot + interval;
            wait = slot - now;
        }
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
    }
}
