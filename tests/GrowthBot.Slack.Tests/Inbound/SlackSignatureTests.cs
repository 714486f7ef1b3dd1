using System.Globalization;
using System.Text;
using GrowthBot.Slack.Inbound;

namespace GrowthBot.Slack.Tests.Inbound;

public sealed class SlackSignatureTests
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_732_615_200);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("token=xyz&team_id=T0HOME&command=%2Fgrowth&text=churn");

    [Fact]
    public void Verify_SlacksOwnWorkedExample_IsValid()
    {
        // The example from Slack's "Verifying requests from Slack" guide.
        const string body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        var check = SlackSignature.Verify("1531420618", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
            Encoding.UTF8.GetBytes(body), Secret, DateTimeOffset.FromUnixTimeSeconds(1_531_420_618), Tolerance);

        Assert.Equal(SignatureCheck.Valid, check);
    }

    [Fact]
    public void Verify_SignedNow_IsValid() => Assert.Equal(SignatureCheck.Valid, Verify(Now, SignedAt(Now)));

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86_400)]
    public void Verify_TimestampMoreThanFiveMinutesOff_IsStale(int seconds)
    {
        var sent = Now.AddSeconds(seconds);
        Assert.Equal(SignatureCheck.Stale, Verify(sent, SignedAt(sent)));
    }

    [Theory]
    [InlineData(-299)]
    [InlineData(299)]
    public void Verify_WithinFiveMinutes_IsValid(int seconds)
    {
        var sent = Now.AddSeconds(seconds);
        Assert.Equal(SignatureCheck.Valid, Verify(sent, SignedAt(sent)));
    }

    [Fact]
    public void Verify_OtherSecret_IsMismatch()
    {
        var forged = SlackSignature.Header(Stamp(Now), Body, "not-the-secret");
        Assert.Equal(SignatureCheck.Mismatch, Verify(Now, forged));
    }

    [Fact]
    public void Verify_BodyChangedAfterSigning_IsMismatch()
    {
        var signature = SignedAt(Now);
        var tampered = Encoding.UTF8.GetBytes("token=xyz&team_id=T0HOME&command=%2Fgrowth&text=mrr");
        Assert.Equal(SignatureCheck.Mismatch, SlackSignature.Verify(Stamp(Now), signature, tampered, Secret, Now, Tolerance));
    }

    [Theory]
    [InlineData(null, "v0=abc")]
    [InlineData("1732615200", null)]
    [InlineData("", "")]
    public void Verify_MissingHeader_IsMissing(string? timestamp, string? signature) =>
        Assert.Equal(SignatureCheck.Missing, SlackSignature.Verify(timestamp, signature, Body, Secret, Now, Tolerance));

    [Theory]
    [InlineData("yesterday", "v0=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("1732615200", "v1=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("1732615200", "v0=zz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("1732615200", "v0=00")]
    [InlineData("-5", "v0=0000000000000000000000000000000000000000000000000000000000000000")]
    public void Verify_MalformedHeader_IsMalformed(string timestamp, string signature) =>
        Assert.Equal(SignatureCheck.Malformed, SlackSignature.Verify(timestamp, signature, Body, Secret, Now, Tolerance));

    private static SignatureCheck Verify(DateTimeOffset sentAt, string signature) =>
        SlackSignature.Verify(Stamp(sentAt), signature, Body, Secret, Now, Tolerance);

    private static string SignedAt(DateTimeOffset sentAt) => SlackSignature.Header(Stamp(sentAt), Body, Secret);

    private static string Stamp(DateTimeOffset moment) => moment.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
