using System.Globalization;
using System.Security.Cryptography;
using GrowthBot.Core.Installations;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace GrowthBot.Slack.Installations;

/// <summary>How an install redirect's <c>state</c> checked out.</summary>
internal enum InstallStateCheck
{
    Valid,
    Missing,
    Invalid,
    Expired,
    OtherBrowser,
    AlreadyUsed,
}

/// <summary>
/// The <c>state</c> of the install flow, as Slack's SDKs make it: a random nonce and an expiry,
/// encrypted and signed with Data Protection (so it cannot be forged or altered), bound to the
/// browser that started the install by a cookie holding the same nonce, good once and for
/// <see cref="SlackOptions.InstallStateLifetime"/>. Used nonces are kept in the store
/// (<see cref="IUsedNonceStore"/>) until they expire, so a replay is refused after a restart too;
/// the code in the redirect is single-use at Slack as well.
/// </summary>
internal sealed class SlackInstallState(IDataProtectionProvider protection, IUsedNonceStore used, TimeProvider time)
{
    /// <summary>The cookie Bolt uses for the same purpose.</summary>
    public const string CookieName = "slack-app-oauth-state";

    private readonly IDataProtector _protector = protection.CreateProtector("GrowthBot.Slack.InstallState.v1");

    /// <summary>A new state for the authorize URL and the nonce for the browser's cookie.</summary>
    public (string State, string Nonce) Issue(TimeSpan lifetime)
    {
        var nonce = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var expires = (time.GetUtcNow() + lifetime).ToUnixTimeSeconds();
        return (_protector.Protect($"{nonce}|{expires.ToString(CultureInfo.InvariantCulture)}"), nonce);
    }

    /// <summary>Checks the state Slack sent back against the browser's cookie, and uses it up.</summary>
    public InstallStateCheck Consume(string? state, string? cookieNonce)
    {
        if (string.IsNullOrEmpty(state)) return InstallStateCheck.Missing;
        string payload;
        try
        {
            payload = _protector.Unprotect(state);
        }
        catch (CryptographicException)
        {
            return InstallStateCheck.Invalid;
        }
        var parts = payload.Split('|');
        if (parts.Length != 2 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)) return InstallStateCheck.Invalid;
        var now = time.GetUtcNow();
        var expires = DateTimeOffset.FromUnixTimeSeconds(expiresAt);
        if (now >= expires) return InstallStateCheck.Expired;
        var nonce = parts[0];
        if (string.IsNullOrEmpty(cookieNonce) || !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(nonce), System.Text.Encoding.UTF8.GetBytes(cookieNonce)))
        {
            return InstallStateCheck.OtherBrowser;
        }
        return used.TryUse(nonce, expires, now) ? InstallStateCheck.Valid : InstallStateCheck.AlreadyUsed;
    }
}
