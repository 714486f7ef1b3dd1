using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;
using Npgsql;

namespace GrowthBot.Storage.Postgres;

/// <summary>One committed write as the other hosts apply it: its generation, the rows it changed and the versions they replaced.</summary>
internal sealed record LoggedWrite(long Generation, GrowthDataBatch Changed, GrowthDataBatch Replaced);

/// <summary>
/// The <c>growth_changes</c> table: what each committed write changed, kept under the generation it
/// bumped, and the NOTIFY that announces it. Both happen inside the write's transaction, so an entry
/// exists and a notice is delivered only when the write committed.
/// </summary>
internal static class GrowthChangeLog
{
    /// <summary>The channel every host LISTENs on; the payload is the committed generation.</summary>
    public const string Channel = "growthbot_growth_changes";

    /// <summary>How long entries are kept: a host further behind than this must restart (it logs so).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    private const int PartRows = 5000;

    /// <summary>Records a write's changes under <paramref name="generation"/>, announces it, and prunes old entries.</summary>
    public static void Record(NpgsqlConnection connection, NpgsqlTransaction transaction, long generation, StoreChanges changes)
    {
        var part = 0;
        part = Parts(connection, transaction, generation, part, "changed", changes.Changed);
        Parts(connection, transaction, generation, part, "replaced", changes.Replaced);
        using (var notify = Sql.Command(connection, "SELECT pg_notify(@channel, @generation)", transaction)
            .With("channel", Channel).With("generation", generation.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            notify.ExecuteNonQuery();
        }
        using var prune = Sql.Command(connection, "DELETE FROM growth_changes WHERE recorded_at < now() - @retention", transaction)
            .With("retention", Retention);
        prune.ExecuteNonQuery();
    }

    /// <summary>Every write committed after <paramref name="generation"/>, oldest first (at most <paramref name="limit"/> writes).</summary>
    public static List<LoggedWrite> ReadAfter(NpgsqlConnection connection, long generation, int limit)
    {
        using var command = Sql.Command(connection, """
            SELECT generation, kind, role, rows::text FROM growth_changes
            WHERE generation > @after AND generation <= (SELECT max(generation) FROM (
                SELECT DISTINCT generation FROM growth_changes WHERE generation > @after ORDER BY generation LIMIT @limit) AS first)
            ORDER BY generation, part
            """).With("after", generation).With("limit", limit);
        using var reader = command.ExecuteReader();
        var writes = new List<LoggedWrite>();
        while (reader.Read())
        {
            var at = reader.GetInt64(0);
            if (writes.Count == 0 || writes[^1].Generation != at) writes.Add(new LoggedWrite(at, new GrowthDataBatch(), new GrowthDataBatch()));
            var write = writes[^1];
            AddRows(reader.GetString(2) == "changed" ? write.Changed : write.Replaced, reader.GetString(1), reader.GetString(3));
        }
        return writes;
    }

    /// <summary>
    /// The writes after <paramref name="position"/> that the log no longer holds (pruned), or null when it holds every
    /// one: from position + 1 up to just before the oldest entry after it (or the store's generation when there is none).
    /// One statement, so a write committing meanwhile cannot make a gap seem to be there.
    /// </summary>
    public static (long From, long To)? Missed(NpgsqlConnection connection, long position)
    {
        using var command = Sql.Command(connection, """
            SELECT (SELECT value FROM store_meta WHERE key = 'generation'), (SELECT min(generation) FROM growth_changes WHERE generation > @position)
            """).With("position", position);
        using var reader = command.ExecuteReader();
        reader.Read();
        var current = reader.GetInt64(0);
        var next = reader.IsDBNull(1) ? (long?)null : reader.GetInt64(1);
        var to = next is { } logged ? logged - 1 : current;
        return to > position ? (position + 1, to) : null;
    }

    /// <summary>The oldest generation the log still holds (null when empty): a follower behind it cannot catch up.</summary>
    public static long? Oldest(NpgsqlConnection connection)
    {
        using var command = Sql.Command(connection, "SELECT min(generation) FROM growth_changes");
        return command.ExecuteScalar() is long oldest ? oldest : null;
    }

    private static int Parts(NpgsqlConnection connection, NpgsqlTransaction transaction, long generation, int part, string role, GrowthDataBatch batch)
    {
        part = Kind(connection, transaction, generation, part, role, "customers", batch.Customers);
        part = Kind(connection, transaction, generation, part, role, "subscriptions", batch.Subscriptions);
        part = Kind(connection, transaction, generation, part, role, "orders", batch.Orders);
        part = Kind(connection, transaction, generation, part, role, "spend", batch.Spend);
        part = Kind(connection, transaction, generation, part, role, "tickets", batch.Tickets);
        return Kind(connection, transaction, generation, part, role, "responses", batch.Responses);
    }

    private static int Kind<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, long generation, int part, string role, string kind, List<T> rows)
    {
        foreach (var chunk in rows.Chunk(PartRows))
        {
            using var insert = Sql.Command(connection,
                "INSERT INTO growth_changes (generation, part, kind, role, rows) VALUES (@generation, @part, @kind, @role, @rows)", transaction)
                .With("generation", generation).With("part", part++).With("kind", kind).With("role", role).WithJson("rows", StoredJson.Write(chunk));
            insert.ExecuteNonQuery();
        }
        return part;
    }

    private static void AddRows(GrowthDataBatch into, string kind, string json)
    {
        switch (kind)
        {
            case "customers": into.Customers.AddRange(StoredJson.Read<List<Customer>>(json)); break;
            case "subscriptions": into.Subscriptions.AddRange(StoredJson.Read<List<SubscriptionChange>>(json)); break;
            case "orders": into.Orders.AddRange(StoredJson.Read<List<Order>>(json)); break;
            case "spend": into.Spend.AddRange(StoredJson.Read<List<SpendEntry>>(json)); break;
            case "tickets": into.Tickets.AddRange(StoredJson.Read<List<Ticket>>(json)); break;
            case "responses": into.Responses.AddRange(StoredJson.Read<List<SurveyResponse>>(json)); break;
            default: throw new InvalidDataException($"growth_changes holds rows of an unknown kind '{kind}' (written by a newer GrowthBot?).");
        }
    }
}
