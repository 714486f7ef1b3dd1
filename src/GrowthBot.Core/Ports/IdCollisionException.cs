namespace GrowthBot.Core.Ports;

/// <summary>
/// Thrown by a store that refuses a row whose id equals a stored one except for case
/// (<c>ACME</c> when <c>acme</c> is stored): ids are exact, and a store that compares them
/// ignoring case (LiteDB) would otherwise merge the two. The write is rolled back whole.
/// </summary>
public sealed class IdCollisionException : Exception
{
    public IdCollisionException(string what, string id, string storedId)
        : base($"{what} id '{id}' differs from '{storedId}', already in the store, only in case; ids are exact, and the store cannot keep both, so rename one")
    {
        Id = id;
        StoredId = storedId;
    }

    public IdCollisionException()
    {
        Id = StoredId = string.Empty;
    }

    public IdCollisionException(string message) : base(message)
    {
        Id = StoredId = string.Empty;
    }

    public IdCollisionException(string message, Exception innerException) : base(message, innerException)
    {
        Id = StoredId = string.Empty;
    }

    /// <summary>The id being written.</summary>
    public string Id { get; }

    /// <summary>The stored id it collides with.</summary>
    public string StoredId { get; }
}
