using Microsoft.Extensions.Logging;
using Npgsql;

namespace GrowthBot.Storage.Postgres;

/// <summary>
/// Brings the database's schema up to this build's: under a session advisory lock (so hosts starting
/// together take turns: the first migrates, the others wait and then find nothing to do), it reads
/// the applied versions and applies each missing migration in its own transaction with its version
/// row. A database migrated by a newer build, or whose applied script differs from ours, is refused.
/// </summary>
internal sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations, ILogger logger)
{
    /// <summary>The advisory lock's key: "GrowthBo" as a number, the same in every host.</summary>
    internal const long LockKey = 0x47726F777468426F;

    internal const string VersionTable = "growthbot_schema_version";

    /// <summary>Applies what is missing; returns the versions applied by this call (empty when the schema was current).</summary>
    public IReadOnlyList<int> Migrate()
    {
        using var connection = dataSource.OpenConnection();
        // Waits as long as another host migrates (no timeout: a loser must wait, not crash-loop).
        Execute(connection, $"SELECT pg_advisory_lock({LockKey})", timeoutSeconds: 0);
        try
        {
            Execute(connection, $"""
                CREATE TABLE IF NOT EXISTS {VersionTable} (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """);
            var applied = Applied(connection);
            var latest = migrations[^1].Version;
            if (applied.Count > 0 && applied.Keys.Max() > latest)
            {
                throw new SchemaTooNewException(
                    $"The PostgreSQL database is at schema version {applied.Keys.Max()}, newer than this GrowthBot's {latest}: " +
                    "a newer GrowthBot migrated it. Run that version (or newer); this one will not run on a schema it does not know.");
            }
            foreach (var (version, checksum) in applied)
            {
                var known = migrations.First(migration => migration.Version == version);
                if (!string.Equals(known.Checksum, checksum, StringComparison.Ordinal))
                {
                    throw new SchemaTooNewException(
                        $"Schema migration {known.Name} applied to this database differs from this GrowthBot's copy (checksum {checksum} ≠ {known.Checksum}); " +
                        "the database was migrated by a different build. Run the build that migrated it.");
                }
            }

            var done = new List<int>();
            foreach (var migration in migrations.Where(migration => !applied.ContainsKey(migration.Version)))
            {
                using var transaction = connection.BeginTransaction();
                using (var command = new NpgsqlCommand(migration.Sql, connection, transaction) { CommandTimeout = 0 })
                {
                    command.ExecuteNonQuery();
                }
                using (var record = new NpgsqlCommand($"INSERT INTO {VersionTable} (version, name, checksum) VALUES (@version, @name, @checksum)", connection, transaction))
                {
                    record.Parameters.AddWithValue("version", migration.Version);
                    record.Parameters.AddWithValue("name", migration.Name);
                    record.Parameters.AddWithValue("checksum", migration.Checksum);
                    record.ExecuteNonQuery();
                }
                transaction.Commit();
                LogApplied(migration.Name);
                done.Add(migration.Version);
            }
            return done;
        }
        finally
        {
            Execute(connection, $"SELECT pg_advisory_unlock({LockKey})");
        }
    }

    /// <summary>The database's schema version (0 when nothing was applied yet).</summary>
    public static int CurrentVersion(NpgsqlDataSource dataSource)
    {
        using var connection = dataSource.OpenConnection();
        using var command = new NpgsqlCommand($"SELECT CASE WHEN to_regclass('{VersionTable}') IS NULL THEN 0 ELSE (SELECT coalesce(max(version), 0) FROM {VersionTable}) END", connection);
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Dictionary<int, string> Applied(NpgsqlConnection connection)
    {
        var applied = new Dictionary<int, string>();
        using var command = new NpgsqlCommand($"SELECT version, checksum FROM {VersionTable}", connection);
        using var reader = command.ExecuteReader();
        while (reader.Read()) applied[reader.GetInt32(0)] = reader.GetString(1);
        return applied;
    }

    private static void Execute(NpgsqlConnection connection, string sql, int timeoutSeconds = 30)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = timeoutSeconds };
        command.ExecuteNonQuery();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Migration} to the PostgreSQL store")]
    private partial void LogApplied(string migration);
}
