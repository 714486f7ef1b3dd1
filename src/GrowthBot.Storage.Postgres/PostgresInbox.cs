using GrowthBot.Core.Conversations;

namespace GrowthBot.Storage.Postgres;

/// <summary>
/// The inbox on PostgreSQL: the primary key (platform, delivery id) makes a retried delivery a
/// duplicate whichever host receives it. Answered messages are pruned after a week, as in the LiteDB store.
/// </summary>
public sealed class PostgresInbox(PostgresDatabase database) : IInbox
{
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
                INSERT INTO inbox (platform, delivery_key, received_at, message) VALUES (@platform, @key, @received, @message)
                ON CONFLICT (platform, delivery_key) DO NOTHING
                """)
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

    internal int Prune(DateTimeOffset before) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "DELETE FROM inbox WHERE done AND received_at < @before").With("before", Sql.Utc(before));
        return command.ExecuteNonQuery();
    });

    /// <summary>Delivery ids are compared ignoring case, as the LiteDB inbox compares them.</summary>
    private static string KeyOf(string deliveryId) => deliveryId.ToLowerInvariant();
}
