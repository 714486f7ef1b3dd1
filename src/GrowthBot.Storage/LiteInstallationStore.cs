using GrowthBot.Core.Conversations;
using GrowthBot.Core.Installations;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// Installations in the store's file, one document per platform and key (<c>_id</c> is
/// <c>platform:key</c>). LiteDB compares strings ignoring case, so a lookup checks the key it found
/// exactly: Slack ids are case-sensitive. The token is kept as the adapter encrypted it.
/// Used install-link nonces are kept beside them (collection <c>install_nonces</c>) until they expire,
/// as the SHA-256 of the nonce in lowercase hex: the id is then exact under LiteDB's case-insensitive
/// comparison, and the store never holds the nonce the browser's cookie carries.
/// </summary>
public sealed class LiteInstallationStore : IInstallationStore, IUsedNonceStore
{
    internal const string Collection = "installations";
    internal const string NonceCollection = "install_nonces";

    private readonly ILiteCollection<BsonDocument> _installations;
    private readonly ILiteCollection<BsonDocument> _nonces;
    private readonly Lock _nonceLock = new();

    public LiteInstallationStore(LiteGrowthStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _installations = store.Database.GetCollection(Collection);
        _installations.EnsureIndex("platform");
        _nonces = store.Database.GetCollection(NonceCollection);
        _nonces.EnsureIndex("expires");
    }

    public bool TryUse(string nonce, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(nonce);
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(nonce)));
        // One writer process holds the file; the lock makes check-and-insert one step for this process's threads.
        lock (_nonceLock)
        {
            _nonces.DeleteMany(Query.LTE("expires", now.UtcDateTime));
            if (_nonces.FindById(id) is not null) return false;
            _nonces.Insert(new BsonDocument { ["_id"] = id, ["expires"] = expiresAt.UtcDateTime });
            return true;
        }
    }

    public void Save(ChatInstallation installation)
    {
        ArgumentNullException.ThrowIfNull(installation);
        _installations.Upsert(ToDocument(installation));
    }

    public ChatInstallation? Find(ChatPlatform platform, string key)
    {
        if (string.IsNullOrEmpty(key)) return null;
        return _installations.FindById(Id(platform, key)) is { } document && document["key"].AsString == key ? ToInstallation(document) : null;
    }

    public IReadOnlyList<ChatInstallation> All(ChatPlatform platform) =>
        _installations.Find(Query.EQ("platform", platform.ToString())).Select(ToInstallation).OrderBy(installation => installation.InstalledAt).ToList();

    public bool Remove(ChatPlatform platform, string key) =>
        Find(platform, key) is not null && _installations.Delete(Id(platform, key));

    private static string Id(ChatPlatform platform, string key) => $"{platform}:{key}";

    private static BsonDocument ToDocument(ChatInstallation installation) => new()
    {
        ["_id"] = Id(installation.Platform, installation.Key),
        ["platform"] = installation.Platform.ToString(),
        ["key"] = installation.Key,
        ["enterprise_id"] = Nullable(installation.EnterpriseId),
        ["enterprise_name"] = Nullable(installation.EnterpriseName),
        ["team_id"] = Nullable(installation.TeamId),
        ["team_name"] = Nullable(installation.TeamName),
        ["enterprise_install"] = installation.IsEnterpriseInstall,
        ["app_id"] = installation.AppId,
        ["bot_user_id"] = installation.BotUserId,
        ["scopes"] = installation.Scopes,
        ["token_protected"] = installation.ProtectedToken,
        ["installed_by"] = Nullable(installation.InstalledBy),
        ["installed_at"] = installation.InstalledAt.UtcDateTime,
        ["refresh_token_protected"] = Nullable(installation.ProtectedRefreshToken),
        ["token_expires_at"] = installation.TokenExpiresAt is { } expires ? new BsonValue(expires.UtcDateTime) : BsonValue.Null,
    };

    private static ChatInstallation ToInstallation(BsonDocument document) => new(
        Enum.Parse<ChatPlatform>(document["platform"].AsString),
        document["key"].AsString,
        Text(document["enterprise_id"]),
        Text(document["enterprise_name"]),
        Text(document["team_id"]),
        Text(document["team_name"]),
        document["enterprise_install"].AsBoolean,
        document["app_id"].AsString,
        document["bot_user_id"].AsString,
        document["scopes"].AsString,
        document["token_protected"].AsString,
        Text(document["installed_by"]),
        new DateTimeOffset(DateTime.SpecifyKind(document["installed_at"].AsDateTime, DateTimeKind.Utc)),
        // Installations kept before token rotation was supported have neither.
        document.TryGetValue("refresh_token_protected", out var refresh) ? Text(refresh) : null,
        document.TryGetValue("token_expires_at", out var expires) && !expires.IsNull ? new DateTimeOffset(DateTime.SpecifyKind(expires.AsDateTime, DateTimeKind.Utc)) : null);

    private static BsonValue Nullable(string? value) => value is null ? BsonValue.Null : new BsonValue(value);

    private static string? Text(BsonValue value) => value.IsNull ? null : value.AsString;
}
