using GrowthBot.Core.Freshness;

namespace GrowthBot.Storage.Postgres;

/// <summary>When each source last delivered data, on PostgreSQL.</summary>
public sealed class PostgresFreshnessStore(PostgresDatabase database) : IFreshnessStore
{
    /// <inheritdoc />
    public IReadOnlyDictionary<DataSource, DateTimeOffset> Load() => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT source, at FROM freshness");
        var last = new Dictionary<DataSource, DateTimeOffset>();
        foreach (var (source, at) in command.List(reader => (reader.GetString(0), reader.Moment(1))))
        {
            if (Enum.TryParse<DataSource>(source, out var known)) last[known] = at;
        }
        return last;
    });

    /// <inheritdoc />
    public void Save(DataSource source, DateTimeOffset at) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "INSERT INTO freshness (source, at) VALUES (@source, @at) ON CONFLICT (source) DO UPDATE SET at = excluded.at")
            .With("source", source.ToString()).With("at", Sql.Utc(at));
        command.ExecuteNonQuery();
    });
}
