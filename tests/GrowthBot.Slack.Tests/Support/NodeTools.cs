using System.Diagnostics;

namespace GrowthBot.Slack.Tests.Support;

/// <summary>
/// Runs the npm packages in tests/e2e (installed on first use with <c>npm ci</c>, so the README's
/// single test command works on a fresh clone) and returns what they printed.
/// </summary>
internal static class NodeTools
{
    private static readonly Lock Gate = new();

    public static string E2eFolder { get; } = Path.Combine(RepositoryRoot(), "tests", "e2e");

    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (File.Exists(Path.Combine(E2eFolder, "node_modules", ".bin", "tsc"))) return;
            var (code, output) = Run("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
            if (code != 0) throw new InvalidOperationException($"npm ci in {E2eFolder} failed ({code}):\n{output}");
        }
    }

    public static (int ExitCode, string Output) Run(string program, IEnumerable<string> arguments, TimeSpan limit)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = E2eFolder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {limit}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "GrowthBot.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("GrowthBot.sln not found above the test folder");
    }
}
