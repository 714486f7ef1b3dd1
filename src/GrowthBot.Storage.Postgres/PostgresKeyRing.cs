namespace GrowthBot.Storage.Postgres;

/// <summary>
/// The Data Protection key ring's rows in PostgreSQL: every host of a cluster reads the keys another
/// host created, so a token one host encrypted is readable by all. Stored as the key manager's own
/// XML text; the host adapts this to Data Protection's <c>IXmlRepository</c>.
/// </summary>
public sealed class PostgresKeyRing(PostgresDatabase database)
{
    /// <summary>Every stored element's XML, oldest first (the order the key manager wrote them).</summary>
    public IReadOnlyList<string> ReadAll() => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT xml FROM data_protection_keys ORDER BY stored_at, friendly_name");
        return (IReadOnlyList<string>)command.List(reader => reader.GetString(0));
    });

    /// <summary>
    /// Stores one element under its friendly name. A name is written once: the key manager never
    /// rewrites a key, and two hosts that raced to create the first key keep the first one stored
    /// (the other host reads it back on its next refresh).
    /// </summary>
    /// <returns>False when an element of that name was already stored.</returns>
    public bool TryAdd(string friendlyName, string xml)
    {
        ArgumentException.ThrowIfNullOrEmpty(friendlyName);
        ArgumentException.ThrowIfNullOrEmpty(xml);
        return database.Run(connection =>
        {
            using var command = Sql.Command(connection, """
                INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@name, @xml) ON CONFLICT (friendly_name) DO NOTHING
                """).With("name", friendlyName).With("xml", xml);
            return command.ExecuteNonQuery() == 1;
        });
    }

    /// <summary>How many elements are stored (for the start-up copy of a folder key ring and for <c>growthbot migrate</c>).</summary>
    public long Count() => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT count(*) FROM data_protection_keys");
        return (long)command.ExecuteScalar()!;
    });
}
