namespace GrowthBot.Core.ApiKeys;

/// <summary>
/// An API key as stored: its public id (in clear, for lookup), the SHA-256 of its secret (never
/// the secret), the scopes it grants and when it stops working. Keys are revoked, never deleted,
/// so a revoked key's id is never reused.
/// </summary>
public sealed record StoredApiKey(
    string Id,
    string Name,
    byte[] SecretHash,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt);

/// <summary>What an API key may do. A key holds one or more; <see cref="Admin"/> includes every other.</summary>
public static class ApiKeyScopes
{
    /// <summary>Send data in: the import API.</summary>
    public const string Ingest = "ingest";

    /// <summary>Administer the bot (and everything the other scopes allow).</summary>
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Ingest, Admin];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);

    /// <summary>Whether a key with <paramref name="granted"/> may do what <paramref name="required"/> guards.</summary>
    public static bool Allows(IEnumerable<string> granted, string required) =>
        granted.Any(scope => scope == required || scope == Admin);
}
