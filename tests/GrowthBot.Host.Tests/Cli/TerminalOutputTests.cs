using GrowthBot.Host.Cli;

namespace GrowthBot.Host.Tests.Cli;

/// <summary>Issue 18, item 2: customers' words printed by the command line cannot drive the terminal.</summary>
public sealed class TerminalOutputTests : IDisposable
{
    private const string Esc = "\u001b";
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Theory]
    [InlineData("plain, tabs\tand\nlines", "plain, tabs\tand\nlines")]
    [InlineData("\u001b]0;owned\u0007\u001b[2Jname", "^[]0;owned^G^[[2Jname")]
    [InlineData("over\rwritten", "over^Mwritten")]
    [InlineData("bell\u0007 del\u007f nul\0", "bell^G del^? nul^@")]
    [InlineData("c1\u009b31m", "c1<U+009B>31m")]
    [InlineData("invoice\u202Etxt.exe", "invoice<U+202E>txt.exe")]
    [InlineData("Café ✓ 😀", "Café ✓ 😀")]
    public void Clean_ControlCharacters_AreShownVisibly(string text, string shown)
    {
        Assert.Equal(shown, TerminalSafeWriter.Clean(text));
    }

    [Fact]
    public void Customers_NameWithEscapeSequences_IsPrintedInert()
    {
        var file = _store.WriteFile("customers.csv",
            "customer_id,name,segment,acquisition_channel,signed_up_at,activated_at\n" +
            $"c1,\"Evil{Esc}]0;pwned\u0007{Esc}[2J{Esc}[31mCorp\",SMB,organic,2025-01-05,2025-01-07\n");
        var (imported, _, importError) = CliRunner.Run("import", "customers", file, "--db", _store.DbPath);
        Assert.True(imported == 0, importError);

        var (code, output, error) = CliRunner.Run("customers", "--db", _store.DbPath);

        Assert.True(code == 0, error);
        Assert.DoesNotContain(Esc, output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0007", output, StringComparison.Ordinal);
        Assert.Contains("Evil^[]0;pwned^G^[[2J^[[31mCorp", output, StringComparison.Ordinal);
    }

    [Fact]
    public void SurveyStatusLine_TopicWithEscapeSequences_IsPrintedInert()
    {
        var output = new StringWriter();
        var context = new CliContext(output, new StringWriter(), TimeProvider.System, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        var status = new GrowthBot.Host.Hosting.CampaignStatus("nps-1", "nps", $"pricing{Esc}[8m hidden", "command line", DateTimeOffset.UnixEpoch, "campaign",
            1, 0, 1, 0, 0, 0, 0, 0, null, true, []);

        context.Output.WriteLine(SurveyCommand.Line(status));

        Assert.DoesNotContain(Esc, output.ToString(), StringComparison.Ordinal);
        Assert.Contains("about pricing^[[8m hidden", output.ToString(), StringComparison.Ordinal);
    }
}
