using System.Globalization;

namespace GrowthBot.Slack.Simulator;

/// <summary>
/// Message timestamps as Slack makes them (<c>1732615200.000100</c>: Unix seconds, a dot, six
/// digits) from the injected clock, unique and increasing within the workspace, as ts must be.
/// </summary>
internal sealed class SimTimestamps(TimeProvider time)
{
    private readonly Lock _lock = new();
    private long _lastSeconds;
    private int _counter;

    public string Next()
    {
        lock (_lock)
        {
            var seconds = time.GetUtcNow().ToUnixTimeSeconds();
            if (seconds > _lastSeconds)
            {
                _lastSeconds = seconds;
                _counter = 0;
            }
            _counter++;
            return string.Create(CultureInfo.InvariantCulture, $"{_lastSeconds}.{_counter * 100:D6}");
        }
    }

    /// <summary>Unix seconds now (event_time).</summary>
    public long Seconds() => time.GetUtcNow().ToUnixTimeSeconds();
}
