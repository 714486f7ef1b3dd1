using System.Text.Json;
using System.Text.RegularExpressions;
using GrowthBot.Storage;

namespace GrowthBot.Host.Tests.Hosting;

/// <summary>The host as an operator runs it: a real process, a real port on loopback, a real signal.</summary>
public sealed partial class HostProcessTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly TempStore _store = new();

    [Fact]
    public async Task Host_FreshStart_ServesHealthThenStopsCleanlyOnSigterm()
    {
        using var host = HostProcess.Start(_store.DbPath, "Development", "--urls", "http://127.0.0.1:0");
        Assert.True(host.WaitForOutput("Application started", Limit), host.Output);
        Assert.Contains("Slack: not configured", host.Output, StringComparison.Ordinal);
        Assert.Contains("Teams: not configured", host.Output, StringComparison.Ordinal); // Development alone does not turn Teams authentication off
        Assert.Contains("loaded the demo history", host.Output, StringComparison.Ordinal);
        Assert.Contains("Company__Name is not set", host.Output, StringComparison.Ordinal);
        var address = ListeningAddress().Match(host.Output).Groups["address"].Value;

        using var client = new HttpClient { BaseAddress = new Uri(address) };
        var health = JsonDocument.Parse(await client.GetStringAsync(new Uri("/healthz", UriKind.Relative))).RootElement;
        Assert.Equal("ok", health.GetProperty("status").GetString());

        host.SendSigterm();
        Assert.Equal(0, host.WaitForExit(Limit));
        Assert.Contains("Application is shutting down", host.Output, StringComparison.Ordinal);
        using var next = new LiteGrowthStore(new StorageOptions { Path = _store.DbPath });
        Assert.False(next.IsEmpty);
    }

    [Fact]
    public void Cli_StoreHeldByAnotherProcess_ExitsWithTheStoreBusyMessage()
    {
        using var holder = new LiteGrowthStore(new StorageOptions { Path = _store.DbPath });
        using var cli = HostProcess.Start(_store.DbPath, "Production", "metric", "nps", "--db", _store.DbPath);

        Assert.Equal(3, cli.WaitForExit(Limit));
        Assert.Contains("is in use by another GrowthBot process", cli.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _store.Dispose();

    [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningAddress();
}
