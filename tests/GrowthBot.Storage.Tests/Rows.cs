using GrowthBot.Core.Data;
using GrowthBot.Formulas;

namespace GrowthBot.Storage.Tests;

/// <summary>Fixed dates and a sample batch holding every kind of row, with every optional field both set and unset.</summary>
internal static class Rows
{
    /// <summary>The given moment of 2025, UTC.</summary>
    public static DateTime At(int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(2025, month, day, hour, minute, second, DateTimeKind.Utc);

    public static GrowthDataBatch Batch(
        IEnumerable<Customer>? customers = null,
        IEnumerable<SubscriptionChange>? subscriptions = null,
        IEnumerable<Order>? orders = null,
        IEnumerable<SpendEntry>? spend = null,
        IEnumerable<Ticket>? tickets = null,
        IEnumerable<SurveyResponse>? responses = null)
    {
        var batch = new GrowthDataBatch();
        batch.Customers.AddRange(customers ?? []);
        batch.Subscriptions.AddRange(subscriptions ?? []);
        batch.Orders.AddRange(orders ?? []);
        batch.Spend.AddRange(spend ?? []);
        batch.Tickets.AddRange(tickets ?? []);
        batch.Responses.AddRange(responses ?? []);
        return batch;
    }

    public static Customer[] Customers =>
    [
        new("c1", "Acme Ltd", "enterprise", "paid-search", At(1, 5, 9, 30, 15), At(1, 7, 14, 0, 0)),
        new("c2", "Björk & Søn", "smb", "referral", At(2, 1), null),
        new("c3", "", "smb", "organic", At(3, 10, 23, 59, 59), At(3, 10, 23, 59, 59)),
    ];

    public static SubscriptionChange[] Subscriptions =>
    [
        new("c1", At(1, 7), 499m),
        new("c1", At(2, 7), 749.5m),
        new("c1", At(3, 7, 12, 0, 0), 0m),
        new("c2", At(2, 1), 49.9999m),
        new("c3", At(3, 11), 120m),
    ];

    public static Order[] Orders =>
    [
        new("o1", "c1", At(1, 8, 10, 15, 0), 1200.25m),
        new("o2", "c2", At(2, 3), 0.0001m),
        new("o3", "c2", At(2, 28, 18, 0, 0), 999_999_999_999.9999m),
    ];

    public static SpendEntry[] Spend =>
    [
        new(At(1, 1), "paid-search", SpendCategory.Marketing, 10_000m),
        new(At(1, 1), "paid-search", SpendCategory.Sales, 2_500.5m),
        new(At(1, 1), "referral", SpendCategory.Marketing, 300m),
        new(At(2, 1), "paid-search", SpendCategory.Marketing, 11_000m),
        new(At(2, 1), "events", SpendCategory.Onboarding, 0m),
    ];

    public static Ticket[] Tickets =>
    [
        new("t1", "c1", At(1, 10, 8, 0, 0), At(1, 10, 9, 45, 30), 1),
        new("t2", "c1", At(1, 12), At(1, 20), 4),
        new("t3", "c2", At(2, 14, 16, 20, 0), null, 0),
        new("t4", "c3", At(3, 12), null, 2),
    ];

    public static SurveyResponse[] Responses =>
    [
        new("r1", SurveyKind.Nps, "c1", 10, "Great, fast support\nand a \"real\" person", At(1, 15, 11, 0, 0)),
        new("r2", SurveyKind.Nps, "c2", 0, null, At(2, 15)),
        new("r3", SurveyKind.Ces, "c1", 7, "Easy", At(2, 16)),
        new("r4", SurveyKind.Csat, "c3", 1, null, At(3, 20, 17, 5, 1)),
    ];

    /// <summary>One of everything.</summary>
    public static GrowthDataBatch Everything() => Batch(Customers, Subscriptions, Orders, Spend, Tickets, Responses);
}
