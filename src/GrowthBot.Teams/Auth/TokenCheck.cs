using System.Security.Claims;

namespace GrowthBot.Teams.Auth;

/// <summary>Who signed a channel token.</summary>
internal enum TokenSource
{
    None,
    BotFramework,
    Entra,
}

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

    /// <summary>Who signed the token.</summary>
    public TokenSource Source { get; init; }

    /// <summary>
    /// Whether the signing key may sign for this channel ("msteams"). An Azure Bot Service key must
    /// list the channel among its endorsements (a key with none is refused, as botbuilder refuses it);
    /// Entra's keys carry no endorsements.
    /// </summary>
    public bool IsEndorsedFor(string? channelId) =>
        Source != TokenSource.BotFramework || string.IsNullOrEmpty(channelId) || (Endorsements is { } endorsed && endorsed.Contains(channelId, StringComparer.OrdinalIgnoreCase));

    /// <summary>The claim the Bot Framework puts the channel's service URL in.</summary>
    public const string ServiceUrlClaim = "serviceurl";

    public static TokenCheck Refused(string reason) => new(false, reason);

    /// <summary>
    /// Whether the token authorises replies to this activity's service URL (where the bot will send
    /// its own token). A token with a serviceurl claim authorises that URL only. Azure Bot Service's
    /// own tokens always carry the claim; an Entra token without it authorises only the Teams
    /// connector origins of the cloud (<paramref name="allowListed"/>), never an arbitrary URL.
    /// </summary>
    public bool AllowsServiceUrl(string? serviceUrl, ServiceUrlAllowList allowListed)
    {
        ArgumentNullException.ThrowIfNull(allowListed);
        var claim = Identity?.FindFirst(ServiceUrlClaim)?.Value;
        if (!string.IsNullOrEmpty(claim)) return string.Equals(Normalise(claim), Normalise(serviceUrl), StringComparison.OrdinalIgnoreCase);
        return Source == TokenSource.Entra && allowListed.Allows(serviceUrl);
    }

    /// <summary>Whether the token came from Azure Bot Service itself (not Entra ID).</summary>
    public bool IsFromBotFramework => Source == TokenSource.BotFramework;

    // The Bot Framework compares the URLs as strings; a trailing slash is the only difference seen in practice.
    private static string Normalise(string? url) => (url ?? string.Empty).Trim().TrimEnd('/');
}
