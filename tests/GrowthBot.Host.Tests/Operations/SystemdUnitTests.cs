using System.Diagnostics;
using GrowthBot.Host.Cli;

namespace GrowthBot.Host.Tests.Operations;

/// <summary>
/// deploy/systemd/growthbot.service, the example unit docs/production.md installs: it runs the
/// published host in Production, gives the graceful stop time to finish, does not restart on
/// failures a restart cannot fix, and (where systemd is installed) <c>systemd-analyze verify</c> accepts it.
/// </summary>
public sealed class SystemdUnitTests : IDisposable
{
    private readonly TempStore _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Unit_RunsThePublishedHostInProduction_OnLoopback()
    {
        var service = Unit()["Service"];

        Assert.Equal("/opt/growthbot/growthbot serve --urls http://127.0.0.1:5080", Assert.Single(service["ExecStart"]));
        Assert.Contains("ASPNETCORE_ENVIRONMENT=Production", service["Environment"]);
        Assert.Contains("Storage__Path=/var/lib/growthbot/growthbot.db", service["Environment"]);
        // The gen0 budget the runtime reads from the environment only (docs/engine.md, "Garbage collector").
        Assert.Contains("DOTNET_GCgen0size=0x4000000", service["Environment"]);
        Assert.Equal("growthbot", Assert.Single(service["StateDirectory"]));
        Assert.Equal("/etc/growthbot/growthbot.env", Assert.Single(service["EnvironmentFile"]));
    }

    [Fact]
    public void Unit_WaitsLongerThanTheHostsShutdownTimeout_BeforeKilling()
    {
        var service = Unit()["Service"];
        var drain = int.Parse(service["Environment"].Single(line => line.StartsWith("Host__ShutdownTimeoutSeconds=", StringComparison.Ordinal)).Split('=')[1],
            System.Globalization.CultureInfo.InvariantCulture);
        var stop = int.Parse(Assert.Single(service["TimeoutStopSec"]), System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal("SIGTERM", Assert.Single(service["KillSignal"]));
        Assert.True(stop > drain, $"TimeoutStopSec={stop} must exceed Host__ShutdownTimeoutSeconds={drain}, or systemd kills sends in flight");
    }

    [Fact]
    public void Unit_DoesNotRestartOnExitCodesARestartCannotFix()
    {
        var codes = Assert.Single(Unit()["Service"]["RestartPreventExitStatus"]).Split(' ').Select(int.Parse).ToHashSet();

        Assert.Equal(new HashSet<int> { ExitCodes.StoreBusy, ExitCodes.BadSettings, ExitCodes.AddressInUse, ExitCodes.StoreUnreadable }, codes);
    }

    [Fact]
    public void Unit_IsAcceptedBySystemdAnalyzeVerify()
    {
        // systemd not installed here (or not Linux): the parse tests above still run.
        if (OperatingSystem.IsWindows() || (!File.Exists("/usr/bin/systemd-analyze") && !File.Exists("/bin/systemd-analyze"))) return;
        // verify also checks that ExecStart's program exists: point it at a stand-in for the published host.
        var program = Path.Combine(_folder.Folder, "growthbot");
        File.WriteAllText(program, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var unit = Path.Combine(_folder.Folder, "growthbot.service");
        File.WriteAllText(unit, File.ReadAllText(UnitPath()).Replace("/opt/growthbot/growthbot", program, StringComparison.Ordinal));

        var start = new ProcessStartInfo("systemd-analyze") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("verify");
        start.ArgumentList.Add(unit);
        using var verify = Process.Start(start)!;
        var errors = verify.StandardError.ReadToEnd() + verify.StandardOutput.ReadToEnd();
        verify.WaitForExit();

        Assert.True(verify.ExitCode == 0 && errors.Length == 0, errors);
    }

    /// <summary>The unit's directives by section; a directive given several times keeps every value.</summary>
    private static Dictionary<string, Dictionary<string, List<string>>> Unit()
    {
        var sections = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal);
        Dictionary<string, List<string>>? current = null;
        foreach (var raw in File.ReadAllLines(UnitPath()))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';')) continue;
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = sections[line[1..^1]] = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                continue;
            }
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(current is not null && equals > 0, $"not a directive inside a section: {line}");
            var key = line[..equals].Trim();
            if (!current!.TryGetValue(key, out var values)) current[key] = values = [];
            values.Add(line[(equals + 1)..].Trim());
        }
        return sections;
    }

    private static string UnitPath()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "GrowthBot.sln"))) folder = folder.Parent;
        return Path.Combine(folder?.FullName ?? throw new InvalidOperationException("GrowthBot.sln not found above the test folder"), "deploy", "systemd", "growthbot.service");
    }
}
