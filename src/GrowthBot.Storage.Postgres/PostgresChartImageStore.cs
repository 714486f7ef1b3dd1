using GrowthBot.Core.Ports;

namespace GrowthBot.Storage.Postgres;

/// <summary>Chart images on PostgreSQL: the id (the PNG's hash) is the primary key, so saving twice keeps one; pruned after 90 days.</summary>
public sealed class PostgresChartImageStore(PostgresDatabase database) : IChartImageStore
{
    internal const int PruneEvery = 64;
    internal static readonly TimeSpan Retention = TimeSpan.FromDays(90);
    private int _savesSincePrune;

    /// <inheritdoc />
    public void Save(string id, byte[] png, DateTimeOffset savedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(png);
        var added = database.Run(connection =>
        {
            using var command = Sql.Command(connection, "INSERT INTO chart_images (id, png, saved_at) VALUES (@id, @png, @saved) ON CONFLICT (id) DO NOTHING")
                .With("id", id).With("png", png).With("saved", Sql.Utc(savedAt));
            return command.ExecuteNonQuery() == 1;
        });
        if (added && Interlocked.Increment(ref _savesSincePrune) % PruneEvery == 0) Prune(savedAt - Retention);
    }

    /// <inheritdoc />
    public byte[]? Find(string id)
    {
        if (string.IsNullOrEmpty(id)) return null;
        return database.Run(connection =>
        {
            using var command = Sql.Command(connection, "SELECT png FROM chart_images WHERE id = @id").With("id", id);
            return command.ExecuteScalar() as byte[];
        });
    }

    internal int Prune(DateTimeOffset before) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "DELETE FROM chart_images WHERE saved_at < @before").With("before", Sql.Utc(before));
        return command.ExecuteNonQuery();
    });
}
