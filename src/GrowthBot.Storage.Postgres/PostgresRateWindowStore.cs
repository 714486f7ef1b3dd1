using GrowthBot.Core.Conversations;
using Npgsql;
using NpgsqlTypes;

namespace GrowthBot.Storage.Postgres;

/// <summary>
/// Call slots under sliding-window limits on PostgreSQL (tables <c>rate_keys</c> and <c>rate_slots</c>),
/// shared by every host. A reservation is one transaction: it locks the rows of every key the call counts
/// against (in one order, so two hosts cannot deadlock), reads the slots that bound each limit, records the
/// earliest slot every window allows on every key, and commits; a second host's reservation on a shared key
/// waits for the lock and then sees the first's slot, so reservations go in arrival order and no window is
/// exceeded however many hosts call. Slots older than their key's longest window are deleted as keys are
/// used, and every few hundred reservations a sweep deletes keys nobody called for that long.
/// </summary>
public sealed class PostgresRateWindowStore(PostgresDatabase database) : IRateWindowStore
{
    // Slack left to the sweep, which runs without the keys' locks: a host whose clock lags a little still finds the slots it needs.
    private static readonly TimeSpan SweepMargin = TimeSpan.FromMinutes(1);
    private const int SweepEvery = 256;
    private int _reservations;

    /// <inheritdoc />
    public DateTimeOffset Reserve(ChatPlatform platform, IReadOnlyList<RateKey> keys, DateTimeOffset notBefore)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0) return notBefore;
        // timestamptz keeps microseconds: a slot cut down by the column could sit a fraction inside a window, so round up.
        var extra = notBefore.UtcTicks % TimeSpan.TicksPerMicrosecond;
        if (extra != 0) notBefore = notBefore.AddTicks(TimeSpan.TicksPerMicrosecond - extra);
        // One row per key, in ordinal order: the order rows are inserted and locked in, by every host.
        var byKey = keys.GroupBy(key => key.Key, StringComparer.Ordinal).OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => new RateKey(group.Key, group.SelectMany(key => key.Limits).ToList())).ToList();
        var names = byKey.Select(key => key.Key).ToArray();
        var longest = byKey.Select(key => RateWindows.Longest(key.Limits)).ToArray();
        var at = database.InTransactionRetryingConflicts((connection, transaction) =>
        {
            Lock(connection, transaction, platform, names, longest, notBefore);
            var nth = PruneAndReadNthLatest(connection, transaction, platform, byKey, names, longest, notBefore);
            var slot = notBefore;
            foreach (var key in byKey) slot = RateWindows.Earliest(slot, key.Limits, count => nth.GetValueOrDefault((key.Key, count)));
            Record(connection, transaction, platform, names, slot);
            return slot;
        }, "rate window reservation");
        if (Interlocked.Increment(ref _reservations) % SweepEvery == 0) TrySweep(notBefore);
        return at;
    }

    private static void Lock(NpgsqlConnection connection, NpgsqlTransaction transaction, ChatPlatform platform, string[] names, TimeSpan[] longest, DateTimeOffset now)
    {
        while (true)
        {
            // One round trip for the insert and the lock, since the lock is held for every further one.
            // ORDER BY under FOR UPDATE locks the rows in that order (the same ordinal order on every host).
            using var command = Sql.Command(connection, """
                INSERT INTO rate_keys (platform, key, longest, last_slot)
                SELECT @platform, w.key, w.longest, @now FROM unnest(@keys, @longest) AS w(key, longest)
                ON CONFLICT (platform, key) DO NOTHING;
                SELECT count(*) FROM (SELECT key FROM rate_keys WHERE platform = @platform AND key = ANY(@keys) ORDER BY key COLLATE "C" FOR UPDATE) locked;
                """, transaction);
            Keys(command.With("platform", platform.ToString()).With("now", Sql.Utc(now)), names, longest);
            // A sweep may have deleted a key between the insert and the lock: insert it again.
            if (Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == names.Length) return;
        }
    }

    /// <summary>
    /// Deletes the keys' slots older than their longest window, then reads, for each key and each limit's
    /// count N (and 1, the last slot), the Nth latest slot on that key, where there are N: one round trip.
    /// </summary>
    private static Dictionary<(string Key, int Count), DateTimeOffset> PruneAndReadNthLatest(NpgsqlConnection connection, NpgsqlTransaction transaction, ChatPlatform platform,
        List<RateKey> keys, string[] names, TimeSpan[] longest, DateTimeOffset now)
    {
        var asked = keys.SelectMany(key => key.Limits.Select(limit => limit.Count).Append(1).Distinct().Select(count => (key.Key, count))).ToList();
        using var command = Sql.Command(connection, """
            DELETE FROM rate_slots s USING unnest(@keys, @longest) AS w(key, longest)
            WHERE s.platform = @platform AND s.key = w.key AND s.slot <= @now - w.longest;
            SELECT w.key, w.n, (SELECT s.slot FROM rate_slots s WHERE s.platform = @platform AND s.key = w.key ORDER BY s.slot DESC OFFSET w.n - 1 LIMIT 1)
            FROM unnest(@asked, @counts) AS w(key, n);
            """, transaction);
        Keys(command.With("platform", platform.ToString()).With("now", Sql.Utc(now)), names, longest);
        command.Parameters.Add(new NpgsqlParameter("asked", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = asked.Select(ask => ask.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("counts", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = asked.Select(ask => ask.count).ToArray() });
        var found = new Dictionary<(string, int), DateTimeOffset>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (reader.OptionalMoment(2) is { } slot) found[(reader.GetString(0), reader.GetInt32(1))] = slot;
        }
        return found;
    }

    private static void Record(NpgsqlConnection connection, NpgsqlTransaction transaction, ChatPlatform platform, string[] names, DateTimeOffset slot)
    {
        using var command = Sql.Command(connection, """
            INSERT INTO rate_slots (platform, key, slot) SELECT @platform, k, @slot FROM unnest(@keys) AS k;
            UPDATE rate_keys SET last_slot = GREATEST(last_slot, @slot) WHERE platform = @platform AND key = ANY(@keys);
            """, transaction).With("platform", platform.ToString()).With("slot", Sql.Utc(slot));
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = names });
        command.ExecuteNonQuery();
    }

    /// <summary>Sweeps, leaving a failure to the next sweep: the reservation it follows is made and must be used.</summary>
    private void TrySweep(DateTimeOffset now)
    {
        try
        {
            Sweep(now);
        }
        catch (Exception exception) when (exception is Core.Ports.StoreUnavailableException or NpgsqlException)
        {
            // Nothing is lost: the expired rows are deleted by a later sweep, and meanwhile never read (each key prunes its own).
        }
    }

    /// <summary>Deletes slots and keys nobody has called for longer than the key's longest window, so the tables stay small.</summary>
    private void Sweep(DateTimeOffset now) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, """
            DELETE FROM rate_slots s USING rate_keys k
            WHERE s.platform = k.platform AND s.key = k.key AND s.slot <= @now - k.longest - @margin;
            DELETE FROM rate_keys WHERE last_slot <= @now - longest - @margin;
            """).With("now", Sql.Utc(now));
        command.Parameters.Add(new NpgsqlParameter("margin", NpgsqlDbType.Interval) { Value = SweepMargin });
        return command.ExecuteNonQuery();
    });

    private static NpgsqlCommand Keys(NpgsqlCommand command, string[] names, TimeSpan[] longest)
    {
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = names });
        command.Parameters.Add(new NpgsqlParameter("longest", NpgsqlDbType.Array | NpgsqlDbType.Interval) { Value = longest });
        return command;
    }
}
