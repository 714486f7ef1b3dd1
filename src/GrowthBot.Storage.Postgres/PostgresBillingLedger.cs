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
        return database.InTransactionRetryingConflicts(
            (connection, transaction) => InsertAll(connection, transaction, [new BillingRecord(deliveryId, source, objectId, objectTime, shares)])[0], "a billing delivery");
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction (one commit for a webhook batch); a delivery already there is skipped (its insert does nothing,
    /// which does not abort the transaction). Another host may commit an overlapping batch at the same moment: rows are
    /// locked in key order, and a transaction PostgreSQL still aborts as a conflict is run again.
    /// </remarks>
    public void RecordAll(IReadOnlyList<BillingRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0) return;
        database.InTransactionRetryingConflicts((connection, transaction) => InsertAll(connection, transaction, records), "a billing ledger batch");
    }

    /// <summary>
    /// Writes the deliveries inside the caller's transaction, each false (nothing written for it) when its id is there
    /// already, and ends as recording them one by one in batch order would: the last new delivery of an object sets its
    /// time, the last share of a subscription its MRR. Rows are locked in key order whatever order the batch came in
    /// (delivery ids, then objects, then subscriptions), so two hosts recording overlapping batches wait for each other
    /// instead of deadlocking.
    /// </summary>
    private static bool[] InsertAll(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<BillingRecord> records)
    {
        var recorded = new bool[records.Count];
        foreach (var i in Enumerable.Range(0, records.Count).OrderBy(i => records[i].DeliveryId, StringComparer.Ordinal))
        {
            var record = records[i];
            using var delivery = Sql.Command(connection, """
                INSERT INTO billing_deliveries (delivery_id, source, object_id, object_time) VALUES (@id, @source, @object, @time)
                ON CONFLICT (delivery_id) DO NOTHING
                """, transaction)
                .With("id", record.DeliveryId).With("source", record.Source).With("object", record.ObjectId).With("time", Sql.Utc(record.ObjectTime));
            // Already applied (here, on another host, or earlier in this batch): nothing else is written for it.
            recorded[i] = delivery.ExecuteNonQuery() == 1;
        }

        var times = new SortedDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var shares = new SortedDictionary<string, SubscriptionShare>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            if (!recorded[i]) continue;
            times[records[i].ObjectId] = records[i].ObjectTime;
            foreach (var share in records[i].Shares) shares[share.SubscriptionId] = share;
        }
        if (times.Count > 0)
        {
            using var time = Sql.Command(connection, """
                INSERT INTO billing_objects (object_id, object_time) SELECT * FROM unnest(@object, @time)
                ON CONFLICT (object_id) DO UPDATE SET object_time = excluded.object_time
                """, transaction)
                .Array("object", times.Keys.ToArray(), NpgsqlDbType.Text)
                .Array("time", times.Values.Select(at => at.UtcDateTime).ToArray(), NpgsqlDbType.TimestampTz);
            time.ExecuteNonQuery();
        }
        if (shares.Count > 0)
        {
            using var upsert = Sql.Command(connection, """
                INSERT INTO billing_shares (subscription_id, customer_id, mrr) SELECT * FROM unnest(@subscription, @customer, @mrr)
                ON CONFLICT (subscription_id) DO UPDATE SET customer_id = excluded.customer_id, mrr = excluded.mrr
                """, transaction)
                .Array("subscription", shares.Keys.ToArray(), NpgsqlDbType.Text)
                .Array("customer", shares.Values.Select(share => share.CustomerId).ToArray(), NpgsqlDbType.Text)
                .Array("mrr", shares.Values.Select(share => share.Mrr).ToArray(), NpgsqlDbType.Numeric);
            upsert.ExecuteNonQuery();
        }
        return recorded;
    }
}
