using System.Globalization;

namespace GrowthBot.Bench.Surveys;

/// <summary>Percentiles (nearest rank) of a set of millisecond timings.</summary>
internal sealed class Distribution
{
    private readonly double[] _sorted;

    public Distribution(IEnumerable<double> values)
    {
        _sorted = [.. values];
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    public double Percentile(double p)
    {
        if (_sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p / 100 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    /// <summary>"p50 / p90 / p99 / max" in ms.</summary>
    public string Summary() =>
        Count == 0 ? "n/a" : $"{Ms(Percentile(50))} / {Ms(Percentile(90))} / {Ms(Percentile(99))} / {Ms(Max)} ms";

    public static string Ms(double value) =>
        double.IsNaN(value) ? "n/a" : value.ToString(value < 10 ? "0.00" : value < 100 ? "0.0" : "0", CultureInfo.InvariantCulture);
}
