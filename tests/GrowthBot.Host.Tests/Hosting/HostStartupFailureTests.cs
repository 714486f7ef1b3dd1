using System.Net;
using System.Net.Sockets;
using GrowthBot.Storage;

namespace GrowthBot.Host.Tests.Hosting;

/// <summary>
/// What an operator sees when the host cannot start for a reason they can fix: one line saying what is
/// wrong and what to do, a documented exit code, and no stack trace.
/// </summary>
public sealed class HostStartupFailureTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly TempStore _store = new();

    [Fact]
    public void Host_UnknownTimeZoneSetting_ExitsWithBadSettingsAndOneLine()
    {
        using var host = HostProcess.Start(_store.DbPath, "Production", new Dictionary<string, string> { ["Company__TimeZone"] = "Mars/Olympus" },
            "--urls", "http://127.0.0.1:0");

        Assert.Equal(5, host.WaitForExit(Limit));
        Assert.Contains("GrowthBot cannot start: bad settings in Company", host.Output, StringComparison.Ordinal);
        Assert.Contains("Mars/Olympus", host.Output, StringComparison.Ordinal);
        AssertNoStackTrace(host.Output);
    }

    [Fact]
    public void Host_NumberSettingThatIsNotANumber_ExitsWithBadSettings()
    {
        using var host = HostProcess.Start(_store.DbPath, "Production", new Dictionary<string, string> { ["Digests__MaxMetrics"] = "six" },
            "--urls", "http://127.0.0.1:0");

        Assert.Equal(5, host.WaitForExit(Limit));
        Assert.Contains("GrowthBot cannot start:", host.Output, StringComparison.Ordinal);
        Assert.Contains("MaxMetrics", host.Output, StringComparison.Ordinal);
        AssertNoStackTrace(host.Output);
    }

    [Fact]
    public void Host_PortAlreadyInUse_ExitsWithAddressInUseAndSaysWhatToDo()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        using var host = HostProcess.Start(_store.DbPath, "Production", "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(6, host.WaitForExit(Limit));
        Assert.Contains("GrowthBot cannot start:", host.Output, StringComparison.Ordinal);
        Assert.Contains("--urls http://127.0.0.1:PORT", host.Output, StringComparison.Ordinal);
        // The failure itself ends in one line; background services already started when Kestrel fails
        // to bind may still log their cancellation, so only the crash's own trace is ruled out here.
        Assert.DoesNotContain("Unhandled exception", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Hosting failed to start", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_StoreFileThatIsNotLiteDb_ExitsWithStoreUnreadableAndLeavesTheFileAlone()
    {
        var garbage = new byte[20_000];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(_store.DbPath, garbage);

        using var host = HostProcess.Start(_store.DbPath, "Production", "--urls", "http://127.0.0.1:0");

        Assert.Equal(7, host.WaitForExit(Limit));
        Assert.Contains("is not a LiteDB file GrowthBot can read", host.Output, StringComparison.Ordinal);
        AssertNoStackTrace(host.Output);
        Assert.Equal(garbage, File.ReadAllBytes(_store.DbPath));
    }

    [Fact]
    public void Host_SecondHostOnTheSameFile_ExitsWithStoreBusy()
    {
        using var first = new LiteGrowthStore(new StorageOptions { Path = _store.DbPath });

        using var second = HostProcess.Start(_store.DbPath, "Production", "--urls", "http://127.0.0.1:0");

        Assert.Equal(3, second.WaitForExit(Limit));
        Assert.Contains("is in use by another GrowthBot process", second.Output, StringComparison.Ordinal);
        AssertNoStackTrace(second.Output);
    }

    [Fact]
    public void Host_StorePathIsASymlinkToAHeldStore_ExitsWithStoreBusy()
    {
        var target = Path.Combine(_store.Folder, "real", "growthbot.db");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var link = Path.Combine(_store.Folder, "link.db");
        File.CreateSymbolicLink(link, target);
        using var holder = new LiteGrowthStore(new StorageOptions { Path = target });

        using var host = HostProcess.Start(link, "Production", "--urls", "http://127.0.0.1:0");

        Assert.Equal(3, host.WaitForExit(Limit));
        Assert.Contains(target, host.Output, StringComparison.Ordinal);
        AssertNoStackTrace(host.Output);
    }

    private static void AssertNoStackTrace(string output)
    {
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    public void Dispose() => _store.Dispose();
}
