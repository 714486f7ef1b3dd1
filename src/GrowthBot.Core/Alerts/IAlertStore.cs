namespace GrowthBot.Core.Alerts;

/// <summary>
/// The durable side of metric alerts: each <see cref="Alert"/> (its rule and its state) as one
/// record, keyed by <see cref="AlertRule.Id"/> (exact, case-sensitive, six characters). Four
/// operations on purpose, so another store (PostgreSQL: one table, id primary key, the rule and
/// state as columns or one JSON column) is small to write:
/// <list type="bullet">
/// <item><see cref="All"/> is read at every check, so it must be cheap for a few thousand alerts;</item>
/// <item><see cref="Save"/> replaces the whole record (an upsert); callers serialise their
/// read-modify-write through <see cref="AlertBook"/>, so the store needs no locking of its own;</item>
/// <item>timestamps are UTC instants and must round-trip to the millisecond;</item>
/// <item>decimals (threshold, last value) must round-trip exactly.</item>
/// </list>
/// </summary>
public interface IAlertStore
{
    /// <summary>Every alert, oldest first.</summary>
    IReadOnlyList<Alert> All();

    /// <summary>The alert with this id, or null.</summary>
    Alert? Find(string id);

    /// <summary>Adds or replaces an alert (by id).</summary>
    void Save(Alert alert);

    /// <summary>Removes an alert; false if there was none with that id.</summary>
    bool Remove(string id);
}
