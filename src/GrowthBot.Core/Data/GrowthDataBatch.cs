using GrowthBot.Formulas;

namespace GrowthBot.Core.Data;

/// <summary>
/// Rows that arrive together (one imported file, one demo history, one survey answer). The
/// store writes a batch atomically and the metric engine applies it as one step.
/// </summary>
public sealed class GrowthDataBatch
{
    public List<Customer> Customers { get; } = [];
    public List<SubscriptionChange> Subscriptions { get; } = [];
    public List<Order> Orders { get; } = [];
    public List<SpendEntry> Spend { get; } = [];
    public List<Ticket> Tickets { get; } = [];
    public List<SurveyResponse> Responses { get; } = [];

    public int Count => Customers.Count + Subscriptions.Count + Orders.Count + Spend.Count + Tickets.Count + Responses.Count;
}
