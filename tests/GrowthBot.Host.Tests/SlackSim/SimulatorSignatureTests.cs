using System.Text;
using GrowthBot.Slack.Simulator;

namespace GrowthBot.Host.Tests.SlackSim;

/// <summary>The simulator signs as Slack does; a host with another signing secret refuses it, and the person is told so.</summary>
public sealed class SimulatorSignatureTests : SimulatorTest
{
    internal override bool HostKnowsTheSecret => false;

    [Fact]
    public void Signature_MatchesSlacksDocumentedExample()
    {
        // The example in Slack's "Verifying requests from Slack" guide.
        const string body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

        var signature = SimSigner.Signature("1531420618", Encoding.UTF8.GetBytes(body), "8f742231b10e8888abcd99yyyzzz85a5");

        Assert.Equal("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", signature);
    }

    [Fact]
    public async Task WrongSigningSecret_TheHostRefuses_AndThePersonIsToldWhy()
    {
        await TypeAsync("churn last month", "/growth nps");

        var printed = Printed();
        Assert.Contains("Slack could not deliver that event to GrowthBot: HTTP 401", printed, StringComparison.Ordinal);
        Assert.Contains("invalid or missing Slack signature", printed, StringComparison.Ordinal);
        Assert.Contains("/growth failed with the error \"dispatch_failed\" (HTTP 401", printed, StringComparison.Ordinal);
        Assert.Equal(0, Simulator.Transcript.BotMessageCount);
    }
}
