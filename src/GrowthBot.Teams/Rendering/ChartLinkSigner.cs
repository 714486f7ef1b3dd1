using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace GrowthBot.Teams.Rendering;

/// <summary>
/// Signs chart links with an expiry, so that a chart is readable only through a link the bot handed
/// out, and only until it expires. With <c>Teams:ChartLinkKey</c> set (base64, at least 32 bytes,
/// the same on every host behind one address) the signature is HMAC-SHA256 over the chart id and the
/// expiry; without it, the link carries a Data Protection token over the same text, so the key lives
/// in the host's Data Protection key ring (which survives restarts where it is persisted).
/// </summary>
internal sealed class ChartLinkSigner
{
    /// <summary>The Data Protection purpose: tokens for chart links are useless for anything else.</summary>
    internal const string Purpose = "GrowthBot.Teams.ChartLinks.v1";

    private readonly byte[]? _key;
    private readonly IDataProtector? _protector;

    public ChartLinkSigner(string? base64Key, IDataProtectionProvider? dataProtection)
    {
        if (!string.IsNullOrWhiteSpace(base64Key))
        {
            _key = DecodeKey(base64Key) ?? throw new ArgumentException("Teams:ChartLinkKey must be base64 of at least 32 bytes.", nameof(base64Key));
            return;
        }
        _protector = (dataProtection ?? new EphemeralDataProtectionProvider()).CreateProtector(Purpose);
    }

    /// <summary>The key's bytes, or null when the text is not base64 of at least 32 bytes.</summary>
    public static byte[]? DecodeKey(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text.Trim(), buffer, out var written) && written >= 32 ? buffer[..written] : null;
    }

    /// <summary>The signature for this chart until <paramref name="expires"/> (URL-safe).</summary>
    public string Sign(string id, long expires)
    {
        var payload = Payload(id, expires);
        return _key is not null
            ? WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(payload)))
            : _protector!.Protect(payload);
    }

    /// <summary>True when the signature was made by <see cref="Sign"/> for exactly this id and expiry and it has not passed.</summary>
    public bool IsValid(string id, long expires, string? signature, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(signature) || signature.Length > 1024 || now.ToUnixTimeSeconds() >= expires) return false;
        var payload = Payload(id, expires);
        if (_key is not null)
        {
            var expected = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(payload));
            byte[] given;
            try
            {
                given = WebEncoders.Base64UrlDecode(signature);
            }
            catch (FormatException)
            {
                return false;
            }
            return CryptographicOperations.FixedTimeEquals(expected, given);
        }
        try
        {
            return string.Equals(_protector!.Unprotect(signature), payload, StringComparison.Ordinal);
        }
        catch (CryptographicException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Payload(string id, long expires) => string.Create(CultureInfo.InvariantCulture, $"teams-chart:{id}:{expires}");
}
