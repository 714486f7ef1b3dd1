using System.Text;
using GrowthBot.Connectors.Zendesk.Inbound;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Connectors.Zendesk.Tests;

public sealed class ZendeskSignatureTests
{
    private const string Secret = "dGhpc19zZWNyZXRfaXNfZm9yX2dyb3d0aGJvdF90ZXN0cw==";
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 15, 12, 0, 0, TimeSpan.Zero));
    private readonly byte[] _body = ZendeskFixtures.Bytes("ticket.status_changed.solved");

    private string Timestamp => _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private SignatureCheck Verify(string? timestamp, string? signature, byte[]? body = null, params string[] secrets) =>
        ZendeskSignature.Verify(timestamp, signature, body ?? _body, secrets.Length == 0 ? [Secret] : secrets, _time.GetUtcNow(), Tolerance);

    [Fact]
    public void Verify_SignedAsZendeskSigns_IsValid()
    {
        var timestamp = Timestamp;

        Assert.Equal(SignatureCheck.Valid, Verify(timestamp, ZendeskSignature.Header(timestamp, _body, Secret)));
    }

    [Fact]
    public void Header_IsBase64HmacSha256OfTimestampThenBody()
    {
        // Computed independently: base64(HMAC_SHA256(secret, timestamp + body)), as Zendesk documents.
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes("secret"));
        var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes("2025-06-15T12:00:00Z{\"a\":1}")));

        Assert.Equal(expected, ZendeskSignature.Header("2025-06-15T12:00:00Z", Encoding.UTF8.GetBytes("{\"a\":1}"), "secret"));
    }

    [Fact]
    public void Verify_OtherSecretOrTamperedBody_IsMismatch()
    {
        var timestamp = Timestamp;
        var forged = ZendeskSignature.Header(timestamp, _body, "c29tZW9uZSBlbHNl");
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(_body).Replace("SOLVED", "OPEN", StringComparison.Ordinal));

        Assert.Equal(SignatureCheck.Mismatch, Verify(timestamp, forged));
        Assert.Equal(SignatureCheck.Mismatch, Verify(timestamp, ZendeskSignature.Header(timestamp, _body, Secret), tampered));
    }

    [Fact]
    public void Verify_AnyOfSeveralSecrets_IsValid_WhileRolling()
    {
        var timestamp = Timestamp;

        Assert.Equal(SignatureCheck.Valid, Verify(timestamp, ZendeskSignature.Header(timestamp, _body, Secret), null, "b2xkIHNlY3JldA==", Secret));
    }

    [Fact]
    public void Verify_TimestampMoreThanFiveMinutesAwayFromTheClock_IsStale()
    {
        var old = _time.GetUtcNow().AddMinutes(-5).AddSeconds(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var future = _time.GetUtcNow().AddMinutes(6).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var edge = _time.GetUtcNow().AddMinutes(-5).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(SignatureCheck.Stale, Verify(old, ZendeskSignature.Header(old, _body, Secret)));
        Assert.Equal(SignatureCheck.Stale, Verify(future, ZendeskSignature.Header(future, _body, Secret)));
        Assert.Equal(SignatureCheck.Valid, Verify(edge, ZendeskSignature.Header(edge, _body, Secret)));
    }

    [Fact]
    public void Verify_SignedThenClockAdvancedPastTheWindow_IsStale()
    {
        var timestamp = Timestamp;
        var signature = ZendeskSignature.Header(timestamp, _body, Secret);

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        Assert.Equal(SignatureCheck.Stale, Verify(timestamp, signature));
    }

    [Theory]
    [InlineData(null, "c2lnbmF0dXJl")]
    [InlineData("2025-06-15T12:00:00Z", null)]
    [InlineData("", "")]
    public void Verify_MissingHeader_IsMissing(string? timestamp, string? signature) =>
        Assert.Equal(SignatureCheck.Missing, Verify(timestamp, signature));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("1750000000x")]
    public void Verify_TimestampNotIso8601_IsMalformed(string timestamp) =>
        Assert.Equal(SignatureCheck.Malformed, Verify(timestamp, ZendeskSignature.Header(timestamp, _body, Secret)));

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void Verify_SignatureNotA32ByteBase64Digest_IsMalformed(string signature) =>
        Assert.Equal(SignatureCheck.Malformed, Verify(Timestamp, signature));
}
