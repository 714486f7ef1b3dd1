namespace GrowthBot.Storage.Postgres;

/// <summary>
/// The database was migrated by a newer GrowthBot (or a shipped migration was changed): this host
/// refuses to run on it rather than misread tables it does not know.
/// </summary>
public sealed class SchemaTooNewException : Exception
{
    public SchemaTooNewException(string message) : base(message) { }

    public SchemaTooNewException() { }

    public SchemaTooNewException(string message, Exception innerException) : base(message, innerException) { }
}
