namespace GrowthBot.Core.Alerts;

/// <summary>
/// The one place alerts are changed: commands, buttons and the background check each read, change
/// and save an alert under one lock, so an Acknowledge pressed while a check posts is never lost.
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
    public Alert? Update(string id, Func<AlertState, AlertState> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            if (store.Find(id) is not { } alert) return null;
            var updated = alert with { State = change(alert.State) };
            store.Save(updated);
            return updated;
        }
    }
}
