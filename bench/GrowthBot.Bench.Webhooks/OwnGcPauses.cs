using System.Diagnostics.Tracing;

namespace GrowthBot.Bench.Webhooks;

/// <summary>
/// The bench process's own garbage-collection pauses, from the runtime's events in-process. The
/// driver measures each acknowledgement from its side, so a pause of the driver (its heap holds
/// every planned request) delays the reading of every response in flight at once, exactly like a
/// pause of the host. The report says how many of the slow requests waited through one.
/// </summary>
internal sealed class OwnGcPauses : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Lock _gate = new();
    private readonly List<(double StartUnixMs, double EndUnixMs)> _pauses = [];
    private DateTime _suspendedAt;

    public IReadOnlyList<(double StartUnixMs, double EndUnixMs)> Pauses
    {
        get
        {
            lock (_gate) return [.. _pauses];
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource) EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        // The runtime's events reach listeners on a dispatch thread, later: their own time stamp says when.
        switch (eventData.EventName)
        {
            case "GCSuspendEEBegin_V1":
                _suspendedAt = eventData.TimeStamp.ToUniversalTime();
                break;
            case "GCRestartEEEnd_V1" when _suspendedAt != default:
                lock (_gate) _pauses.Add((UnixMs(_suspendedAt), UnixMs(eventData.TimeStamp.ToUniversalTime())));
                _suspendedAt = default;
                break;
        }
    }

    private static double UnixMs(DateTime utc) => (utc - DateTime.UnixEpoch).TotalMilliseconds;
}
