using System.Globalization;

namespace GrowthBot.Bench.Webhooks;

/// <summary>
/// The CPU time the hypervisor gave to other guests (the <c>steal</c> column of <c>/proc/stat</c>),
/// read around the measured run. On a 2-core VM, 6-8 s of it in one run turned a 43 ms ack p99
/// into 170-580 ms (bench/README.md, session 13): a run with much of it says nothing about the host.
/// </summary>
internal static class StolenCpu
{
    /// <summary>Above this much stolen time a run's figures are reported but not judged.</summary>
    public static readonly TimeSpan Tolerated = TimeSpan.FromSeconds(1);

    // USER_HZ, which /proc/stat counts in: 100 on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>The machine's stolen time so far, or null where there is no /proc/stat.</summary>
    public static TimeSpan? Total()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").FirstOrDefault(candidate => candidate.StartsWith("cpu ", StringComparison.Ordinal));
            var fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // cpu user nice system idle iowait irq softirq steal …
            if (fields is null || fields.Length < 9 || !long.TryParse(fields[8], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks)) return null;
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
