using GrowthBot.Core.Alerts;

namespace GrowthBot.Storage.Postgres;

/// <summary>
/// Metric alerts on PostgreSQL: one row per alert, the rule and state kept whole as jsonb beside the
/// columns it is listed by. Ids are exact (the primary key is case-sensitive), and times are kept
/// as the LiteDB store keeps them: UTC, to the millisecond. The version is kept in the jsonb
/// (<c>Version</c>); <see cref="TryReplace"/> is one conditional UPDATE on it, so hosts sharing the
/// database change an alert one at a time.
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
            // The version is the stored one plus one, whatever the caller read.
            using var command = Sql.Command(connection, """
                INSERT INTO alerts (id, created_at, alert) VALUES (@id, @created, @alert)
                ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at,
                    alert = jsonb_set(excluded.alert, '{Version}', to_jsonb(COALESCE((alerts.alert->>'Version')::bigint, 0) + 1))
                """)
                .With("id", stored.Id)
                .With("created", Sql.Utc(stored.Rule.CreatedAt))
                .WithJson("alert", StoredJson.Write(stored with { Version = 1 }));
            command.ExecuteNonQuery();
        });
    }

    /// <inheritdoc />
    public bool TryReplace(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var stored = ToTheMillisecond(alert);
        return database.Run(connection =>
        {
            // One statement: the row is changed only while it still holds the version the caller read
            // (alerts saved before versions were kept count as 0), so of two hosts only one wins.
            using var command = Sql.Command(connection, """
                UPDATE alerts SET created_at = @created, alert = @alert
                WHERE id = @id AND COALESCE((alert->>'Version')::bigint, 0) = @expected
                """)
                .With("id", stored.Id)
                .With("created", Sql.Utc(stored.Rule.CreatedAt))
                .With("expected", alert.Version)
                .WithJson("alert", StoredJson.Write(stored with { Version = alert.Version + 1 }));
            return command.ExecuteNonQuery() == 1;
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
                Post = state.Post is { } post ? post with { PostedAt = Instant.Ms(post.PostedAt), RefreshedAt = Instant.Ms(post.RefreshedAt) } : null,
                AcknowledgedAt = Instant.Ms(state.AcknowledgedAt),
                SnoozedUntil = Instant.Ms(state.SnoozedUntil),
                LastCheckedAt = Instant.Ms(state.LastCheckedAt),
            });
    }
}
