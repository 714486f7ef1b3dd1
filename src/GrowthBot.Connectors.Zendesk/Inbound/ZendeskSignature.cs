using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GrowthBot.Connectors.Zendesk.Inbound;

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
/// Zendesk's webhook signing: <c>X-Zendesk-Webhook-Signature</c> is base64 HMAC-SHA256 of the
/// <c>X-Zendesk-Webhook-Signature-Timestamp</c> value (ISO 8601) followed directly by the raw body,
/// keyed with the webhook's signing secret; compared in constant time. A timestamp more than the
/// tolerance from now (past or future) is refused, so a captured request cannot be replayed later.
/// </summary>
internal static class ZendeskSignature
{
    public const string SignatureHeader = "X-Zendesk-Webhook-Signature";
    public const string TimestampHeader = "X-Zendesk-Webhook-Signature-Timestamp";

    public static SignatureCheck Verify(string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(timestampHeader) || string.IsNullOrEmpty(signatureHeader)) return SignatureCheck.Missing;
        if (!DateTimeOffset.TryParse(timestampHeader, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var sent))
        {
            return SignatureCheck.Malformed;
        }
        var provided = new byte[32];
        if (!Convert.TryFromBase64String(signatureHeader, provided, out var length) || length != provided.Length) return SignatureCheck.Malformed;
        if ((now - sent).Duration() > tolerance) return SignatureCheck.Stale;
        var matched = false;
        foreach (var secret in secrets)
        {
            // Every secret is tried (no early exit), so the time taken says nothing about which matched.
            matched |= CryptographicOperations.FixedTimeEquals(provided, Compute(timestampHeader, body, secret));
        }
        return matched ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    /// <summary>The raw HMAC for a timestamp and body (also used by tests to sign requests as Zendesk does).</summary>
    public static byte[] Compute(string timestamp, ReadOnlySpan<byte> body, string secret)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp);
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }

    /// <summary>The header value Zendesk would send.</summary>
    public static string Header(string timestamp, ReadOnlySpan<byte> body, string secret) => Convert.ToBase64String(Compute(timestamp, body, secret));
}
