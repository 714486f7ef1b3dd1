using GrowthBot.Core.Data;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Ports;

/// <summary>Receives every stored row, in no particular order, when the store is read at start.</summary>
public interface IGrowthDataSink
{
    void Add(Customer customer);
    void Add(SubscriptionChange change);
    void Add(Order order);
    void Add(SpendEntry spend);
    void Add(Ticket ticket);
    void Add(SurveyResponse response);
}

/// <summary>How a batch changed the store: rows new to it, rows that replaced a different version, rows already there as given.</summary>
public sealed record StoreWriteResult(int Inserted, int Updated, int Unchanged)
{
    public static StoreWriteResult operator +(StoreWriteResult left, StoreWriteResult right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(left.Inserted + right.Inserted, left.Updated + right.Updated, left.Unchanged + right.Unchanged);
    }

    public static StoreWriteResult Add(StoreWriteResult left, StoreWriteResult right) => left + right;

    public static StoreWriteResult None { get; } = new(0, 0, 0);
}

/// <summary>
/// What a write changed, row by row: the rows that were new or different (<see cref="Changed"/>)
/// and, for the different ones, the versions they replaced (<see cref="Replaced"/>). The metric
/// engine applies exactly this, so it needs no index of ids of its own.
/// </summary>
public sealed class StoreChanges
{
    public GrowthDataBatch Changed { get; } = new();
    public GrowthDataBatch Replaced { get; } = new();
}

/// <summary>
/// The durable record of everything GrowthBot knows. Keys: ids for customers, orders, tickets
/// and responses; (customer, date) for subscriptions; (date, channel, category) for spend.
/// Writing a row whose key exists replaces it, so re-importing the same rows changes nothing.
/// </summary>
public interface IGrowthStore
{
    /// <summary>
    /// Writes every row of the batch in one transaction: all of it lands, or none. If
    /// <paramref name="changes"/> is given, it receives the rows that changed and the versions
    /// they replaced (filled only once the transaction has committed).
    /// </summary>
    StoreWriteResult Write(GrowthDataBatch batch, IProgress<int>? rowsWritten = null, StoreChanges? changes = null);

    /// <summary>Streams every stored row into the sink (used once at start to build the metric engine).</summary>
    void ReadAll(IGrowthDataSink sink);

    /// <summary>True when the store holds no customers, subscriptions or responses yet.</summary>
    bool IsEmpty { get; }

    /// <summary>
    /// The ids of every stored customer, exactly as stored (an import refuses rows for customers that do
    /// not exist). The default reads everything; a store should answer from its customers alone.
    /// </summary>
    IReadOnlySet<string> CustomerIds()
    {
        var sink = new CustomerIdSink();
        ReadAll(sink);
        return sink.Ids;
    }

    /// <summary>
    /// A number that grows with every write that changes a row (in the same transaction), so
    /// anything derived from the store can tell whether it is still current.
    /// </summary>
    long Generation { get; }
}

/// <summary>Collects customer ids and ignores every other row.</summary>
internal sealed class CustomerIdSink : IGrowthDataSink
{
    public HashSet<string> Ids { get; } = new(StringComparer.Ordinal);

    public void Add(Customer customer) => Ids.Add(customer.Id);

    public void Add(SubscriptionChange change) { }

    public void Add(Order order) { }

    public void Add(SpendEntry spend) { }

    public void Add(Ticket ticket) { }

    public void Add(SurveyResponse response) { }
}
