using System.Security.Cryptography;
using System.Text;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Installations;

namespace GrowthBot.Storage.Postgres;

/// <summary>
/// Installations and used install-link nonces on PostgreSQL. A nonce is kept as its SHA-256, and
/// "use" is one insert on its primary key, so of two hosts using the same link at once one wins.
/// </summary>
public sealed class PostgresInstallationStore(PostgresDatabase database) : IInstallationStore, IUsedNonceStore
{
    /// <inheritdoc />
    public bool TryUse(string nonce, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(nonce);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(nonce)));
        return database.InTransaction((connection, transaction) =>
        {
            using (var prune = Sql.Command(connection, "DELETE FROM used_nonces WHERE expires_at <= @now", transaction).With("now", Sql.Utc(now)))
            {
                prune.ExecuteNonQuery();
            }
            using var use = Sql.Command(connection, "INSERT INTO used_nonces (hash, expires_at) VALUES (@hash, @expires) ON CONFLICT (hash) DO NOTHING", transaction)
                .With("hash", hash).With("expires", Sql.Utc(expiresAt));
            return use.ExecuteNonQuery() == 1;
        });
    }

    /// <inheritdoc />
    public void Save(ChatInstallation installation)
    {
        ArgumentNullException.ThrowIfNull(installation);
        database.Run(connection =>
        {
            using var command = Sql.Command(connection, """
                INSERT INTO installations (platform, key, installed_at, installation) VALUES (@platform, @key, @at, @installation)
                ON CONFLICT (platform, key) DO UPDATE SET installed_at = excluded.installed_at, installation = excluded.installation
                """)
                .With("platform", installation.Platform.ToString()).With("key", installation.Key)
                .With("at", Sql.Utc(installation.InstalledAt)).WithJson("installation", StoredJson.Write(installation));
            command.ExecuteNonQuery();
        });
    }

    /// <inheritdoc />
    public ChatInstallation? Find(ChatPlatform platform, string key)
    {
        if (string.IsNullOrEmpty(key)) return null;
        return database.Run(connection =>
        {
            using var command = Sql.Command(connection, "SELECT installation::text FROM installations WHERE platform = @platform AND key = @key")
                .With("platform", platform.ToString()).With("key", key);
            return command.Single(reader => StoredJson.Read<ChatInstallation>(reader.GetString(0)));
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<ChatInstallation> All(ChatPlatform platform) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT installation::text FROM installations WHERE platform = @platform ORDER BY installed_at, key")
            .With("platform", platform.ToString());
        return command.List(reader => StoredJson.Read<ChatInstallation>(reader.GetString(0)));
    });

    /// <inheritdoc />
    public bool Remove(ChatPlatform platform, string key)
    {
        if (string.IsNullOrEmpty(key)) return false;
        return database.Run(connection =>
        {
            using var command = Sql.Command(connection, "DELETE FROM installations WHERE platform = @platform AND key = @key")
                .With("platform", platform.ToString()).With("key", key);
            return command.ExecuteNonQuery() == 1;
        });
    }
}
