using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;
using Npgsql;
using NpgsqlTypes;

namespace GrowthBot.Storage.Postgres;

/// <summary>
/// The PostgreSQL implementation of <see cref="IGrowthStore"/>. Every batch is one transaction (all of
/// it lands, or none), writers take turns under a transaction-scoped advisory lock so each can report
/// exactly which rows it changed, and the generation is bumped in the same transaction. Times are
/// kept to the millisecond, as the LiteDB store keeps them, so both stores hold (and key) the same rows.
/// Each changing write also records what it changed in <c>growth_changes</c> and announces its generation
/// (<see cref="GrowthChangeLog"/>), so other hosts' engines follow it (<see cref="PostgresGrowthFollower"/>).
/// </summary>
public sealed class PostgresGrowthStore(PostgresDatabase database) : IGrowthStore
{
    /// <summary>Serialises growth-data writers across hosts ("GrowthWr").</summary>
    internal const long WriteLockKey = 0x4772_6F77_7468_5772;

    private const int Chunk = 5000;

    /// <summary>The growth tables, by the names <c>migrate</c> reports.</summary>
    public static IReadOnlyList<string> CountedTables { get; } = ["customers", "subscription_changes", "orders", "spend", "tickets", "responses"];

    /// <summary>The generation the last <see cref="ReadAll"/> saw (read in the same snapshot as its rows); null before one.</summary>
    public long? LastReadGeneration { get; private set; }

    /// <summary>The follower keeping this host's engine current, once attached; its writes are ordered with the follower's.</summary>
    internal PostgresGrowthFollower? Follower { get; set; }

    /// <inheritdoc />
    public bool IsEmpty => database.Run(connection =>
    {
        using var command = Sql.Command(connection,
            "SELECT NOT EXISTS (SELECT 1 FROM customers) AND NOT EXISTS (SELECT 1 FROM subscription_changes) AND NOT EXISTS (SELECT 1 FROM responses)");
        return (bool)command.ExecuteScalar()!;
    });

    /// <inheritdoc />
    public long Generation => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT value FROM store_meta WHERE key = 'generation'");
        return (long)command.ExecuteScalar()!;
    });

    /// <inheritdoc />
    public IReadOnlySet<string> CustomerIds() => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT id FROM customers");
        return command.List(reader => reader.GetString(0)).ToHashSet(StringComparer.Ordinal);
    });

    /// <inheritdoc />
    public StoreWriteResult Write(GrowthDataBatch batch, IProgress<int>? rowsWritten = null, StoreChanges? changes = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // A caller asking for the changes applies them to this host's engine itself. With a follower attached,
        // that must happen in generation order with the other hosts' writes: the follower's turn is held for the
        // whole write, the others' writes committed before this one are read inside its transaction, and
        // applied before it (the caller applies this one as soon as this returns).
        var follower = changes is null ? null : Follower;
        if (follower is null) return WriteInTurn(batch, rowsWritten, changes, follower: null);
        lock (follower.Gate) return WriteInTurn(batch, rowsWritten, changes, follower);
    }

    private StoreWriteResult WriteInTurn(GrowthDataBatch batch, IProgress<int>? rowsWritten, StoreChanges? changes, PostgresGrowthFollower? follower)
    {
        var pending = new StoreChanges();
        var written = new ProgressCounter(rowsWritten);
        List<LoggedWrite>? before = null;
        long? generation = null;
        var result = database.InTransaction((connection, transaction) =>
        {
            pending = new StoreChanges();
            generation = null;
            using (var gate = Sql.Command(connection, $"SELECT pg_advisory_xact_lock({WriteLockKey})", transaction)) gate.ExecuteNonQuery();
            before = follower?.Behind(connection);
            var result = Upsert(connection, transaction, GrowthTables.Customers, batch.Customers, pending.Changed.Customers, pending.Replaced.Customers, written)
                + Upsert(connection, transaction, GrowthTables.Subscriptions, batch.Subscriptions, pending.Changed.Subscriptions, replaced: null, written)
                + Upsert(connection, transaction, GrowthTables.Orders, batch.Orders, pending.Changed.Orders, pending.Replaced.Orders, written)
                + Upsert(connection, transaction, GrowthTables.Spend, batch.Spend, pending.Changed.Spend, pending.Replaced.Spend, written)
                + Upsert(connection, transaction, GrowthTables.Tickets, batch.Tickets, pending.Changed.Tickets, pending.Replaced.Tickets, written)
                + Upsert(connection, transaction, GrowthTables.Responses, batch.Responses, pending.Changed.Responses, pending.Replaced.Responses, written);
            if (result.Inserted + result.Updated > 0)
            {
                using var bump = Sql.Command(connection, "UPDATE store_meta SET value = value + 1 WHERE key = 'generation' RETURNING value", transaction);
                generation = (long)bump.ExecuteScalar()!;
                GrowthChangeLog.Record(connection, transaction, generation.Value, pending);
            }
            return result;
        });
        written.Flush();
        follower?.OwnWriteCommitted(before ?? [], generation);
        if (changes is not null)
        {
            Merge(pending.Changed, changes.Changed);
            Merge(pending.Replaced, changes.Replaced);
        }
        return result;
    }

    /// <inheritdoc />
    public void ReadAll(IGrowthDataSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        database.Run(connection =>
        {
            // One snapshot for all six tables, so rows written meanwhile are seen whole or not at all.
            using var transaction = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
            long generation;
            using (var current = Sql.Command(connection, "SELECT value FROM store_meta WHERE key = 'generation'", transaction)) generation = (long)current.ExecuteScalar()!;
            Stream(connection, transaction, GrowthTables.Customers, sink.Add);
            Stream(connection, transaction, GrowthTables.Subscriptions, sink.Add);
            Stream(connection, transaction, GrowthTables.Orders, sink.Add);
            Stream(connection, transaction, GrowthTables.Spend, sink.Add);
            Stream(connection, transaction, GrowthTables.Tickets, sink.Add);
            Stream(connection, transaction, GrowthTables.Responses, sink.Add);
            transaction.Commit();
            LastReadGeneration = generation;
        });
    }

    /// <summary>How many rows of each kind are stored (for <c>migrate</c>'s check).</summary>
    public IReadOnlyDictionary<string, long> Counts() => database.Run(connection =>
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in CountedTables)
        {
            using var command = Sql.Command(connection, $"SELECT count(*) FROM {table}");
            counts[table] = (long)command.ExecuteScalar()!;
        }
        return counts;
    });

    private static void Stream<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, GrowthTable<T> table, Action<T> add)
    {
        using var command = Sql.Command(connection, $"SELECT {table.Columns} FROM {table.Name}", transaction);
        command.CommandTimeout = 0;
        using var reader = command.ExecuteReader();
        while (reader.Read()) add(table.Read(reader));
    }

    private static StoreWriteResult Upsert<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, GrowthTable<T> table, List<T> rows,
        List<T> changed, List<T>? replaced, ProgressCounter written)
    {
        if (rows.Count == 0) return StoreWriteResult.None;
        int inserted = 0, updated = 0, unchanged = 0;
        // What the store holds for each key this batch touches, including what earlier rows of the batch wrote.
        // (Subscription changes are structs: "not stored" needs its own flag, not null.)
        var current = new Dictionary<string, (bool Stored, T Row)>(StringComparer.Ordinal);
        foreach (var chunk in rows.Chunk(Chunk))
        {
            var normalised = chunk.Select(table.Normalise).ToList();
            var unknown = normalised.Where(row => !current.ContainsKey(table.Key(row))).DistinctBy(table.Key, StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                foreach (var row in unknown) current[table.Key(row)] = (false, row);
                using var load = Sql.Command(connection, table.Load, transaction);
                table.BindKeys(load, unknown);
                using var reader = load.ExecuteReader();
                while (reader.Read())
                {
                    var stored = table.Read(reader);
                    current[table.Key(stored)] = (true, stored);
                }
            }

            var toWrite = new Dictionary<string, T>(StringComparer.Ordinal);
            foreach (var row in normalised)
            {
                var key = table.Key(row);
                var (stored, existing) = current[key];
                if (!stored)
                {
                    inserted++;
                    changed.Add(row);
                }
                else if (EqualityComparer<T>.Default.Equals(existing, row))
                {
                    unchanged++;
                }
                else
                {
                    updated++;
                    replaced?.Add(existing);
                    changed.Add(row);
                }
                if (!stored || !EqualityComparer<T>.Default.Equals(existing, row))
                {
                    current[key] = (true, row);
                    toWrite[key] = row;
                }
                written.Step();
            }

            if (toWrite.Count > 0)
            {
                using var upsert = Sql.Command(connection, table.Upsert, transaction);
                table.BindRows(upsert, toWrite.Values.ToList());
                upsert.ExecuteNonQuery();
            }
        }
        return new StoreWriteResult(inserted, updated, unchanged);
    }

    private static void Merge(GrowthDataBatch from, GrowthDataBatch into)
    {
        into.Customers.AddRange(from.Customers);
        into.Subscriptions.AddRange(from.Subscriptions);
        into.Orders.AddRange(from.Orders);
        into.Spend.AddRange(from.Spend);
        into.Tickets.AddRange(from.Tickets);
        into.Responses.AddRange(from.Responses);
    }

    /// <summary>Reports progress every few thousand rows rather than per row.</summary>
    private sealed class ProgressCounter(IProgress<int>? progress)
    {
        private int _count;

        public void Step()
        {
            if (++_count % 5000 == 0) progress?.Report(_count);
        }

        public void Flush() => progress?.Report(_count);
    }
}

/// <summary>How one kind of growth row is keyed, read, compared and upserted (many rows per statement, through unnest).</summary>
internal sealed record GrowthTable<T>(
    string Name,
    string Columns,
    Func<T, string> Key,
    Func<T, T> Normalise,
    Func<NpgsqlDataReader, T> Read,
    string Load,
    Action<NpgsqlCommand, List<T>> BindKeys,
    string Upsert,
    Action<NpgsqlCommand, List<T>> BindRows);

internal static class GrowthTables
{
    public static GrowthTable<Customer> Customers { get; } = new(
        "customers",
        "id, name, segment, channel, signed_up_at, activated_at",
        customer => customer.Id,
        customer => Keyed(customer.Id, "customer", customer) with { SignedUpAt = Ms(customer.SignedUpAt), ActivatedAt = Ms(customer.ActivatedAt) },
        reader => new Customer(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Utc(reader.GetDateTime(4)),
            reader.IsDBNull(5) ? null : Utc(reader.GetDateTime(5))),
        "SELECT id, name, segment, channel, signed_up_at, activated_at FROM customers WHERE id = ANY(@keys)",
        (command, rows) => command.Array("keys", rows.Select(row => row.Id).ToArray(), NpgsqlDbType.Text),
        """
        INSERT INTO customers (id, name, segment, channel, signed_up_at, activated_at)
        SELECT * FROM unnest(@id, @name, @segment, @channel, @signed_up_at, @activated_at)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, segment = excluded.segment, channel = excluded.channel,
            signed_up_at = excluded.signed_up_at, activated_at = excluded.activated_at
        """,
        (command, rows) => command
            .Array("id", rows.Select(row => row.Id).ToArray(), NpgsqlDbType.Text)
            .Array("name", rows.Select(row => row.Name).ToArray(), NpgsqlDbType.Text)
            .Array("segment", rows.Select(row => row.Segment).ToArray(), NpgsqlDbType.Text)
            .Array("channel", rows.Select(row => row.AcquisitionChannel).ToArray(), NpgsqlDbType.Text)
            .Array("signed_up_at", rows.Select(row => row.SignedUpAt).ToArray(), NpgsqlDbType.TimestampTz)
            .Array("activated_at", rows.Select(row => row.ActivatedAt).ToArray(), NpgsqlDbType.TimestampTz));

    public static GrowthTable<SubscriptionChange> Subscriptions { get; } = new(
        "subscription_changes",
        "customer_id, at, mrr",
        change => $"{change.CustomerId}\u0001{change.At.Ticks}",
        change => Keyed(change.CustomerId, "subscription's customer", change) with { At = Ms(change.At) },
        reader => new SubscriptionChange(reader.GetString(0), Utc(reader.GetDateTime(1)), reader.GetDecimal(2)),
        """
        SELECT s.customer_id, s.at, s.mrr FROM subscription_changes s
        JOIN unnest(@customers, @moments) AS k(customer_id, at) ON s.customer_id = k.customer_id AND s.at = k.at
        """,
        (command, rows) => command
            .Array("customers", rows.Select(row => row.CustomerId).ToArray(), NpgsqlDbType.Text)
            .Array("moments", rows.Select(row => row.At).ToArray(), NpgsqlDbType.TimestampTz),
        """
        INSERT INTO subscription_changes (customer_id, at, mrr)
        SELECT * FROM unnest(@customer_id, @at, @mrr)
        ON CONFLICT (customer_id, at) DO UPDATE SET mrr = excluded.mrr
        """,
        (command, rows) => command
            .Array("customer_id", rows.Select(row => row.CustomerId).ToArray(), NpgsqlDbType.Text)
            .Array("at", rows.Select(row => row.At).ToArray(), NpgsqlDbType.TimestampTz)
            .Array("mrr", rows.Select(row => row.Mrr).ToArray(), NpgsqlDbType.Numeric));

    public static GrowthTable<Order> Orders { get; } = new(
        "orders",
        "id, customer_id, ordered_at, amount",
        order => order.Id,
        order => Keyed(order.Id, "order", order) with { OrderedAt = Ms(order.OrderedAt) },
        reader => new Order(reader.GetString(0), reader.GetString(1), Utc(reader.GetDateTime(2)), reader.GetDecimal(3)),
        "SELECT id, customer_id, ordered_at, amount FROM orders WHERE id = ANY(@keys)",
        (command, rows) => command.Array("keys", rows.Select(row => row.Id).ToArray(), NpgsqlDbType.Text),
        """
        INSERT INTO orders (id, customer_id, ordered_at, amount)
        SELECT * FROM unnest(@id, @customer_id, @ordered_at, @amount)
        ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, ordered_at = excluded.ordered_at, amount = excluded.amount
        """,
        (command, rows) => command
            .Array("id", rows.Select(row => row.Id).ToArray(), NpgsqlDbType.Text)
            .Array("customer_id", rows.Select(row => row.CustomerId).ToArray(), NpgsqlDbType.Text)
            .Array("ordered_at", rows.Select(row => row.OrderedAt).ToArray(), NpgsqlDbType.TimestampTz)
            .Array("amount", rows.Select(row => row.Amount).ToArray(), NpgsqlDbType.Numeric));

    public static GrowthTable<SpendEntry> Spend { get; } = new(
        "spend",
        "key, spend_id, date, channel, category, amount",
        SpendKey,
        spend => spend with { Date = Ms(spend.Date) },
        reader => new SpendEntry(Utc(reader.GetDateTime(2)), reader.GetString(3), Enum.Parse<SpendCategory>(reader.GetString(4)), reader.GetDecimal(5), reader.OptionalString(1)),
        "SELECT key, spend_id, date, channel, category, amount FROM spend WHERE key = ANY(@keys)",
        (command, rows) => command.Array("keys", rows.Select(SpendKey).ToArray(), NpgsqlDbType.Text),
        """
        INSERT INTO spend (key, spend_id, date, channel, category, amount)
        SELECT * FROM unnest(@key, @spend_id, @date, @channel, @category, @amount)
        ON CONFLICT (key) DO UPDATE SET spend_id = excluded.spend_id, date = excluded.date, channel = excluded.channel,
            category = excluded.category, amount = excluded.amount
        """,
        (command, rows) => command
            .Array("key", rows.Select(SpendKey).ToArray(), NpgsqlDbType.Text)
            .Array("spend_id", rows.Select(row => row.Id).ToArray(), NpgsqlDbType.Text)
            .Array("date", rows.Select(row => row.Date).ToArray(), NpgsqlDbType.TimestampTz)
            .Array("channel", rows.Select(row => row.Channel).ToArray(), NpgsqlDbType.Text)
            .Array("category", rows.Select(row => row.Category.ToString()).ToArray(), NpgsqlDbType.Text)
            .Array("amount", rows.Select(row => row.Amount).ToArray(), NpgsqlDbType.Numeric));

    public static GrowthTable<Ticket> Tickets { get; } = new(
        "tickets",
        "id, customer_id, opened_at, resolved_at, contacts",
        ticket => ticket.Id,
        ticket => Keyed(ticket.Id, "ticket", ticket) with { OpenedAt = Ms(ticket.OpenedAt), ResolvedAt = Ms(ticket.ResolvedAt) },
        ReadTicket,
        "SELECT id, customer_id, opened_at, resolved_at, contacts FROM tickets WHERE id = ANY(@keys)",
        (command, rows) => command.Array("keys", rows.Select(row => row.Id).ToArray(), NpgsqlDbType.Text),
        """
        INSERT INTO tickets (id, customer_id, opened_at, resolved_at, contacts)
        SELECT * FROM unnest(@id, @customer_id, @opened_at, @resolved_at, @contacts)
        ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, opened_at = excluded.opened_at,
            resolved_at = excluded.resolved_at, contacts = excluded.contacts
        """,
        (command, rows) => command
            .Array("id", rows.Select(row => row.Id).ToArray(), NpgsqlDbType.Text)
            .Array("customer_id", rows.Select(row => row.CustomerId).ToArray(), NpgsqlDbType.Text)
            .Array("opened_at", rows.Select(row => row.OpenedAt).ToArray(), NpgsqlDbType.TimestampTz)
            .Array("resolved_at", rows.Select(row => row.ResolvedAt).ToArray(), NpgsqlDbType.TimestampTz)
            .Array("contacts", rows.Select(row => row.Contacts).ToArray(), NpgsqlDbType.Integer));

    public static GrowthTable<SurveyResponse> Responses { get; } = new(
        "responses",
        "id, survey, customer_id, score, comment, responded_at",
        response => response.Id,
        response => Keyed(response.Id, "response", response) with { RespondedAt = Ms(response.RespondedAt) },
        ReadResponse,
        "SELECT id, survey, customer_id, score, comment, responded_at FROM responses WHERE id = ANY(@keys)",
        (command, rows) => command.Array("keys", rows.Select(row => row.Id).ToArray(), NpgsqlDbType.Text),
        """
        INSERT INTO responses (id, survey, customer_id, score, comment, responded_at)
        SELECT * FROM unnest(@id, @survey, @customer_id, @score, @comment, @responded_at)
        ON CONFLICT (id) DO UPDATE SET survey = excluded.survey, customer_id = excluded.customer_id, score = excluded.score,
            comment = excluded.comment, responded_at = excluded.responded_at
        """,
        (command, rows) => command
            .Array("id", rows.Select(row => row.Id).ToArray(), NpgsqlDbType.Text)
            .Array("survey", rows.Select(row => row.Survey.ToString().ToLowerInvariant()).ToArray(), NpgsqlDbType.Text)
            .Array("customer_id", rows.Select(row => row.CustomerId).ToArray(), NpgsqlDbType.Text)
            .Array("score", rows.Select(row => row.Score).ToArray(), NpgsqlDbType.Integer)
            .Array("comment", rows.Select(row => row.Comment).ToArray(), NpgsqlDbType.Text)
            .Array("responded_at", rows.Select(row => row.RespondedAt).ToArray(), NpgsqlDbType.TimestampTz));

    public static Ticket ReadTicket(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), Utc(reader.GetDateTime(2)), reader.IsDBNull(3) ? null : Utc(reader.GetDateTime(3)), reader.GetInt32(4));

    public static SurveyResponse ReadResponse(NpgsqlDataReader reader) => new(
        reader.GetString(0), Enum.Parse<SurveyKind>(reader.GetString(1), ignoreCase: true), reader.GetString(2), reader.GetInt32(3),
        reader.OptionalString(4), Utc(reader.GetDateTime(5)));

    /// <summary>The same key as the LiteDB store's: the company's spend id, else date, channel and category ignoring case.</summary>
    public static string SpendKey(SpendEntry spend) => spend.Id is { } id
        ? "id:" + id
        : $"{spend.Date:yyyy-MM-ddTHH:mm:ssZ}|{spend.Channel}|{spend.Category}".ToLowerInvariant();

    /// <summary>A row without its key cannot be stored: refused (the whole batch with it) before it reaches the database.</summary>
    private static T Keyed<T>(string? id, string what, T row) =>
        string.IsNullOrEmpty(id) ? throw new ArgumentException($"A {what} row has no id; every row needs one.", nameof(id)) : row;

    /// <summary>A time as both stores keep it: UTC, to the millisecond.</summary>
    public static DateTime Ms(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }

    public static DateTime? Ms(DateTime? value) => value is { } at ? Ms(at) : null;

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    public static NpgsqlCommand Array<T>(this NpgsqlCommand command, string name, T[]? values, NpgsqlDbType elementType)
    {
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | elementType) { Value = values is null ? DBNull.Value : values });
        return command;
    }
}
