using GrowthBot.Core.FollowUps;
using Npgsql;
using NpgsqlTypes;

namespace GrowthBot.Storage.Postgres;

/// <summary>
/// Follow-up cases on PostgreSQL, one row per case keyed by its id (customer and day), the case kept
/// whole as jsonb beside the columns it is queried by. Several hosts may share the table, so every
/// read-then-write is one transaction that holds the case's row lock while deciding: of two presses
/// at once (on one host or two) the second sees the first's claim, and two hosts opening the same
/// case meet on the primary key. The decisions are the LiteDB store's, step for step.
/// Times are kept as the LiteDB store keeps them: UTC, to the millisecond.
/// </summary>
public sealed class PostgresFollowUpStore(PostgresDatabase database) : IFollowUpStore
{
    private const string UnpostedStates = $"post_state IN ('{nameof(FollowUpPostState.Pending)}', '{nameof(FollowUpPostState.Sending)}')";

    /// <inheritdoc />
    public (bool Opened, FollowUpCase Case) Open(FollowUpCase followUp)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        return database.InTransaction((connection, transaction) =>
        {
            // Nothing there: the insert wins, and a host opening the same case meanwhile waits on the key, then finds this one.
            using (var insert = Sql.Command(connection, """
                INSERT INTO followup_cases (id, opened_at, resolved_at, post_state, followup) VALUES (@id, @opened, @resolved, @post, @followup)
                ON CONFLICT (id) DO NOTHING
                """, transaction))
            {
                var stored = ToTheMillisecond(followUp);
                insert.With("id", stored.Id).With("opened", Sql.Utc(stored.OpenedAt)).With("resolved", Sql.Utc(stored.ResolvedAt))
                    .With("post", stored.PostState.ToString()).WithJson("followup", StoredJson.Write(stored));
                if (insert.ExecuteNonQuery() == 1) return (true, followUp);
            }

            // The same customer answered unhappily again that day; a replayed answer is not counted twice.
            var (existing, later) = Lock(connection, transaction, followUp.Id)!.Value;
            if (string.Equals(existing.ResponseId, followUp.ResponseId, StringComparison.Ordinal))
            {
                // The answer that opened the case, written again: with the comment the customer added after their score, say.
                if (followUp.Comment is null || string.Equals(followUp.Comment, existing.Comment, StringComparison.Ordinal)) return (false, existing);
                var commented = FollowUpCase.WithNewComment(existing, followUp.Comment);
                Update(connection, transaction, commented);
                return (false, commented);
            }
            if (later.Contains(followUp.ResponseId, StringComparer.Ordinal)) return (false, existing);
            string[] counted = [.. later, followUp.ResponseId];
            var updated = existing with { LaterAnswers = counted.Length };
            Update(connection, transaction, updated, counted);
            return (false, updated);
        });
    }

    /// <inheritdoc />
    public FollowUpCase? Find(string id) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT followup::text FROM followup_cases WHERE id = @id").With("id", id);
        return command.Single(Read);
    });

    /// <inheritdoc />
    public IReadOnlyList<FollowUpCase> Unposted() => Query($"{UnpostedStates} ORDER BY opened_at, id");

    /// <inheritdoc />
    /// <remarks>
    /// The row is locked while deciding, so of two hosts claiming at once the second sees the first's
    /// fresh claim (its owner and time) and is refused until that claim's lease has run out.
    /// </remarks>
    public FollowUpCase? TryStartPosting(string id, string owner, DateTimeOffset now, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return database.InTransaction((connection, transaction) =>
        {
            if (Lock(connection, transaction, id) is not ({ } followUp, _) || !followUp.CanStartPosting(owner, now, lease)) return null;
            var claimed = followUp.StartPosting(owner, now);
            Update(connection, transaction, claimed);
            return ToTheMillisecond(claimed);
        });
    }

    /// <inheritdoc />
    public FollowUpCase? FinishPosting(string id, string owner, FollowUpPostState state, string? messageId, string? problem)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return database.InTransaction((connection, transaction) =>
        {
            if (Lock(connection, transaction, id) is not ({ } followUp, _) || followUp.FinishPosting(owner, state, messageId, problem) is not { } finished) return null;
            Update(connection, transaction, finished);
            return finished;
        });
    }

    /// <inheritdoc />
    public ClaimResult TryClaim(string id, string userId, string? userName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return database.InTransaction((connection, transaction) =>
        {
            if (Lock(connection, transaction, id) is not ({ } followUp, _)) return new ClaimResult(ClaimOutcome.Unknown, null);
            if (followUp.IsResolved) return new ClaimResult(ClaimOutcome.Resolved, followUp);
            if (followUp.ClaimedBy is { } owner)
            {
                return new ClaimResult(string.Equals(owner, userId, StringComparison.Ordinal) ? ClaimOutcome.AlreadyYours : ClaimOutcome.TakenByOther, followUp);
            }
            var claimed = followUp.OwingRedrawIfInFlight() with { ClaimedBy = userId, ClaimedByName = userName, ClaimedAt = now };
            Update(connection, transaction, claimed);
            return new ClaimResult(ClaimOutcome.Claimed, claimed);
        });
    }

    /// <inheritdoc />
    public FollowUpCase? Resolve(string id, string userId, string? userName, string outcome, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(outcome);
        return database.InTransaction((connection, transaction) =>
        {
            if (Lock(connection, transaction, id) is not ({ } followUp, _) || followUp.IsResolved) return null;
            var resolved = followUp.OwingRedrawIfInFlight() with
            {
                ClaimedBy = followUp.ClaimedBy ?? userId,
                ClaimedByName = followUp.ClaimedBy is null ? userName : followUp.ClaimedByName,
                ClaimedAt = followUp.ClaimedAt ?? now,
                Outcome = outcome,
                ResolvedBy = userId,
                ResolvedByName = userName,
                ResolvedAt = now,
            };
            Update(connection, transaction, resolved);
            return resolved;
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<FollowUpCase> Open() => Query("resolved_at IS NULL ORDER BY opened_at, id");

    /// <inheritdoc />
    public IReadOnlyList<FollowUpCase> Touched(DateTimeOffset start, DateTimeOffset until) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, """
            SELECT followup::text FROM followup_cases
            WHERE (opened_at >= @start AND opened_at < @until) OR (resolved_at >= @start AND resolved_at < @until)
            ORDER BY opened_at, id
            """)
            .With("start", Sql.Utc(start)).With("until", Sql.Utc(until));
        return command.List(Read);
    });

    /// <summary>
    /// Adds cases copied from another store (<c>growthbot migrate</c>) with the later answers counted on
    /// them; a case already here is replaced by the copy. One transaction.
    /// </summary>
    public int Import(IReadOnlyCollection<(FollowUpCase Case, IReadOnlyList<string> LaterAnswerIds)> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        return database.InTransaction((connection, transaction) => cases.Sum(row =>
        {
            var stored = ToTheMillisecond(row.Case);
            using var command = Sql.Command(connection, """
                INSERT INTO followup_cases (id, opened_at, resolved_at, post_state, later_ids, followup) VALUES (@id, @opened, @resolved, @post, @later, @followup)
                ON CONFLICT (id) DO UPDATE SET opened_at = excluded.opened_at, resolved_at = excluded.resolved_at, post_state = excluded.post_state,
                    later_ids = excluded.later_ids, followup = excluded.followup
                """, transaction)
                .With("id", stored.Id).With("opened", Sql.Utc(stored.OpenedAt)).With("resolved", Sql.Utc(stored.ResolvedAt))
                .With("post", stored.PostState.ToString()).Array("later", row.LaterAnswerIds.ToArray(), NpgsqlDbType.Text)
                .WithJson("followup", StoredJson.Write(stored));
            return command.ExecuteNonQuery();
        }));
    }

    private List<FollowUpCase> Query(string condition) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, $"SELECT followup::text FROM followup_cases WHERE {condition}");
        return command.List(Read);
    });

    /// <summary>The case and the answers counted on it, its row locked until the transaction ends; null if there is none.</summary>
    private static (FollowUpCase Case, string[] Later)? Lock(NpgsqlConnection connection, NpgsqlTransaction transaction, string id)
    {
        using var command = Sql.Command(connection, "SELECT followup::text, later_ids FROM followup_cases WHERE id = @id FOR UPDATE", transaction).With("id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (Read(reader), reader.GetFieldValue<string[]>(1)) : null;
    }

    /// <summary>Writes a case back; the answers counted on it are kept unless <paramref name="later"/> replaces them.</summary>
    private static void Update(NpgsqlConnection connection, NpgsqlTransaction transaction, FollowUpCase followUp, string[]? later = null)
    {
        var stored = ToTheMillisecond(followUp);
        using var command = Sql.Command(connection, $"""
            UPDATE followup_cases SET opened_at = @opened, resolved_at = @resolved, post_state = @post, followup = @followup{(later is null ? "" : ", later_ids = @later")}
            WHERE id = @id
            """, transaction)
            .With("id", stored.Id).With("opened", Sql.Utc(stored.OpenedAt)).With("resolved", Sql.Utc(stored.ResolvedAt))
            .With("post", stored.PostState.ToString()).WithJson("followup", StoredJson.Write(stored));
        if (later is not null) command.Array("later", later, NpgsqlDbType.Text);
        command.ExecuteNonQuery();
    }

    private static FollowUpCase Read(NpgsqlDataReader reader) => StoredJson.Read<FollowUpCase>(reader.GetString(0));

    private static FollowUpCase ToTheMillisecond(FollowUpCase followUp) => followUp with
    {
        AnsweredAt = Instant.Ms(followUp.AnsweredAt),
        OpenedAt = Instant.Ms(followUp.OpenedAt),
        ClaimedAt = Instant.Ms(followUp.ClaimedAt),
        ResolvedAt = Instant.Ms(followUp.ResolvedAt),
        PostClaimedAt = Instant.Ms(followUp.PostClaimedAt),
    };
}
