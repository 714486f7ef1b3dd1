using GrowthBot.Host.Cli;
using GrowthBot.Host.Tests.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Host.Tests.SlackSim;

/// <summary><c>growthbot slack-sim</c>: the verb starts the simulator and the real host on loopback ports and runs a typed session.</summary>
public sealed class SlackSimCommandTests
{
    [Fact]
    public void SlackSim_ScriptedSession_StartsTheHostAndShowsItsAnswers()
    {
        using var store = new TempStore();
        Assert.Equal(0, CliRunner.Run("demo", "--customers", "30", "--db", store.DbPath).ExitCode);
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, new FakeTimeProvider(CliRunner.Now), new ConfigurationBuilder().Build())
        {
            Input = new StringReader("churn last month\n/wait\n/growth nps last quarter\n/wait\n/quit\n"),
        };

        var exit = GrowthBotCli.Run(["slack-sim", "--db", store.DbPath, "--api-port", "0", "--files", Path.Combine(store.Folder, "files")], context);

        var printed = output.ToString();
        Assert.True(exit == ExitCodes.Ok, printed + error);
        Assert.Matches(@"Slack simulator: Web API at http://127\.0\.0\.1:\d+/api/ .*; GrowthBot at http://127\.0\.0\.1:\d+", printed);
        Assert.Contains("Customer churn rate — last month", printed, StringComparison.Ordinal);
        Assert.Contains("── GrowthBot in your DM — only visible to you ──", printed, StringComparison.Ordinal);
        Assert.Contains("Net Promoter Score — last quarter", printed, StringComparison.Ordinal);
        Assert.Contains("Stopping GrowthBot…", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void SlackSim_NonLoopbackAddress_IsRefused()
    {
        var (exit, _, error) = CliRunner.Run("slack-sim", "--urls", "http://0.0.0.0:5080");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("must be a loopback http address", error, StringComparison.Ordinal);
    }

    [Fact]
    public void SlackSim_Misspelt_SuggestsTheVerb()
    {
        var (exit, _, error) = CliRunner.Run("slack-simm");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("Did you mean 'slack-sim'?", error, StringComparison.Ordinal);
    }
}
