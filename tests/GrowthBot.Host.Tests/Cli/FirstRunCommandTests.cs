using System.Text.Json;
using GrowthBot.Host.Cli;
using GrowthBot.Storage;

namespace GrowthBot.Host.Tests.Cli;

/// <summary>What a newcomer meets first: typos, missing stores, synonyms, the demo and finding customers.</summary>
public sealed class FirstRunCommandTests : IDisposable
{
    private readonly TempStore _store = new();

    [Theory]
    [InlineData("")]
    [InlineData("serve")]
    [InlineData("serve --urls http://127.0.0.1:0")]
    [InlineData("--urls http://127.0.0.1:0")]
    public void RunsHost_ServeNothingOrOnlyHostOptions_StartsTheHost(string args) => Assert.True(GrowthBotCli.RunsHost(Words(args)));

    [Theory]
    [InlineData("metrics nps")]
    [InlineData("srve")]
    [InlineData("--help")]
    [InlineData("metric nps")]
    public void RunsHost_AnyOtherFirstWord_NeverStartsTheHost(string args) => Assert.False(GrowthBotCli.RunsHost(Words(args)));

    private static string[] Words(string args) => args.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Cli_MistypedVerb_IsAnErrorWithTheClosestVerb()
    {
        var (exitCode, output, error) = CliRunner.Run("metrics", "nps");

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Contains("Unknown command 'metrics'. Did you mean 'metric'?", error, StringComparison.Ordinal);
    }

    [Fact]
    public void HostArguments_AfterServe_AreWhatTheWebHostReads() =>
        Assert.Equal(["--urls", "http://127.0.0.1:0"], GrowthBotCli.HostArguments(["serve", "--urls", "http://127.0.0.1:0"]));

    [Theory]
    [InlineData("metric", "nps")]
    [InlineData("ask", "nps last month")]
    [InlineData("digest", "--team", "marketing", "--preview")]
    [InlineData("customers")]
    public void ReadOnlyVerb_StoreThatDoesNotExist_IsRefusedAndNotCreated(params string[] verb)
    {
        var missing = Path.Combine(_store.Folder, "typo", "growthbot.db");

        var (exitCode, _, error) = CliRunner.Run([.. verb, "--db", missing]);

        Assert.Equal(7, exitCode);
        Assert.Contains($"There is no store at '{missing}'", error, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public void DefaultStorePath_IsOneAbsolutePathWhateverTheWorkingDirectory()
    {
        Assert.True(Path.IsPathRooted(StorageOptions.DefaultPath), StorageOptions.DefaultPath);
        Assert.EndsWith(Path.Combine("growthbot", "growthbot.db"), StorageOptions.DefaultPath, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("churn", "customer-churn")]
    [InlineData("NRR", "nrr")]
    [InlineData("lifetime value", "ltv")]
    [InlineData("LTV:CAC", "ltv-cac")]
    [InlineData("net-revenue-churn", "net-revenue-churn")]
    public void Metric_NameOrSynonymAskUnderstands_IsAccepted(string name, string expected)
    {
        SurveySample.ImportInto(_store);

        var (exitCode, output, error) = CliRunner.Run("metric", name, "--from", "2025-03-01", "--to", "2025-04-01", "--json", "--db", _store.DbPath);

        Assert.True(exitCode == 0, error);
        Assert.Equal(expected, JsonDocument.Parse(output).RootElement.GetProperty("metric").GetString());
    }

    [Fact]
    public void Metric_UnknownName_SuggestsTheClosestMetric()
    {
        SurveySample.ImportInto(_store);

        var (exitCode, _, error) = CliRunner.Run("metric", "chrun", "--db", _store.DbPath);

        Assert.Equal(2, exitCode);
        Assert.Contains("Did you mean customer-churn", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_StoreWithData_IsRefusedAndLeftAsItWas()
    {
        SurveySample.ImportInto(_store);

        var (exitCode, _, error) = CliRunner.Run("demo", "--db", _store.DbPath, "--customers", "200");

        Assert.Equal(1, exitCode);
        Assert.Contains("already holds data", error, StringComparison.Ordinal);
        Assert.Contains("--replace", error, StringComparison.Ordinal);
        var (_, listing, _) = CliRunner.Run("customers", "--db", _store.DbPath);
        Assert.Contains("3 customers.", listing, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_Replace_DiscardsWhatWasThere()
    {
        SurveySample.ImportInto(_store);

        var (exitCode, _, error) = CliRunner.Run("demo", "--replace", "--db", _store.DbPath, "--customers", "200");

        Assert.True(exitCode == 0, error);
        // The sample's ids are c1–c3; the demo's are C0000001…, so none of the sample is left.
        var (_, listing, _) = CliRunner.Run("customers", "--search", "c2", "--db", _store.DbPath);
        Assert.Contains("No customer's id or name contains 'c2'", listing, StringComparison.Ordinal);
    }

    [Fact]
    public void Customers_Search_FindsByIdOrNameIgnoringCase()
    {
        SurveySample.ImportInto(_store);

        var (exitCode, output, _) = CliRunner.Run("customers", "--search", "GLOB", "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^c2\s+Globex\s+Enterprise\s+paid-search\s+not paying$", lines[1].TrimEnd());
        Assert.Contains("1 customer matching 'GLOB'.", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Customers_MoreThanTheLimit_SaysHowManyAreLeftOut()
    {
        SurveySample.ImportInto(_store);

        var (_, output, _) = CliRunner.Run("customers", "--limit", "2", "--db", _store.DbPath);

        Assert.Contains("2 of 3 customers shown", output, StringComparison.Ordinal);
    }

    public void Dispose() => _store.Dispose();
}
