using GrowthBot.Core.Ports;

namespace GrowthBot.Core.Metrics;

public sealed partial class MetricEngine
{
    /// <summary>
    /// Replaces everything the engine holds with what <paramref name="store"/> holds now: the rows are read into
    /// a fresh index while this one goes on answering, then adopted whole under the write lock (as a snapshot
    /// is). For a host that missed writes it can no longer apply one by one (another host's, pruned from the
    /// shared change log while this host was cut off).
    /// </summary>
    public void Reload(IGrowthStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var fresh = new MetricEngine(_options, _zone, _time);
        fresh.Load(store);
        lock (_writeGate)
        {
            _lock.EnterWriteLock();
            try
            {
                (_directory, _subscriptions, _responses, _orders, _tickets, _spend, _signups) =
                    (fresh._directory, fresh._subscriptions, fresh._responses, fresh._orders, fresh._tickets, fresh._spend, fresh._signups);
                _touched.Clear();
                _rowsSinceBuild.Clear();
                _pending = null;
                _rebuildRevenue = true;
                _ordersStale = true;
                SealTimelines();
                _revenue = NextRevenue() ?? _revenue;
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }
    }
}
