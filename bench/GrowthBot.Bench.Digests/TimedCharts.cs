using System.Diagnostics;
using GrowthBot.Core.Digests;

namespace GrowthBot.Bench.Digests;

/// <summary>Times each chart the composer draws, so compose time can be told apart from chart time.</summary>
internal sealed class TimedCharts(ITrendChartRenderer inner) : ITrendChartRenderer
{
    private readonly List<double> _milliseconds = [];
    private long _bytes;

    public IReadOnlyList<double> Milliseconds
    {
        get
        {
            lock (_milliseconds) return [.. _milliseconds];
        }
    }

    public long Bytes => Interlocked.Read(ref _bytes);

    public byte[] RenderPng(TrendChart chart)
    {
        var started = Stopwatch.GetTimestamp();
        var png = inner.RenderPng(chart);
        lock (_milliseconds) _milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Interlocked.Add(ref _bytes, png.Length);
        return png;
    }

    public void Clear()
    {
        lock (_milliseconds) _milliseconds.Clear();
        Interlocked.Exchange(ref _bytes, 0);
    }
}
