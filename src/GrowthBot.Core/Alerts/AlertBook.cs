namespace GrowthBot.Core.Alerts;

/// <summary>
/// The one place alerts are changed: commands, buttons and the background check each read, change
/// and save an alert under one lock, and save it with a compare-and-set on its version, so an
/// Acknowledge pressed while a check posts is never lost, on this host or another sharing the store.
/// </summary>
public sealed class AlertBook(IAlertStore store)
{
    private readonly Lock _gate = new();

    public IAlertStore Store => store;

    public IReadOnlyList<Alert> All() => store.All();

    public Alert? Find(string id) => store.Find(id);

    public void Add(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        lock (_gate) store.Save(alert);
    }

    public bool Remove(string id)
    {
        lock (_gate) return store.Remove(id);
    }

    /// <summary>Applies <paramref name="change"/> to the alert's latest state and saves it; null if the alert is gone.</summary>
    public Alert? Update(string id, Func<AlertState, AlertState> change) => UpdateIf(id, _ => true, change);

    /// <summary>
    /// Applies <paramref name="change"/> to the alert's latest state and saves it, only while
    /// <paramref name="holds"/> is true of that state; null if it no longer holds or the alert is gone.
    /// The save is a compare-and-set on the version read (<see cref="IAlertStore.TryReplace"/>): when
    /// another host saved the alert in between, its state is read again and judged again, so no
    /// change is lost and a condition is never judged on a state that is no longer there.
    /// </summary>
    public Alert? UpdateIf(string id, Func<AlertState, bool> holds, Func<AlertState, AlertState> change)
    {
        ArgumentNullException.ThrowIfNull(holds);
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                if (store.Find(id) is not { } alert || !holds(alert.State)) return null;
                var updated = alert with { State = change(alert.State) };
                if (store.TryReplace(updated)) return updated with { Version = alert.Version + 1 };
            }
        }
        throw new InvalidOperationException($"Alert {id} was changed by others {MaxAttempts} times in a row while it was being saved.");
    }

    /// <summary>
    /// <see cref="UpdateIf"/> for several alerts, saved together (<see cref="IAlertStore.TryReplaceAll"/>):
    /// a check's quiet saves cost one write, not one per alert. Returns how many were saved.
    /// </summary>
    public int UpdateAllIf(IReadOnlyList<(string Id, Func<AlertState, bool> Holds, Func<AlertState, AlertState> Change)> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var saved = 0;
        lock (_gate)
        {
            var pending = changes.DistinctBy(change => change.Id, StringComparer.Ordinal).ToList();
            for (var attempt = 0; attempt < MaxAttempts && pending.Count > 0; attempt++)
            {
                var tried = new List<(string Id, Func<AlertState, bool> Holds, Func<AlertState, AlertState> Change)>();
                var updated = new List<Alert>();
                foreach (var change in pending)
                {
                    if (store.Find(change.Id) is not { } alert || !change.Holds(alert.State)) continue;
                    tried.Add(change);
                    updated.Add(alert with { State = change.Change(alert.State) });
                }
                var replaced = updated.Count == 0 ? [] : store.TryReplaceAll(updated);
                pending = [];
                for (var i = 0; i < tried.Count; i++)
                {
                    // Saved by another in between: read again and judged again, as UpdateIf does.
                    if (replaced[i]) saved++;
                    else pending.Add(tried[i]);
                }
            }
        }
        return saved;
    }

    // Each lost race means another host saved in between; this many in a row means something is wrong.
    private const int MaxAttempts = 100;
}