using GrowthBot.Core.ApiKeys;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// API keys in the store's file: <c>_id</c> is the key's public id (lower-case hex; LiteDB compares
/// strings ignoring case, so a lookup checks the id it found exactly), <c>name_key</c> the
/// lower-cased name under a unique index, so "Billing" and "billing" are one name.
/// </summary>
public sealed class LiteApiKeyStore : IApiKeyStore
{
    internal const string Collection = "api_keys";

    private readonly ILiteCollection<BsonDocument> _keys;
    private readonly Lock _gate = new();

    public LiteApiKeyStore(LiteGrowthStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _keys = store.Database.GetCollection(Collection);
        _keys.EnsureIndex("name_key", unique: true);
    }

    public bool TryAdd(StoredApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            return _keys.TryInsert(ToDocument(key));
        }
    }

    public StoredApiKey? Find(string id)
    {
        // Ids are lower-case hex; anything else is no key (and LiteDB would match it ignoring case).
        if (string.IsNullOrEmpty(id) || !id.All(char.IsAsciiHexDigitLower)) return null;
        return _keys.FindById(id) is { } document && document["_id"].AsString == id ? ToKey(document) : null;
    }

    public StoredApiKey? FindByName(string name) =>
        _keys.FindOne(Query.EQ("name_key", NameKey(name))) is { } document ? ToKey(document) : null;

    public IReadOnlyList<StoredApiKey> All() => _keys.FindAll().Select(ToKey).OrderBy(key => key.CreatedAt).ToList();

    public bool Revoke(string name, DateTimeOffset at)
    {
        lock (_gate)
        {
            var document = _keys.FindOne(Query.EQ("name_key", NameKey(name)));
            if (document is null || !document["revoked_at"].IsNull) return false;
            document["revoked_at"] = at.UtcDateTime;
            return _keys.Update(document);
        }
    }

    private static string NameKey(string name) => (name ?? string.Empty).Trim().ToLowerInvariant();

    private static BsonDocument ToDocument(StoredApiKey key) => new()
    {
        ["_id"] = key.Id,
        ["name"] = key.Name,
        ["name_key"] = NameKey(key.Name),
        ["secret_sha256"] = key.SecretHash,
        ["scopes"] = new BsonArray(key.Scopes.Select(scope => new BsonValue(scope))),
        ["created_at"] = key.CreatedAt.UtcDateTime,
        ["expires_at"] = key.ExpiresAt is { } expires ? expires.UtcDateTime : BsonValue.Null,
        ["revoked_at"] = key.RevokedAt is { } revoked ? revoked.UtcDateTime : BsonValue.Null,
    };

    private static StoredApiKey ToKey(BsonDocument document) => new(
        document["_id"].AsString,
        document["name"].AsString,
        document["secret_sha256"].AsBinary,
        document["scopes"].AsArray.Select(scope => scope.AsString).ToList(),
        Utc(document["created_at"]),
        document["expires_at"].IsNull ? null : Utc(document["expires_at"]),
        document["revoked_at"].IsNull ? null : Utc(document["revoked_at"]));

    private static DateTimeOffset Utc(BsonValue value) => new(DateTime.SpecifyKind(value.AsDateTime, DateTimeKind.Utc));
}
