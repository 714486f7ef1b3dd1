using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using GrowthBot.Core.Data;

namespace GrowthBot.Bench;

/// <summary>
/// An in-memory DuckDB holding the same rows as the engine. Rows go in through the appender API;
/// customer ids are mapped to dense integers on the way in (the engine interns them the same way).
/// Then, once, the "index" DuckDB is allowed: the subscriptions log deduplicated and classified into
/// MRR movements with window functions, and every table sorted by the moment questions filter on
/// (the engine's timelines are sorted by moment too), so DuckDB's zone maps can skip row groups.
/// </summary>
internal sealed class DuckDatabase : IDisposable
{
    private readonly DuckDBConnection _connection;

    private DuckDatabase(DuckDBConnection connection) => _connection = connection;

    public TimeSpan AppendTime { get; private set; }
    public TimeSpan IndexTime { get; private set; }
    public long Movements { get; private set; }

    public static DuckDatabase Open()
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        try
        {
            connection.Open();
            return new DuckDatabase(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Load(GrowthDataBatch batch)
    {
        var clock = Stopwatch.StartNew();
        Execute("""
            CREATE TABLE customers(customer INTEGER, id VARCHAR, name VARCHAR, segment VARCHAR, channel VARCHAR, signed_up_at TIMESTAMP, activated_at TIMESTAMP);
            CREATE TABLE subscriptions(arrival INTEGER, customer INTEGER, changed_at TIMESTAMP, mrr DECIMAL(18,4));
            CREATE TABLE orders(id VARCHAR, customer INTEGER, ordered_at TIMESTAMP, amount DECIMAL(18,4));
            CREATE TABLE spend(date TIMESTAMP, channel VARCHAR, category VARCHAR, amount DECIMAL(18,4));
            CREATE TABLE tickets(id VARCHAR, customer INTEGER, opened_at TIMESTAMP, resolved_at TIMESTAMP, contacts INTEGER);
            CREATE TABLE responses(id VARCHAR, survey UTINYINT, customer INTEGER, score INTEGER, comment VARCHAR, responded_at TIMESTAMP);
            """);

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        int IndexOf(string id)
        {
            if (!ids.TryGetValue(id, out var index)) ids.Add(id, index = ids.Count);
            return index;
        }

        using (var appender = _connection.CreateAppender("customers"))
        {
            foreach (var customer in batch.Customers)
            {
                appender.CreateRow().AppendValue(IndexOf(customer.Id)).AppendValue(customer.Id).AppendValue(customer.Name)
                    .AppendValue(customer.Segment).AppendValue(customer.AcquisitionChannel).AppendValue(customer.SignedUpAt)
                    .AppendValue(customer.ActivatedAt).EndRow();
            }
        }
        using (var appender = _connection.CreateAppender("subscriptions"))
        {
            var arrival = 0;
            foreach (var change in batch.Subscriptions)
            {
                appender.CreateRow().AppendValue(arrival++).AppendValue(IndexOf(change.CustomerId)).AppendValue(change.At).AppendValue(change.Mrr).EndRow();
            }
        }
        using (var appender = _connection.CreateAppender("orders"))
        {
            foreach (var order in batch.Orders)
            {
                appender.CreateRow().AppendValue(order.Id).AppendValue(IndexOf(order.CustomerId)).AppendValue(order.OrderedAt).AppendValue(order.Amount).EndRow();
            }
        }
        using (var appender = _connection.CreateAppender("spend"))
        {
            foreach (var spend in batch.Spend)
            {
                appender.CreateRow().AppendValue(spend.Date).AppendValue(spend.Channel).AppendValue(spend.Category.ToString()).AppendValue(spend.Amount).EndRow();
            }
        }
        using (var appender = _connection.CreateAppender("tickets"))
        {
            foreach (var ticket in batch.Tickets)
            {
                appender.CreateRow().AppendValue(ticket.Id).AppendValue(IndexOf(ticket.CustomerId)).AppendValue(ticket.OpenedAt)
                    .AppendValue(ticket.ResolvedAt).AppendValue(ticket.Contacts).EndRow();
            }
        }
        using (var appender = _connection.CreateAppender("responses"))
        {
            foreach (var response in batch.Responses)
            {
                appender.CreateRow().AppendValue(response.Id).AppendValue((byte)response.Survey).AppendValue(IndexOf(response.CustomerId))
                    .AppendValue(response.Score).AppendValue(response.Comment).AppendValue(response.RespondedAt).EndRow();
            }
        }
        AppendTime = clock.Elapsed;

        clock.Restart();
        // The one-off "index": movements classified per customer by LAG over (customer order by at),
        // exactly as MrrMovements.Classify does (MRR below 0 counts as 0; a (customer, moment) given
        // twice keeps the later arrival). kind: 0 none, 1 new, 2 expansion, 3 contraction, 4 churn,
        // 5 reactivation (MrrMovementKind). prev_at/next_at/next_churn_at are the neighbours the
        // engine's RevenueIndex keeps per movement too (`changed_at`: `at` is a DuckDB keyword); only the "indexed" SQL variant reads them.
        Execute("""
            CREATE TABLE movements AS
            WITH deduplicated AS (
                SELECT customer, changed_at, greatest(mrr, 0) AS mrr
                FROM subscriptions
                QUALIFY row_number() OVER (PARTITION BY customer, changed_at ORDER BY arrival DESC) = 1),
            neighbours AS (
                SELECT customer, changed_at, mrr,
                    coalesce(lag(mrr) OVER (PARTITION BY customer ORDER BY changed_at), 0) AS prev_mrr,
                    lag(changed_at) OVER (PARTITION BY customer ORDER BY changed_at) AS prev_at,
                    lead(changed_at) OVER (PARTITION BY customer ORDER BY changed_at) AS next_at,
                    coalesce(max(mrr) OVER (PARTITION BY customer ORDER BY changed_at ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) > 0 AS paid_before
                FROM deduplicated),
            classified AS (
                SELECT customer, changed_at, prev_at, next_at, prev_mrr, mrr,
                    CAST(CASE
                        WHEN prev_mrr = mrr THEN 0
                        WHEN prev_mrr = 0 THEN CASE WHEN paid_before THEN 5 ELSE 1 END
                        WHEN mrr = 0 THEN 4
                        WHEN mrr > prev_mrr THEN 2
                        ELSE 3 END AS UTINYINT) AS kind
                FROM neighbours)
            SELECT customer, changed_at, prev_at, next_at, prev_mrr, mrr, kind,
                min(CASE WHEN kind = 4 THEN changed_at END) OVER (PARTITION BY customer ORDER BY changed_at ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS next_churn_at
            FROM classified
            ORDER BY changed_at;
            CREATE OR REPLACE TABLE customers AS SELECT * FROM customers ORDER BY signed_up_at;
            CREATE OR REPLACE TABLE orders AS SELECT * FROM orders ORDER BY ordered_at;
            CREATE OR REPLACE TABLE spend AS SELECT * FROM spend ORDER BY date;
            CREATE OR REPLACE TABLE tickets AS SELECT * FROM tickets ORDER BY resolved_at;
            CREATE OR REPLACE TABLE responses AS SELECT * FROM responses ORDER BY responded_at;
            CHECKPOINT;
            """);
        IndexTime = clock.Elapsed;
        Movements = Convert.ToInt64(ScalarObject("SELECT count(*) FROM movements"), CultureInfo.InvariantCulture);
    }

    /// <summary>What DuckDB says it holds in memory, in bytes.</summary>
    public long MemoryBytes() => Convert.ToInt64(ScalarObject("SELECT CAST(coalesce(sum(memory_usage_bytes), 0) AS BIGINT) FROM duckdb_memory()"), CultureInfo.InvariantCulture);

    public string Threads() => Convert.ToString(ScalarObject("SELECT current_setting('threads')"), CultureInfo.InvariantCulture) ?? "?";

    /// <summary>Runs a question's SQL and reads its one value (NULL = undefined).</summary>
    public double? Scalar(string sql)
    {
        var value = ScalarObject(sql);
        return value is null or DBNull ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);
    }

    public void Dispose() => _connection.Dispose();

    private object? ScalarObject(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
