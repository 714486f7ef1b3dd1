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

    /// <summary>Messages recorded but not yet answered, oldest first (re-queued at start).</summary>
    IReadOnlyList<IncomingMessage> Pending();
}
