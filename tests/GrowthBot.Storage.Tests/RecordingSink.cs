using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;

namespace GrowthBot.Storage.Tests;

/// <summary>A hand-written <see cref="IGrowthDataSink"/> that keeps every row it is given, in arrival order.</summary>
internal sealed class RecordingSink : IGrowthDataSink
{
    public List<Customer> Customers { get; } = [];
    public List<SubscriptionChange> Subscriptions { get; } = [];
    public List<Order> Orders { get; } = [];
    public List<SpendEntry> Spend { get; } = [];
    public List<Ticket> Tickets { get; } = [];
    public List<SurveyResponse> Responses { get; } = [];

    public int Count => Customers.Count + Subscriptions.Count + Orders.Count + Spend.Count + Tickets.Count + Responses.Count;

    public void Add(Customer customer) => Customers.Add(customer);
    public void Add(SubscriptionChange change) => Subscriptions.Add(change);
    public void Add(Order order) => Orders.Add(order);
    public void Add(SpendEntry spend) => Spend.Add(spend);
    public void Add(Ticket ticket) => Tickets.Add(ticket);
    public void Add(SurveyResponse response) => Responses.Add(response);

    /// <summary>Rows in a fixed order (by their text), to compare reads: a full read hands rows over in no particular order (two threads read each collection).</summary>
    public static IEnumerable<T> Sorted<T>(IEnumerable<T> rows) where T : notnull => rows.OrderBy(row => row.ToString(), StringComparer.Ordinal);

    /// <summary>Everything the store holds.</summary>
    public static RecordingSink ReadAll(IGrowthStore store)
    {
        var sink = new RecordingSink();
        store.ReadAll(sink);
        return sink;
    }
}
