namespace GrowthBot.Core.Conversations;

/// <summary>
/// Reserves send slots through the store every host shares, and while it cannot be reached through this
/// process's own slots instead: a post must not wait on the database (the platform's 429s are still
/// honoured meanwhile). Calls <c>fellBack</c> once when it starts using its own slots and
/// <c>sharedAgain</c> once when the store answers again, so the log says each change once.
/// </summary>
public sealed class SharedOrLocalSlots(Action<Exception> fellBack, Action sharedAgain)
{
    private int _fallingBack;

    /// <summary>The slot <paramref name="shared"/> reserves, or, when it throws, the one <paramref name="local"/> reserves.</summary>
    public DateTimeOffset Reserve(Func<DateTimeOffset> shared, Func<DateTimeOffset> local)
    {
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentNullException.ThrowIfNull(local);
        try
        {
            var slot = shared();
            if (Interlocked.Exchange(ref _fallingBack, 0) == 1) sharedAgain();
            return slot;
        }
#pragma warning disable CA1031 // A store that cannot be reached must not stop the post: this host paces its own until it can.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            if (Interlocked.Exchange(ref _fallingBack, 1) == 0) fellBack(exception);
            return local();
        }
    }
}
