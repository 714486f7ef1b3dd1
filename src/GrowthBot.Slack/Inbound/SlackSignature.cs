using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GrowthBot.Slack.Inbound;

/// <summary>Why a request's signature was accepted or refused.</summary>
internal enum SignatureCheck
{
    Valid,
    Missing,
    Malformed,
    Stale,
    Mismatch,
}

/// <summary>
/// Slack's request signing: <c>v0=</c> + hex HMAC-SHA256 of <c>v0:{timestamp}:{raw body}</c>
/// with the signing secret, compared in constant time; a timestamp more than the tolerance from
/// now (past or future) is refused, so a captured request cannot be replayed later.
/// </summary>
internal static class SlackSignature
{
    public const string Version = "v0";

    public static SignatureCheck Verify(string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, string signingSecret, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(timestampHeader) || string.IsNullOrEmpty(signatureHeader)) return SignatureCheck.Missing;
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return SignatureCheck.Malformed;
        if (!signatureHeader.StartsWith(Version + "=", StringComparison.Ordinal) || signatureHeader.Length != Version.Length + 1 + 64) return SignatureCheck.Malformed;
        var sent = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799));
        if ((now - sent).Duration() > tolerance) return SignatureCheck.Stale;

        byte[] provided;
        try
        {
            provided = Convert.FromHexString(signatureHeader.AsSpan(Version.Length + 1));
        }
        catch (FormatException)
        {
            return SignatureCheck.Malformed;
        }
        var expected = Compute(timestampHeader, body, signingSecret);
        return CryptographicOperations.FixedTimeEquals(provided, expected) ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    /// <summary>The raw HMAC for a timestamp and body (also used by tests and the benchmark to sign requests).</summary>
    public static byte[] Compute(string timestamp, ReadOnlySpan<byte> body, string signingSecret)
    {
        var prefix = Encoding.UTF8.GetBytes($"{Version}:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), message);
    }

    /// <summary>The header value Slack would send: <c>v0=</c> + lowercase hex.</summary>
    public static string Header(string timestamp, ReadOnlySpan<byte> body, string signingSecret) =>
        Version + "=" + Convert.ToHexStringLower(Compute(timestamp, body, signingSecret));
}
