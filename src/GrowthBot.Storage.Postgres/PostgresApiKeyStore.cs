using GrowthBot.Core.ApiKeys;
using Npgsql;
using NpgsqlTypes;

namespace GrowthBot.Storage.Postgres;

/// <summary>API keys on PostgreSQL: the secret only as its SHA-256; a unique index on the lower-cased name refuses a second key of the same name.</summary>
public sealed class PostgresApiKeyStore(PostgresDatabase database) : IApiKeyStore
{
    private const string Columns = "id, name, secret_sha256, scopes, created_at, expires_at, revoked_at";

    /// <inheritdoc />
    public bool TryAdd(StoredApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return database.Run(connection =>
        {
            using var command = Sql.Command(connection, $"""
                INSERT INTO api_keys (id, name, name_key, secret_sha256, scopes, created_at, expires_at, revoked_at)
                VALUES (@id, @name, @name_key, @secret, @scopes, @created, @expires, @revoked)
                ON CONFLICT DO NOTHING
                """)
                .With("id", key.Id).With("name", key.Name).With("name_key", NameKey(key.Name)).With("secret", key.SecretHash)
                .Array("scopes", key.Scopes.ToArray(), NpgsqlDbType.Text)
                .With("created", Sql.Utc(key.CreatedAt)).With("expires", Sql.Utc(key.ExpiresAt)).With("revoked", Sql.Utc(key.RevokedAt));
            return command.ExecuteNonQuery() == 1;
        });
    }

    /// <inheritdoc />
    public StoredApiKey? Find(string id)
    {
        if (string.IsNullOrEmpty(id)) return null;
        return database.Run(connection =>
        {
            using var command = Sql.Command(connection, $"SELECT {Columns} FROM api_keys WHERE id = @id").With("id", id);
            return command.Single(Read);
        });
    }

    /// <inheritdoc />
    public StoredApiKey? FindByName(string name) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, $"SELECT {Columns} FROM api_keys WHERE name_key = @name").With("name", NameKey(name));
        return command.Single(Read);
    });

    /// <inheritdoc />
    public IReadOnlyList<StoredApiKey> All() => database.Run(connection =>
    {
        using var command = Sql.Command(connection, $"SELECT {Columns} FROM api_keys ORDER BY created_at, id");
        return command.List(Read);
    });

    /// <inheritdoc />
    public bool Revoke(string name, DateTimeOffset at) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "UPDATE api_keys SET revoked_at = @at WHERE name_key = @name AND revoked_at IS NULL")
            .With("at", Sql.Utc(at)).With("name", NameKey(name));
        return command.ExecuteNonQuery() == 1;
    });

    private static string NameKey(string name) => (name ?? string.Empty).Trim().ToLowerInvariant();

    private static StoredApiKey Read(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<string[]>(3),
        reader.Moment(4), reader.OptionalMoment(5), reader.OptionalMoment(6));
}
