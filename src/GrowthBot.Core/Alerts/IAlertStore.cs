namespace GrowthBot.Core.Alerts;

/// <summary>
/// The durable side of metric alerts: each <see cref="Alert"/> (its rule and its state) as one
/// record, keyed by <see cref="AlertRule.Id"/> (exact, case-sensitive, six characters). Five
/// operations on purpose, so another store (PostgreSQL: one table, id primary key, the rule and
/// state as columns or one JSON column) is small to write:
/// <list type="bullet">
/// <item><see cref="All"/> is read at every check, so it must be cheap for a few thousand alerts;</item>
/// <item><see cref="Save"/> replaces the whole record (an upsert); a read-modify-write goes through
/// <see cref="TryReplace"/>, a compare-and-set on <see cref="Alert.Version"/>, so that several hosts
/// sharing one store never lose each other's changes nor post one crossing twice;</item>
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

    /// <summary>Adds or replaces an alert (by id); its stored <see cref="Alert.Version"/> goes up by one.</summary>
    void Save(Alert alert);

    /// <summary>
    /// Replaces the alert only if its stored version is still <paramref name="alert"/>'s
    /// <see cref="Alert.Version"/> (nobody saved it since it was read), atomically, and the stored
    /// version becomes one more. False if it changed meanwhile or is gone: read it again.
    /// </summary>
    bool TryReplace(Alert alert);

    /// <summary>
    /// <see cref="TryReplace"/> for several alerts at once (a check's quiet saves of values and notes):
    /// a store may write them in one transaction. Says, for each, whether it was replaced.
    /// </summary>
    IReadOnlyList<bool> TryReplaceAll(IReadOnlyList<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        return [.. alerts.Select(TryReplace)];
    }

    /// <summary>Removes an alert; false if there was none with that id.</summary>
    bool Remove(string id);
}
