using GrowthBot.Core.Conversations;

namespace GrowthBot.Core.Operations;

/// <summary>The inbox, counting each delivery it accepts for the first time: every platform event passes here once.</summary>
public sealed class CountedInbox(IInbox inner, GrowthBotMetrics metrics) : IInbox
{
    public bool TryAccept(IncomingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!inner.TryAccept(message)) return false;
        metrics.EventReceived(message.Platform);
        return true;
    }

    public void Complete(IncomingMessage message) => inner.Complete(message);

    public IReadOnlyList<IncomingMessage> Pending() => inner.Pending();

    public bool IsShared => inner.IsShared;

    public IReadOnlyList<IncomingMessage> ClaimUnanswered(DateTimeOffset now, TimeSpan lease, int max) => inner.ClaimUnanswered(now, lease, max);

    public void RenewClaims(DateTimeOffset now) => inner.RenewClaims(now);
}
