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

    /// <summary>
    /// Installs the npm packages once for every test process: the Slack, Teams and Host test
    /// projects run at the same time, and two <c>npm ci</c> in one folder break each other
    /// (ENOTEMPTY). A lock file taken exclusively serialises the processes; a marker holding the
    /// lock file's hash, written after a successful install, lets the others (and later runs,
    /// including <c>.ci/run</c>'s own install) skip it, and makes a changed package-lock.json
    /// install again.
    /// </summary>
    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            var wanted = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(E2eFolder, "package-lock.json"))));
            var marker = Path.Combine(E2eFolder, "node_modules", ".growthbot-installed");
            if (Installed(marker, wanted)) return;
            using var processLock = AcquireProcessLock(Path.Combine(E2eFolder, ".npm-install.lock"), TimeSpan.FromMinutes(6));
            if (Installed(marker, wanted)) return;
            var (code, output) = Run("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
            if (code != 0) throw new InvalidOperationException($"npm ci in {E2eFolder} failed ({code}):\n{output}");
            File.WriteAllText(marker, wanted);
        }
    }

    private static bool Installed(string marker, string wanted) => File.Exists(marker) && File.ReadAllText(marker).Trim() == wanted;

    private static FileStream AcquireProcessLock(string path, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < limit)
            {
                Thread.Sleep(250);
            }
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
