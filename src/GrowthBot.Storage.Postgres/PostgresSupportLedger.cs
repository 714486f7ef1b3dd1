using GrowthBot.Core.Support;
using Npgsql;
using NpgsqlTypes;

namespace GrowthBot.Storage.Postgres;

/// <summary>The support connector's ledger on PostgreSQL: the delivery id's primary key is the dedupe, in the same transaction as the ticket's memory.</summary>
public sealed class PostgresSupportLedger(PostgresDatabase database) : ISupportLedger
{
    /// <inheritdoc />
    public TicketMemory? Find(string ticketId) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT ticket_id, status_at, resolved_at, reply_ids FROM support_tickets WHERE ticket_id = @id").With("id", ticketId);
        return command.Single(reader => new TicketMemory(reader.GetString(0), reader.OptionalMoment(1), reader.OptionalMoment(2), reader.GetFieldValue<string[]>(3)));
    });

    /// <inheritdoc />
    public bool Record(string deliveryId, string source, TicketMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        return database.InTransactionRetryingConflicts((connection, transaction) => InsertAll(connection, transaction, [new SupportRecord(deliveryId, source, memory)])[0], "a support delivery");
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction (one commit for a webhook batch); a delivery already there is skipped (its insert does nothing,
    /// which does not abort the transaction). Another host may commit an overlapping batch at the same moment: rows are
    /// locked in key order, and a transaction PostgreSQL still aborts as a conflict is run again.
    /// </remarks>
    public bool[] RecordAll(IReadOnlyList<SupportRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0) return [];
        return database.InTransactionRetryingConflicts((connection, transaction) => InsertAll(connection, transaction, records), "a support ledger batch");
    }

    /// <summary>
    /// Writes the deliveries inside the caller's transaction, each false (nothing written for it) when its id is there
    /// already, and ends as recording them one by one in batch order would: the last new delivery of a ticket sets its
    /// memory. Rows are locked in key order whatever order the batch came in (delivery ids, then tickets), so two hosts
    /// recording overlapping batches wait for each other instead of deadlocking.
    /// </summary>
    private static bool[] InsertAll(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<SupportRecord> records)
    {
        var recorded = new bool[records.Count];
        foreach (var i in Enumerable.Range(0, records.Count).OrderBy(i => records[i].DeliveryId, StringComparer.Ordinal))
        {
            var record = records[i];
            using var delivery = Sql.Command(connection,
                "INSERT INTO support_deliveries (delivery_id, source, ticket_id) VALUES (@id, @source, @ticket) ON CONFLICT (delivery_id) DO NOTHING", transaction)
                .With("id", record.DeliveryId).With("source", record.Source).With("ticket", record.Memory.TicketId);
            recorded[i] = delivery.ExecuteNonQuery() == 1;
        }

        var tickets = new SortedDictionary<string, TicketMemory>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            if (recorded[i]) tickets[records[i].Memory.TicketId] = records[i].Memory;
        }
        foreach (var memory in tickets.Values)
        {
            using var ticket = Sql.Command(connection, """
                INSERT INTO support_tickets (ticket_id, status_at, resolved_at, reply_ids) VALUES (@ticket, @status, @resolved, @replies)
                ON CONFLICT (ticket_id) DO UPDATE SET status_at = excluded.status_at, resolved_at = excluded.resolved_at, reply_ids = excluded.reply_ids
                """, transaction)
                .With("ticket", memory.TicketId).With("status", Sql.Utc(memory.StatusAt)).With("resolved", Sql.Utc(memory.ResolvedAt))
                .Array("replies", memory.ReplyIds.ToArray(), NpgsqlDbType.Text);
            ticket.ExecuteNonQuery();
        }
        return recorded;
    }
}
