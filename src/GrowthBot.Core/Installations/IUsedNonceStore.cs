namespace GrowthBot.Core.Installations;

/// <summary>
/// One-time values already used (the nonce of an install link), kept durably until they expire, so a
/// link replayed after a restart is refused as it was before.
/// </summary>
public interface IUsedNonceStore
{
    /// <summary>
    /// Records <paramref name="nonce"/> as used until <paramref name="expiresAt"/>; false when it was already
    /// used and has not expired by <paramref name="now"/>. Atomic: of two concurrent uses, one wins.
    /// Entries expired by <paramref name="now"/> are dropped.
    /// </summary>
    bool TryUse(string nonce, DateTimeOffset expiresAt, DateTimeOffset now);
}
