using GrowthBot.Core.Alerts;

namespace GrowthBot.Storage.Postgres;

/// <summary>
/// Metric alerts on PostgreSQL: one row per alert, the rule and state kept whole as jsonb beside the
/// columns it is listed by. Ids are exact (the primary key is case-sensitive), and times are kept
/// as the LiteDB store keeps them: UTC, to the millisecond. Callers serialise their read-modify-write
/// through <see cref="AlertBook"/>, so a save is one upsert.
/// </summary>
public sealed class PostgresAlertStore(PostgresDatabase database) : IAlertStore
{
    /// <inheritdoc />
    public IReadOnlyList<Alert> All() => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT alert::text FROM alerts ORDER BY created_at, id");
        return command.List(reader => StoredJson.Read<Alert>(reader.GetString(0)));
    });

    /// <inheritdoc />
    public Alert? Find(string id) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT alert::text FROM alerts WHERE id = @id").With("id", id);
        return command.Single(reader => StoredJson.Read<Alert>(reader.GetString(0)));
    });

    /// <inheritdoc />
    public void Save(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var stored = ToTheMillisecond(alert);
        database.Run(connection =>
        {
            using var command = Sql.Command(connection, """
                INSERT INTO alerts (id, created_at, alert) VALUES (@id, @created, @alert)
                ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, alert = excluded.alert
                """)
                .With("id", stored.Id)
                .With("created", Sql.Utc(stored.Rule.CreatedAt))
                .WithJson("alert", StoredJson.Write(stored));
            command.ExecuteNonQuery();
        });
    }

    /// <inheritdoc />
    public bool Remove(string id) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "DELETE FROM alerts WHERE id = @id").With("id", id);
        return command.ExecuteNonQuery() == 1;
    });

    /// <summary>Every instant as the LiteDB store gives it back (UTC, milliseconds), so both stores read the same alert.</summary>
    private static Alert ToTheMillisecond(Alert alert)
    {
        var state = alert.State;
        return new Alert(
            alert.Rule with { CreatedAt = Instant.Ms(alert.Rule.CreatedAt) },
            state with
            {
                FiredAt = Instant.Ms(state.FiredAt),
                Post = state.Post is { } post ? post with { PostedAt = Instant.Ms(post.PostedAt) } : null,
                AcknowledgedAt = Instant.Ms(state.AcknowledgedAt),
                SnoozedUntil = Instant.Ms(state.SnoozedUntil),
                LastCheckedAt = Instant.Ms(state.LastCheckedAt),
            });
    }
}
