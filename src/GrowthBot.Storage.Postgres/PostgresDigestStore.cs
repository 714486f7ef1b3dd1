using GrowthBot.Core.Conversations;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using Npgsql;

namespace GrowthBot.Storage.Postgres;

/// <summary>
/// Digest subscriptions, targets and the delivery log on PostgreSQL. The log's primary key is
/// (subscription, period), and a claim is decided under that row's lock, so of two hosts claiming
/// the same delivery at once exactly one is granted.
/// </summary>
public sealed class PostgresDigestStore(PostgresDatabase database) : ISubscriptionStore
{
    private const string DeliveryColumns = "subscription_id, period_key, state, owner, attempts, updated_at, message_id, error";

    /// <inheritdoc />
    public IReadOnlyList<DigestSubscription> All() => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT subscription::text FROM digest_subscriptions ORDER BY subscribed_at, id");
        return command.List(reader => StoredJson.Read<DigestSubscription>(reader.GetString(0)));
    });

    /// <inheritdoc />
    public DigestSubscription? Find(string id) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT subscription::text FROM digest_subscriptions WHERE id = @id").With("id", id);
        return command.Single(reader => StoredJson.Read<DigestSubscription>(reader.GetString(0)));
    });

    /// <inheritdoc />
    public IReadOnlyList<DigestSubscription> ForConversation(ChatPlatform platform, string conversationId) => database.Run(connection =>
    {
        using var command = Sql.Command(connection,
            "SELECT subscription::text FROM digest_subscriptions WHERE platform = @platform AND conversation_id = @conversation ORDER BY subscribed_at, id")
            .With("platform", platform.ToString()).With("conversation", conversationId);
        return command.List(reader => StoredJson.Read<DigestSubscription>(reader.GetString(0)));
    });

    /// <inheritdoc />
    public void Save(DigestSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        database.Run(connection =>
        {
            using var command = Sql.Command(connection, """
                INSERT INTO digest_subscriptions (id, platform, conversation_id, subscribed_at, subscription)
                VALUES (@id, @platform, @conversation, @at, @subscription)
                ON CONFLICT (id) DO UPDATE SET platform = excluded.platform, conversation_id = excluded.conversation_id,
                    subscribed_at = excluded.subscribed_at, subscription = excluded.subscription
                """)
                .With("id", subscription.Id)
                .With("platform", subscription.Platform.ToString())
                .With("conversation", subscription.ConversationId)
                .With("at", Sql.Utc(subscription.SubscribedAt))
                .WithJson("subscription", StoredJson.Write(subscription));
            command.ExecuteNonQuery();
        });
    }

    /// <inheritdoc />
    public bool Remove(string id) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "DELETE FROM digest_subscriptions WHERE id = @id").With("id", id);
        return command.ExecuteNonQuery() == 1;
    });

    /// <inheritdoc />
    public IReadOnlyDictionary<MetricId, decimal> Targets() => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT metric, value FROM digest_targets");
        var targets = new Dictionary<MetricId, decimal>();
        foreach (var (metric, value) in command.List(reader => (reader.GetString(0), reader.GetDecimal(1))))
        {
            // A metric a newer build knows: not this one's to report.
            if (Enum.TryParse<MetricId>(metric, out var known)) targets[known] = value;
        }
        return targets;
    });

    /// <inheritdoc />
    public void SetTarget(MetricId metric, decimal? value) => database.Run(connection =>
    {
        using var command = value is { } target
            ? Sql.Command(connection, "INSERT INTO digest_targets (metric, value) VALUES (@metric, @value) ON CONFLICT (metric) DO UPDATE SET value = excluded.value")
                .With("metric", metric.ToString()).With("value", target)
            : Sql.Command(connection, "DELETE FROM digest_targets WHERE metric = @metric").With("metric", metric.ToString());
        command.ExecuteNonQuery();
    });

    /// <summary>Adds delivery-log lines copied from another store (<c>growthbot migrate</c>); lines already here are kept.</summary>
    public int Import(IReadOnlyCollection<DeliveryRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return database.InTransaction((connection, transaction) => records.Count(record =>
        {
            using var command = Sql.Command(connection, $"""
                INSERT INTO digest_deliveries ({DeliveryColumns}) VALUES (@subscription, @period, @state, @owner, @attempts, @at, @message, @error)
                ON CONFLICT (subscription_id, period_key) DO NOTHING
                """, transaction)
                .With("subscription", record.SubscriptionId).With("period", record.PeriodKey).With("state", record.State.ToString())
                .With("owner", record.Owner).With("attempts", record.Attempts).With("at", Sql.Utc(record.UpdatedAt))
                .With("message", record.MessageId).With("error", record.Error);
            return command.ExecuteNonQuery() == 1;
        }));
    }

    /// <inheritdoc />
    public DeliveryRecord? Delivery(string subscriptionId, string periodKey) => database.Run(connection =>
        FindDelivery(connection, null, subscriptionId, periodKey, forUpdate: false));

    /// <inheritdoc />
    public DeliveryClaim TryClaim(string subscriptionId, string periodKey, string owner, DateTimeOffset now) => TryClaim(subscriptionId, periodKey, owner, now, TimeSpan.Zero);

    /// <inheritdoc />
    /// <remarks>
    /// Several hosts share this log: a claim another owner left sending is that host's send in flight
    /// until it is <paramref name="takeOverAfter"/> old. The row is locked while deciding, so of two hosts
    /// taking over a lapsed claim at once the second sees the first's fresh claim and is refused.
    /// </remarks>
    public DeliveryClaim TryClaim(string subscriptionId, string periodKey, string owner, DateTimeOffset now, TimeSpan takeOverAfter) => database.InTransaction((connection, transaction) =>
    {
        var claim = new DeliveryRecord(subscriptionId, periodKey, DeliveryState.Sending, owner, 1, now);
        // Nothing recorded: the insert wins, and a concurrent claimer meets the row (and its lock) instead.
        using (var insert = Sql.Command(connection, $"""
            INSERT INTO digest_deliveries ({DeliveryColumns}) VALUES (@subscription, @period, @state, @owner, 1, @at, NULL, NULL)
            ON CONFLICT (subscription_id, period_key) DO NOTHING
            """, transaction)
            .With("subscription", subscriptionId).With("period", periodKey).With("state", nameof(DeliveryState.Sending))
            .With("owner", owner).With("at", Sql.Utc(now)))
        {
            if (insert.ExecuteNonQuery() == 1) return new DeliveryClaim(true, claim, null);
        }

        var previous = FindDelivery(connection, transaction, subscriptionId, periodKey, forUpdate: true)!;
        var granted = previous.State == DeliveryState.Failed
            || (previous.State == DeliveryState.Sending && previous.Owner != owner && now - previous.UpdatedAt >= takeOverAfter);
        if (!granted) return new DeliveryClaim(false, previous, previous);
        claim = claim with { Attempts = previous.Attempts + 1 };
        Upsert(connection, transaction, claim);
        return new DeliveryClaim(true, claim, previous);
    });

    /// <inheritdoc />
    public void Complete(string subscriptionId, string periodKey, DeliveryState state, DateTimeOffset now, string? messageId = null, string? problem = null) =>
        database.InTransaction((connection, transaction) =>
        {
            var current = FindDelivery(connection, transaction, subscriptionId, periodKey, forUpdate: true)
                ?? new DeliveryRecord(subscriptionId, periodKey, state, string.Empty, 1, now);
            Upsert(connection, transaction, current with { State = state, UpdatedAt = now, MessageId = messageId, Error = problem });
            return true;
        });

    private static DeliveryRecord? FindDelivery(NpgsqlConnection connection, NpgsqlTransaction? transaction, string subscriptionId, string periodKey, bool forUpdate)
    {
        using var command = Sql.Command(connection,
            $"SELECT {DeliveryColumns} FROM digest_deliveries WHERE subscription_id = @subscription AND period_key = @period{(forUpdate ? " FOR UPDATE" : "")}", transaction)
            .With("subscription", subscriptionId).With("period", periodKey);
        return command.Single(reader => new DeliveryRecord(
            reader.GetString(0), reader.GetString(1), Enum.Parse<DeliveryState>(reader.GetString(2)), reader.GetString(3), reader.GetInt32(4),
            reader.Moment(5), reader.OptionalString(6), reader.OptionalString(7)));
    }

    private static void Upsert(NpgsqlConnection connection, NpgsqlTransaction transaction, DeliveryRecord record)
    {
        using var command = Sql.Command(connection, $"""
            INSERT INTO digest_deliveries ({DeliveryColumns}) VALUES (@subscription, @period, @state, @owner, @attempts, @at, @message, @error)
            ON CONFLICT (subscription_id, period_key) DO UPDATE SET state = excluded.state, owner = excluded.owner, attempts = excluded.attempts,
                updated_at = excluded.updated_at, message_id = excluded.message_id, error = excluded.error
            """, transaction)
            .With("subscription", record.SubscriptionId).With("period", record.PeriodKey).With("state", record.State.ToString())
            .With("owner", record.Owner).With("attempts", record.Attempts).With("at", Sql.Utc(record.UpdatedAt))
            .With("message", record.MessageId).With("error", record.Error);
        command.ExecuteNonQuery();
    }
}
