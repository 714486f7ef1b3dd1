namespace GrowthBot.Core.Ports;

/// <summary>
/// Whether the store can write. A store whose writes fail (a full disk, an I/O error) says so here,
/// so health checks report "degraded" instead of "ok", and recovers by itself once writing works again.
/// </summary>
public interface IStoreHealth
{
    /// <summary>The store's current state.</summary>
    StoreHealthReport Current { get; }

    /// <summary>
    /// Tries one small durable write when writes are failing (nothing when they are not), so the
    /// store notices that writing works again even when nobody else writes. True if the store is writable.
    /// </summary>
    bool Probe();
}

/// <summary>The store's state: writable, or failing since <paramref name="FailingSince"/> because of <paramref name="Problem"/>.</summary>
public sealed record StoreHealthReport(bool Writable, string? Problem, DateTimeOffset? FailingSince)
{
    public static StoreHealthReport Ok { get; } = new(true, null, null);
}
