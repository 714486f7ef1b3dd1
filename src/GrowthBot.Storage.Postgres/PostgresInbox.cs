using GrowthBot.Core.Conversations;

namespace GrowthBot.Storage.Postgres;

/// <summary>
/// The inbox on PostgreSQL: the primary key (platform, delivery id) makes a retried delivery a
/// duplicate whichever host receives it. Answered messages are pruned after a week, as in the LiteDB store.
/// Several hosts share it: a message is claimed by the host that accepted it (<c>claimed_by</c> is that
/// host's run, <c>claimed_at</c> its last renewal), and a host whose claims lapse (it died) has its
/// unanswered messages taken over by another, each by one host (<c>FOR UPDATE SKIP LOCKED</c>).
/// </summary>
public sealed class PostgresInbox(PostgresDatabase database, TimeProvider? time = null, string? owner = null) : IInbox
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>This host run's id in <c>claimed_by</c>.</summary>
    public string Owner { get; } = owner ?? Guid.NewGuid().ToString("N");

    /// <inheritdoc />
    public bool IsShared => true;

    internal const int PruneEvery = 1024;
    internal static readonly TimeSpan Retention = TimeSpan.FromDays(7);
    private int _acceptedSincePrune;

    /// <inheritdoc />
    public bool TryAccept(IncomingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var accepted = database.Run(connection =>
        {
            using var command = Sql.Command(connection, """
                INSERT INTO inbox (platform, delivery_key, received_at, message, claimed_by, claimed_at) VALUES (@platform, @key, @received, @message, @owner, @now)
                ON CONFLICT (platform, delivery_key) DO NOTHING
                """)
                .With("owner", Owner)
                .With("now", Sql.Utc(_time.GetUtcNow()))
                .With("platform", message.Platform.ToString())
                .With("key", KeyOf(message.DeliveryId))
                .With("received", Sql.Utc(message.ReceivedAt))
                .WithJson("message", StoredJson.Write(message));
            return command.ExecuteNonQuery() == 1;
        });
        if (accepted && Interlocked.Increment(ref _acceptedSincePrune) % PruneEvery == 0) Prune(message.ReceivedAt - Retention);
        return accepted;
    }

    /// <inheritdoc />
    public void Complete(IncomingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        database.Run(connection =>
        {
            using var command = Sql.Command(connection, "UPDATE inbox SET done = true WHERE platform = @platform AND delivery_key = @key")
                .With("platform", message.Platform.ToString())
                .With("key", KeyOf(message.DeliveryId));
            command.ExecuteNonQuery();
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<IncomingMessage> Pending() => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT message::text FROM inbox WHERE NOT done ORDER BY received_at, delivery_key");
        return command.List(reader => StoredJson.Read<IncomingMessage>(reader.GetString(0)));
    });

    /// <inheritdoc />
    /// <remarks>
    /// One statement: the oldest unanswered rows whose claim lapsed (or that never had one), locked with
    /// SKIP LOCKED so hosts asking at once each get different rows, are claimed and returned. Committed at
    /// once; no transaction spans the answering.
    /// </remarks>
    public IReadOnlyList<IncomingMessage> ClaimUnanswered(DateTimeOffset now, TimeSpan lease, int max) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, """
            WITH lapsed AS (
                SELECT platform, delivery_key FROM inbox
                WHERE NOT done AND (claimed_at IS NULL OR claimed_at < @lapsedBefore) AND claimed_by IS DISTINCT FROM @owner
                ORDER BY received_at, delivery_key
                LIMIT @max
                FOR UPDATE SKIP LOCKED)
            UPDATE inbox SET claimed_by = @owner, claimed_at = @now
            FROM lapsed WHERE inbox.platform = lapsed.platform AND inbox.delivery_key = lapsed.delivery_key
            RETURNING inbox.received_at, inbox.message::text
            """)
            .With("owner", Owner)
            .With("now", Sql.Utc(now))
            .With("lapsedBefore", Sql.Utc(now - lease))
            .With("max", max);
        return command.List(reader => (At: reader.Moment(0), Message: StoredJson.Read<IncomingMessage>(reader.GetString(1))))
            .OrderBy(row => row.At).Select(row => row.Message).ToList();
    });

    /// <inheritdoc />
    public void RenewClaims(DateTimeOffset now) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "UPDATE inbox SET claimed_at = @now WHERE NOT done AND claimed_by = @owner")
            .With("owner", Owner).With("now", Sql.Utc(now));
        command.ExecuteNonQuery();
    });

    internal int Prune(DateTimeOffset before) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "DELETE FROM inbox WHERE done AND received_at < @before").With("before", Sql.Utc(before));
        return command.ExecuteNonQuery();
    });

    /// <summary>Delivery ids are compared ignoring case, as the LiteDB inbox compares them.</summary>
    private static string KeyOf(string deliveryId) => deliveryId.ToLowerInvariant();
}
