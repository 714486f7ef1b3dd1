using GrowthBot.Core.Ports;

namespace GrowthBot.Host.Hosting;

/// <summary>
/// While the store's writes fail (a full disk), tries one small write every <see cref="Interval"/>, so the
/// store is writable again (and <c>/healthz</c> says "ok") as soon as space is freed, even when nothing
/// else writes. Logs once when writes start failing and once when they work again.
/// </summary>
internal sealed partial class StoreHealthProbe(IStoreHealth store, TimeProvider time, ILogger<StoreHealthProbe> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) Check();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One look: probes a failing store, and logs a change of state.</summary>
    internal void Check()
    {
        var current = store.Current;
        if (!current.Writable)
        {
            if (!_failing) LogFailing(current.Problem ?? "unknown", current.FailingSince);
            _failing = true;
            if (!store.Probe()) return;
            current = store.Current;
        }
        if (_failing && current.Writable) LogRecovered();
        _failing = !current.Writable;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The store cannot write ({Problem}, since {Since}); presses and imports are refused until it can, /healthz says degraded. Free space on the store's disk: it recovers by itself")]
    private partial void LogFailing(string problem, DateTimeOffset? since);

    [LoggerMessage(Level = LogLevel.Information, Message = "The store writes again; /healthz says ok")]
    private partial void LogRecovered();
}
