using GrowthBot.Core.Ports;
using GrowthBot.Core.Surveys;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.SlackSim;

/// <summary>
/// The local Slack simulator end to end against the real host: what a person types reaches the
/// bot as signed Slack requests, and what the bot posts through the simulated Web API is shown
/// readably, with numbered buttons that send block_actions back.
/// </summary>
public sealed class SlackSimulatorTests : SimulatorTest
{
    [Fact]
    public async Task Question_TypedInTheDm_ShowsTheBotsAnswerWithNumberedButtons()
    {
        await TypeAsync("churn last month", "/wait");

        var printed = Printed();
        Assert.Contains("── GrowthBot in your DM ──", printed, StringComparison.Ordinal);
        Assert.Contains("Customer churn rate — last month", printed, StringComparison.Ordinal);
        Assert.Contains("[1] Explain this number   [2] Show trend", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("(GrowthBot said nothing", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mention_InGeneral_IsAnsweredInItsThread_AndAPlainChannelMessageReachesNobody()
    {
        await TypeAsync("/general", "hello everyone");
        Assert.Contains("GrowthBot only hears messages that mention it", Printed(), StringComparison.Ordinal);

        await TypeAsync("@growthbot nps last quarter", "/wait");

        var printed = Printed();
        Assert.Contains("── GrowthBot in #general, in the thread ──", printed, StringComparison.Ordinal);
        Assert.Contains("Net Promoter Score — last quarter", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PressingExplain_SendsBlockActions_AndShowsTheBotsExplanation()
    {
        await TypeAsync("churn last month", "/wait");
        var before = Output.ToString().Length;

        await TypeAsync("/press 1", "/wait");

        var printed = Printed(before);
        Assert.Contains("(you pressed [1] Explain this number)", printed, StringComparison.Ordinal);
        Assert.Contains("── GrowthBot in your DM", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("did not accept the press", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlashCommand_AnswersInlineOnlyToYou()
    {
        await TypeAsync("/growth nps last quarter", "/wait");

        var printed = Printed();
        Assert.Contains("── GrowthBot in your DM — only visible to you ──", printed, StringComparison.Ordinal);
        Assert.Contains("Net Promoter Score — last quarter", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SurveyPress_RecordsTheScoreAndTheTypedReason()
    {
        await TypeAsync("survey link @alex C0000001", "/wait Linked");
        await TypeAsync("survey nps @alex", "/wait How likely are you to recommend Acme");
        Assert.All(Enumerable.Range(0, 11), score => Assert.Single(Simulator.Transcript.ButtonsLabelled(score.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var nine = Assert.Single(Simulator.Transcript.ButtonsLabelled("9"));

        await TypeAsync($"/press {nine.Number}", "/wait main reason");

        var surveys = Host.Services.GetRequiredService<ISurveyStore>();
        var run = Assert.Single(surveys.Runs());
        Assert.Equal(9, Assert.Single(surveys.InvitationsOfRun(run.Id)).Score);
        Assert.Contains("✎ ", Printed(), StringComparison.Ordinal);

        var send = Assert.Single(Simulator.Transcript.ButtonsLabelled("Send"));
        await TypeAsync("/type Setup took five minutes", $"/press {send.Number}", "/wait Thank you");

        var comment = Assert.Single(Host.Services.GetRequiredService<ISurveyComments>().Recent(Time.GetUtcNow().AddDays(-1), Time.GetUtcNow().AddSeconds(1)));
        Assert.Equal(("Setup took five minutes", 9, "C0000001"), (comment.Comment, comment.Score, comment.CustomerId));
        Assert.Contains("(replaced)", Printed(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/frobnicate now", "/frobnicate is not a valid command. In Slack, all messages that start with the \"/\" character are interpreted as commands.")]
    [InlineData("/press", "Which button? Type /press N")]
    [InlineData("/press 42", "There is no button [42] to press")]
    [InlineData("/press Launch", "No button is labelled \"Launch\"")]
    [InlineData("/type", "Type what? /type TEXT")]
    [InlineData("/type a reason", "No message has an input box to type into.")]
    [InlineData("/fail chat.postMessage", "Usage: /fail METHOD ERROR")]
    [InlineData("churn \u001b[2J last month", "That line holds control characters")]
    public async Task BadInput_GetsAFriendlyMessage_AndTheSessionGoesOn(string line, string expected)
    {
        await TypeAsync(line);

        Assert.Contains(expected, Printed(), StringComparison.Ordinal);
        await TypeAsync("/growth help", "/wait");
        Assert.Contains("only visible to you", Printed(), StringComparison.Ordinal);
    }
}
