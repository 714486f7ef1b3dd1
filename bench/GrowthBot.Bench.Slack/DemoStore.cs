using System.Diagnostics;
using System.Globalization;

namespace GrowthBot.Bench.Slack;

/// <summary>Writes a template store with <c>growthbot demo --db PATH --customers N</c>; each run starts from a copy.</summary>
internal static class DemoStore
{
    public static async Task WriteAsync(string hostDll, string path, int customers)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { hostDll, "demo", "--db", path, "--customers", customers.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start growthbot demo.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("growthbot demo did not finish within 10 minutes.");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"growthbot demo failed ({process.ExitCode}): {await error}");
        Console.WriteLine($"  {(await output).Trim()}");
        // The demo verb's lock file is not part of the store.
        var lockFile = path + ".lock";
        if (File.Exists(lockFile)) File.Delete(lockFile);
    }

    /// <summary>
    /// Copies the template to a run's store and flushes the copy to disk before the host starts:
    /// otherwise the kernel writes the copy back (2 GB at 1M customers) while the host loads and
    /// serves it, and the run measured the copy too (a host restarting finds its file written long ago).
    /// </summary>
    public static void CopyForRun(string template, string path)
    {
        File.Copy(template, path, overwrite: true);
        using var copied = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        copied.Flush(flushToDisk: true);
    }
}
