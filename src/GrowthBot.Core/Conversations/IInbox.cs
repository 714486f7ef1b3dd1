namespace GrowthBot.Core.Conversations;

/// <summary>
/// The durable record of messages the bot has acknowledged. A message is recorded before the
/// platform is acknowledged, so a retry of the same delivery is recognised (answered once) and
/// a message acknowledged just before a crash is still answered after the restart.
/// </summary>
public interface IInbox
{
    /// <summary>Records the message; false if this delivery id was already recorded (a retry or duplicate).</summary>
    bool TryAccept(IncomingMessage message);

    /// <summary>Marks a message as answered.</summary>
    void Complete(IncomingMessage message);

    /// <summary>Messages recorded but not yet answered, oldest first.</summary>
    IReadOnlyList<IncomingMessage> Pending();

    /// <summary>
    /// True when several hosts share this inbox (PostgreSQL): each host's messages are claimed by it when
    /// accepted, it renews its claims (<see cref="RenewClaims"/>), and the others take over the messages
    /// of a host whose claims have lapsed (<see cref="ClaimUnanswered"/>, polled). False for a store one
    /// process opens (LiteDB): there <see cref="ClaimUnanswered"/> is asked once, at start.
    /// </summary>
    bool IsShared => false;

    /// <summary>
    /// Claims for this host, oldest first and at most <paramref name="max"/>, the messages recorded and not
    /// answered that no live host is answering: on a shared inbox, those whose claim was last renewed more
    /// than <paramref name="lease"/> before <paramref name="now"/> (their host died or stopped), each handed
    /// to one host however many ask at once; on a store one process opens, every one this process did not
    /// accept itself (earlier runs left them). The default is <see cref="Pending"/>, for an inbox that
    /// does not know who accepted what.
    /// </summary>
    IReadOnlyList<IncomingMessage> ClaimUnanswered(DateTimeOffset now, TimeSpan lease, int max) => Pending();

    /// <summary>Renews this host's claims on every message it accepted or claimed and has not answered (a shared inbox; nothing otherwise).</summary>
    void RenewClaims(DateTimeOffset now)
    {
    }
}
