using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Surveys;
using Npgsql;

namespace GrowthBot.Storage.Postgres;

/// <summary>
/// Surveys on PostgreSQL: recipients, runs, invitations, the button signing key, and the comments
/// digests quote (one query over the stored responses). Unlike the LiteDB store it keeps no
/// invitation cache: another host may have changed the invitation since.
/// </summary>
public sealed class PostgresSurveyStore(PostgresDatabase database) : ISurveyStore, ISurveyComments
{
    private const string SigningKeyId = "signing-key";

    /// <inheritdoc />
    public void SaveRecipients(IReadOnlyCollection<SurveyRecipient> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0) return;
        database.InTransaction((connection, transaction) =>
        {
            foreach (var recipient in recipients)
            {
                using var command = Sql.Command(connection, """
                    INSERT INTO survey_recipients (platform, user_id, customer_id, recipient) VALUES (@platform, @user, @customer, @recipient)
                    ON CONFLICT (platform, user_id) DO UPDATE SET customer_id = excluded.customer_id, recipient = excluded.recipient
                    """, transaction)
                    .With("platform", recipient.Platform.ToString()).With("user", recipient.UserId).With("customer", recipient.CustomerId)
                    .WithJson("recipient", StoredJson.Write(recipient));
                command.ExecuteNonQuery();
            }
            return true;
        });
    }

    /// <inheritdoc />
    public SurveyRecipient? FindRecipient(ChatPlatform platform, string userId) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT recipient::text FROM survey_recipients WHERE platform = @platform AND user_id = @user")
            .With("platform", platform.ToString()).With("user", userId);
        return command.Single(reader => StoredJson.Read<SurveyRecipient>(reader.GetString(0)));
    });

    /// <inheritdoc />
    public IReadOnlyList<SurveyRecipient> RecipientsOf(string customerId) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT recipient::text FROM survey_recipients WHERE customer_id = @customer ORDER BY platform, user_id")
            .With("customer", customerId);
        return command.List(reader => StoredJson.Read<SurveyRecipient>(reader.GetString(0)));
    });

    /// <inheritdoc />
    public void SaveRun(SurveyRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        database.Run(connection =>
        {
            using var command = Sql.Command(connection, """
                INSERT INTO survey_runs (id, started_at, run) VALUES (@id, @at, @run)
                ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, run = excluded.run
                """)
                .With("id", run.Id).With("at", Sql.Utc(run.StartedAt)).WithJson("run", StoredJson.Write(run));
            command.ExecuteNonQuery();
        });
    }

    /// <inheritdoc />
    public SurveyRun? FindRun(string runId)
    {
        if (string.IsNullOrEmpty(runId)) return null;
        return database.Run(connection =>
        {
            using var command = Sql.Command(connection, "SELECT run::text FROM survey_runs WHERE id = @id").With("id", runId);
            return command.Single(reader => StoredJson.Read<SurveyRun>(reader.GetString(0)));
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<SurveyRun> Runs() => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT run::text FROM survey_runs ORDER BY started_at DESC, id COLLATE \"C\"");
        return command.List(reader => StoredJson.Read<SurveyRun>(reader.GetString(0)));
    });

    /// <inheritdoc />
    public void SaveInvitations(IReadOnlyCollection<SurveyInvitation> invitations)
    {
        ArgumentNullException.ThrowIfNull(invitations);
        if (invitations.Count == 0) return;
        database.InTransaction((connection, transaction) =>
        {
            foreach (var invitation in invitations) WriteInvitation(connection, transaction, invitation, replace: true);
            return true;
        });
    }

    /// <inheritdoc />
    public int AddInvitations(IReadOnlyCollection<SurveyInvitation> invitations)
    {
        ArgumentNullException.ThrowIfNull(invitations);
        if (invitations.Count == 0) return 0;
        return database.InTransaction((connection, transaction) =>
            invitations.Count(invitation => WriteInvitation(connection, transaction, invitation, replace: false)));
    }

    /// <inheritdoc />
    public SurveyInvitation? FindInvitation(string invitationId)
    {
        if (string.IsNullOrEmpty(invitationId)) return null;
        return database.Run(connection =>
        {
            using var command = Sql.Command(connection, "SELECT invitation::text FROM survey_invitations WHERE id = @id").With("id", invitationId);
            return command.Single(reader => StoredJson.Read<SurveyInvitation>(reader.GetString(0)));
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<SurveyInvitation> InvitationsOfRun(string runId) => Invitations("run_id = @run", command => command.With("run", runId));

    /// <inheritdoc />
    public IReadOnlyList<SurveyInvitation> InvitationsOf(ChatPlatform platform, string userId) =>
        Invitations("platform = @platform AND user_id = @user", command => command.With("platform", platform.ToString()).With("user", userId));

    /// <inheritdoc />
    public IReadOnlyList<SurveyInvitation> Active() => Invitations("state IN ('Pending', 'Invited', 'Reminded')", _ => { });

    /// <inheritdoc />
    public IReadOnlyList<Ticket> TicketsResolvedSince(DateTimeOffset since) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT id, customer_id, opened_at, resolved_at, contacts FROM tickets WHERE resolved_at >= @since")
            .With("since", Sql.Utc(since));
        return command.List(GrowthTables.ReadTicket);
    });

    /// <inheritdoc />
    public string SigningKey(Func<string> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var candidate = create();
        // The first host to store a key wins; every other host (and every later call) reads that one.
        return database.Run(connection =>
        {
            using var command = Sql.Command(connection, """
                WITH added AS (INSERT INTO survey_meta (key, value) VALUES (@key, @value) ON CONFLICT (key) DO NOTHING RETURNING value)
                SELECT value FROM added UNION ALL SELECT value FROM survey_meta WHERE key = @key LIMIT 1
                """)
                .With("key", SigningKeyId).With("value", candidate);
            return (string)command.ExecuteScalar()!;
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<SurveyComment> Recent(DateTimeOffset since, DateTimeOffset until, int limit = 50, IReadOnlyCollection<SurveyKind>? kinds = null)
    {
        if (limit <= 0 || until <= since || kinds is { Count: 0 }) return [];
        var names = kinds?.Select(kind => kind.ToString().ToLowerInvariant()).ToArray();
        return database.Run(connection =>
        {
            using var command = Sql.Command(connection, """
                SELECT r.id, r.survey, r.customer_id, r.score, r.comment, r.responded_at, c.segment
                FROM responses r LEFT JOIN customers c ON c.id = r.customer_id
                WHERE r.responded_at >= @since AND r.responded_at < @until
                  AND r.comment IS NOT NULL AND btrim(r.comment) <> ''
                  AND (@kinds::text[] IS NULL OR r.survey = ANY(@kinds::text[]))
                ORDER BY r.responded_at DESC
                LIMIT @limit
                """)
                .With("since", Sql.Utc(since)).With("until", Sql.Utc(until)).With("limit", limit)
                .Array("kinds", names, NpgsqlTypes.NpgsqlDbType.Text);
            return command.List(reader =>
            {
                var response = GrowthTables.ReadResponse(reader);
                return new SurveyComment(response.Survey, response.Score, response.Comment!.Trim(), response.CustomerId, reader.OptionalString(6),
                    new DateTimeOffset(response.RespondedAt));
            });
        });
    }

    private List<SurveyInvitation> Invitations(string where, Action<NpgsqlCommand> bind) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, $"SELECT invitation::text FROM survey_invitations WHERE {where} ORDER BY id COLLATE \"C\"");
        bind(command);
        return command.List(reader => StoredJson.Read<SurveyInvitation>(reader.GetString(0)));
    });

    private static bool WriteInvitation(NpgsqlConnection connection, NpgsqlTransaction transaction, SurveyInvitation invitation, bool replace)
    {
        using var command = Sql.Command(connection, $"""
            INSERT INTO survey_invitations (id, run_id, platform, user_id, state, invitation) VALUES (@id, @run, @platform, @user, @state, @invitation)
            ON CONFLICT (id) DO {(replace ? "UPDATE SET run_id = excluded.run_id, platform = excluded.platform, user_id = excluded.user_id, state = excluded.state, invitation = excluded.invitation" : "NOTHING")}
            """, transaction)
            .With("id", invitation.Id).With("run", invitation.RunId).With("platform", invitation.Platform.ToString()).With("user", invitation.UserId)
            .With("state", invitation.State.ToString()).WithJson("invitation", StoredJson.Write(invitation));
        return command.ExecuteNonQuery() == 1;
    }
}
