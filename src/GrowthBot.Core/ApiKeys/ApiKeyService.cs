using System.Security.Cryptography;
using System.Text;

namespace GrowthBot.Core.ApiKeys;

/// <summary>A key just made: the one time its full text exists, and what was stored.</summary>
public sealed record CreatedApiKey(string Key, StoredApiKey Stored);

/// <summary>Why a presented key was or was not accepted.</summary>
public enum ApiKeyVerdict
{
    Valid,
    Malformed,
    Unknown,
    WrongSecret,
    Revoked,
    Expired,
}

/// <summary>The outcome of checking a presented key; <see cref="Key"/> is set when the id was found.</summary>
public sealed record ApiKeyCheck(ApiKeyVerdict Verdict, StoredApiKey? Key);

/// <summary>
/// Makes and checks API keys of the form <c>gb_{id}_{secret}</c>: a 12-hex-digit public id and a
/// 256-bit random secret (base64url). Only the secret's SHA-256 is stored: a random 256-bit secret
/// cannot be guessed, so it needs no slow password hash, and the check compares hashes in
/// constant time. The id is only for lookup; knowing it grants nothing.
/// </summary>
public sealed class ApiKeyService(IApiKeyStore store, TimeProvider time)
{
    public const string Prefix = "gb_";
    private const int IdBytes = 6;
    private const int SecretBytes = 32;

    /// <summary>Makes a key; throws <see cref="ArgumentException"/> for a bad name or scope, <see cref="InvalidOperationException"/> when the name is taken.</summary>
    public CreatedApiKey Create(string name, IReadOnlyList<string> scopes, DateTimeOffset? expiresAt = null)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        name = (name ?? string.Empty).Trim();
        if (name.Length is 0 or > 100 || name.Any(char.IsControl)) throw new ArgumentException("A key needs a name of 1 to 100 printable characters.", nameof(name));
        if (scopes.Count == 0) throw new ArgumentException($"A key needs at least one scope: {string.Join(", ", ApiKeyScopes.All)}.", nameof(scopes));
        foreach (var scope in scopes)
        {
            if (!ApiKeyScopes.IsKnown(scope)) throw new ArgumentException($"Unknown scope '{scope}'. Scopes: {string.Join(", ", ApiKeyScopes.All)}.", nameof(scopes));
        }
        var now = time.GetUtcNow();
        if (expiresAt <= now) throw new ArgumentException("The expiry must be in the future.", nameof(expiresAt));
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));
        var stored = new StoredApiKey(id, name, Hash(secret), scopes.Distinct(StringComparer.Ordinal).ToList(), now, expiresAt, null);
        if (!store.TryAdd(stored)) throw new InvalidOperationException($"A key named '{name}' exists already (revoked keys keep their names). Choose another name.");
        return new CreatedApiKey($"{Prefix}{id}_{secret}", stored);
    }

    /// <summary>Checks a presented key against the store: its id, then its secret's hash in constant time, then revocation and expiry.</summary>
    public ApiKeyCheck Check(string? presented)
    {
        if (!TrySplit(presented, out var id, out var secret)) return new(ApiKeyVerdict.Malformed, null);
        var key = store.Find(id);
        if (key is null) return new(ApiKeyVerdict.Unknown, null);
        if (!CryptographicOperations.FixedTimeEquals(Hash(secret), key.SecretHash)) return new(ApiKeyVerdict.WrongSecret, key);
        if (key.RevokedAt is not null) return new(ApiKeyVerdict.Revoked, key);
        if (key.ExpiresAt is { } expires && expires <= time.GetUtcNow()) return new(ApiKeyVerdict.Expired, key);
        return new(ApiKeyVerdict.Valid, key);
    }

    /// <summary>Splits <c>gb_{id}_{secret}</c>; the secret may itself contain underscores (base64url).</summary>
    public static bool TrySplit(string? presented, out string id, out string secret)
    {
        id = secret = string.Empty;
        if (presented is null || !presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 200) return false;
        var rest = presented[Prefix.Length..];
        var separator = rest.IndexOf('_', StringComparison.Ordinal);
        if (separator <= 0 || separator == rest.Length - 1) return false;
        id = rest[..separator];
        secret = rest[(separator + 1)..];
        return id.All(char.IsAsciiHexDigitLower);
    }

    /// <summary>SHA-256 of the secret's text.</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
