namespace GrowthBot.Core.Conversations;

/// <summary>
/// Send slots per channel, so posts to one channel keep a platform's pace (Slack: about one message a
/// second per channel) however many hosts post to it. The storage adapter decides how far it is shared:
/// <see cref="LocalChannelPaceStore"/> for one process (LiteDB), a table every host updates on
/// PostgreSQL.
/// </summary>
public interface IChannelPaceStore
{
    /// <summary>
    /// Reserves the send slot for <paramref name="channel"/> of <paramref name="platform"/>: the earliest
    /// time at or after <paramref name="notBefore"/> that is at least <paramref name="interval"/> after the
    /// slot reserved before it, in one atomic step, and returns it. The caller sends at that slot.
    /// </summary>
    DateTimeOffset Reserve(ChatPlatform platform, string channel, DateTimeOffset notBefore, TimeSpan interval);
}
