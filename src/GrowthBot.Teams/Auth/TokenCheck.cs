using System.Security.Claims;

namespace GrowthBot.Teams.Auth;

/// <summary>
/// The outcome of checking a request's Bot Framework token. <see cref="Reason"/> says why it was
/// refused in words safe to log (never the token).
/// </summary>
internal sealed record TokenCheck(bool IsValid, string Reason, ClaimsIdentity? Identity = null)
{
    /// <summary>The channels the token's signing key is endorsed for; null when the key lists none.</summary>
    public IReadOnlyList<string>? Endorsements { get; init; }

    /// <summary>True when the keys could not be fetched: the request may be fine, we cannot tell (503, so the channel retries).</summary>
    public bool KeysUnavailable { get; init; }

    public static TokenCheck Unavailable(string reason) => new(false, reason) { KeysUnavailable = true };

    /// <summary>Whether the signing key may sign for this channel ("msteams"); a key with no endorsements may sign for any.</summary>
    public bool IsEndorsedFor(string? channelId) =>
        Endorsements is null || string.IsNullOrEmpty(channelId) || Endorsements.Contains(channelId, StringComparer.OrdinalIgnoreCase);

    /// <summary>The claim the Bot Framework puts the channel's service URL in.</summary>
    public const string ServiceUrlClaim = "serviceurl";

    public static TokenCheck Refused(string reason) => new(false, reason);

    /// <summary>
    /// Whether the token was issued for this activity's service URL. Tokens from the Bot Framework
    /// itself always carry the claim; a tenant-issued token without it is accepted.
    /// </summary>
    public bool AllowsServiceUrl(string? serviceUrl, bool claimRequired)
    {
        var claim = Identity?.FindFirst(ServiceUrlClaim)?.Value;
        if (string.IsNullOrEmpty(claim)) return !claimRequired;
        return string.Equals(Normalise(claim), Normalise(serviceUrl), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether the token came from the Bot Framework (not a tenant's Entra ID).</summary>
    public bool IsFromBotFramework => string.Equals(Identity?.FindFirst("iss")?.Value, BotFrameworkTokenValidator.BotFrameworkIssuer, StringComparison.Ordinal);

    // The Bot Framework compares the URLs as strings; a trailing slash is the only difference seen in practice.
    private static string Normalise(string? url) => (url ?? string.Empty).Trim().TrimEnd('/');
}
