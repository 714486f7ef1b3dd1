namespace GrowthBot.Core.Conversations;

/// <summary>Send slots kept in this process's memory: right for one host (LiteDB), which is the only one posting.</summary>
public sealed class LocalChannelPaceStore : IChannelPaceStore
{
    private readonly Dictionary<(ChatPlatform, string), DateTimeOffset> _nextSlot = [];
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public DateTimeOffset Reserve(ChatPlatform platform, string channel, DateTimeOffset notBefore, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(channel);
        lock (_gate)
        {
            var key = (platform, channel);
            var slot = _nextSlot.TryGetValue(key, out var next) && next > notBefore ? next : notBefore;
            _nextSlot[key] = slot + interval;
            return slot;
        }
    }
}
