using System.Text.RegularExpressions;
using GrowthBot.Host.Tests.Hosting;

namespace GrowthBot.Host.Tests.Security;

/// <summary>
/// Issue 18, item 3: the host reads the appsettings.json shipped beside it even when started from
/// another folder; without it, .NET's defaults log every request at Information.
/// </summary>
public sealed partial class SettingsFolderTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly TempStore _store = new();
    private readonly TempStore _elsewhere = new();

    public void Dispose()
    {
        _store.Dispose();
        _elsewhere.Dispose();
    }

    [Fact]
    public async Task Host_StartedFromAnotherFolder_ReadsTheSettingsBesideIt()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "appsettings.json")), "appsettings.json is shipped beside the host");
        using var host = HostProcess.StartIn(_elsewhere.Folder, _store.DbPath, "Production", new Dictionary<string, string>(), "--urls", "http://127.0.0.1:0");
        Assert.True(host.WaitForOutput("Application started", Limit), host.Output);
        using var client = new HttpClient { BaseAddress = new Uri(ListeningAddress().Match(host.Output).Groups["address"].Value + "/") };

        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        host.SendSigterm();
        Assert.Equal(0, host.WaitForExit(Limit));

        // The working folder really was another one, and appsettings.json's "Microsoft.AspNetCore": "Warning" applied.
        Assert.Contains($"Content root path: {_elsewhere.Folder}", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Executing endpoint", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Request starting", host.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningAddress();
}
