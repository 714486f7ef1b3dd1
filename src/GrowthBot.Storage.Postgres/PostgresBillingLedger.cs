using GrowthBot.Core.Billing;
using Npgsql;
using NpgsqlTypes;

namespace GrowthBot.Storage.Postgres;

/// <summary>The billing connector's ledger on PostgreSQL: the delivery id's primary key is the dedupe, in the same transaction as the object time and shares.</summary>
public sealed class PostgresBillingLedger(PostgresDatabase database) : IBillingLedger
{
    /// <inheritdoc />
    public bool HasDelivery(string deliveryId) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT EXISTS (SELECT 1 FROM billing_deliveries WHERE delivery_id = @id)").With("id", deliveryId);
        return (bool)command.ExecuteScalar()!;
    });

    /// <inheritdoc />
    public DateTimeOffset? LastObjectTime(string objectId) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT object_time FROM billing_objects WHERE object_id = @id").With("id", objectId);
        return command.ExecuteScalar() is DateTime time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : (DateTimeOffset?)null;
    });

    /// <inheritdoc />
    public IReadOnlyList<SubscriptionShare> SharesOf(string customerId) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT subscription_id, customer_id, mrr FROM billing_shares WHERE customer_id = @customer")
            .With("customer", customerId);
        return command.List(reader => new SubscriptionShare(reader.GetString(0), reader.GetString(1), reader.GetDecimal(2)))
            .OrderBy(share => share.SubscriptionId, StringComparer.Ordinal).ToList();
    });

    /// <inheritdoc />
    public bool Record(string deliveryId, string source, string objectId, DateTimeOffset objectTime, IReadOnlyList<SubscriptionShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        return database.InTransaction((connection, transaction) => Insert(connection, transaction, new BillingRecord(deliveryId, source, objectId, objectTime, shares)));
    }

    /// <inheritdoc />
    /// <remarks>One transaction (one commit for a webhook batch); a delivery already there is skipped (its insert does nothing, which does not abort the transaction).</remarks>
    public void RecordAll(IReadOnlyList<BillingRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0) return;
        database.InTransaction((connection, transaction) =>
        {
            foreach (var record in records) Insert(connection, transaction, record);
            return true;
        });
    }

    /// <summary>Writes one delivery inside the caller's transaction; false (nothing written) when its id is there already.</summary>
    private static bool Insert(NpgsqlConnection connection, NpgsqlTransaction transaction, BillingRecord record)
    {
        using (var delivery = Sql.Command(connection, """
            INSERT INTO billing_deliveries (delivery_id, source, object_id, object_time) VALUES (@id, @source, @object, @time)
            ON CONFLICT (delivery_id) DO NOTHING
            """, transaction)
            .With("id", record.DeliveryId).With("source", record.Source).With("object", record.ObjectId).With("time", Sql.Utc(record.ObjectTime)))
        {
            // Already applied (here or on another host): nothing else is written.
            if (delivery.ExecuteNonQuery() == 0) return false;
        }
        using (var time = Sql.Command(connection,
            "INSERT INTO billing_objects (object_id, object_time) VALUES (@object, @time) ON CONFLICT (object_id) DO UPDATE SET object_time = excluded.object_time", transaction)
            .With("object", record.ObjectId).With("time", Sql.Utc(record.ObjectTime)))
        {
            time.ExecuteNonQuery();
        }
        if (record.Shares.Count > 0)
        {
            var latest = record.Shares.GroupBy(share => share.SubscriptionId, StringComparer.Ordinal).Select(group => group.Last()).ToList();
            using var upsert = Sql.Command(connection, """
                INSERT INTO billing_shares (subscription_id, customer_id, mrr) SELECT * FROM unnest(@subscription, @customer, @mrr)
                ON CONFLICT (subscription_id) DO UPDATE SET customer_id = excluded.customer_id, mrr = excluded.mrr
                """, transaction)
                .Array("subscription", latest.Select(share => share.SubscriptionId).ToArray(), NpgsqlDbType.Text)
                .Array("customer", latest.Select(share => share.CustomerId).ToArray(), NpgsqlDbType.Text)
                .Array("mrr", latest.Select(share => share.Mrr).ToArray(), NpgsqlDbType.Numeric);
            upsert.ExecuteNonQuery();
        }
        return true;
    }
}
