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
        return database.InTransaction((connection, transaction) => Insert(connection, transaction, new SupportRecord(deliveryId, source, memory)));
    }

    /// <inheritdoc />
    /// <remarks>One transaction (one commit for a webhook batch); a delivery already there is skipped (its insert does nothing, which does not abort the transaction).</remarks>
    public bool[] RecordAll(IReadOnlyList<SupportRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0) return [];
        return database.InTransaction((connection, transaction) => records.Select(record => Insert(connection, transaction, record)).ToArray());
    }

    /// <summary>Writes one delivery inside the caller's transaction; false (nothing written) when its id is there already.</summary>
    private static bool Insert(NpgsqlConnection connection, NpgsqlTransaction transaction, SupportRecord record)
    {
        var memory = record.Memory;
        using (var delivery = Sql.Command(connection,
            "INSERT INTO support_deliveries (delivery_id, source, ticket_id) VALUES (@id, @source, @ticket) ON CONFLICT (delivery_id) DO NOTHING", transaction)
            .With("id", record.DeliveryId).With("source", record.Source).With("ticket", memory.TicketId))
        {
            if (delivery.ExecuteNonQuery() == 0) return false;
        }
        using var ticket = Sql.Command(connection, """
            INSERT INTO support_tickets (ticket_id, status_at, resolved_at, reply_ids) VALUES (@ticket, @status, @resolved, @replies)
            ON CONFLICT (ticket_id) DO UPDATE SET status_at = excluded.status_at, resolved_at = excluded.resolved_at, reply_ids = excluded.reply_ids
            """, transaction)
            .With("ticket", memory.TicketId).With("status", Sql.Utc(memory.StatusAt)).With("resolved", Sql.Utc(memory.ResolvedAt))
            .Array("replies", memory.ReplyIds.ToArray(), NpgsqlDbType.Text);
        ticket.ExecuteNonQuery();
        return true;
    }
}
