using System.Diagnostics;

namespace GrowthBot.Bench;

/// <summary>Median and p95 of repeated runs, in milliseconds.</summary>
internal sealed record Timing(double MedianMs, double P95Ms, double MinMs, double? Value)
{
    /// <summary>Runs <paramref name="run"/> warm-up times untimed, then <paramref name="runs"/> times timed; the value is the last run's.</summary>
    public static Timing Measure(Func<double?> run, int warmups, int runs)
    {
        double? value = null;
        for (var i = 0; i < warmups; i++) value = run();
        var samples = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            value = run();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(samples);
        var median = runs % 2 == 1 ? samples[runs / 2] : (samples[(runs / 2) - 1] + samples[runs / 2]) / 2;
        // Nearest rank: with 15 runs the p95 is the slowest run.
        var p95 = samples[Math.Clamp((int)Math.Ceiling(0.95 * runs) - 1, 0, runs - 1)];
        return new Timing(median, p95, samples[0], value);
    }
}
