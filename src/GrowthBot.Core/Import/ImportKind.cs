namespace GrowthBot.Core.Import;

/// <summary>The CSV files a company can import, each with its required columns.</summary>
public enum ImportKind
{
    Customers,
    Subscriptions,
    Orders,
    Spend,
    Tickets,
    Responses,
}

/// <summary>Names and columns of each import kind.</summary>
public static class ImportKinds
{
    public static IReadOnlyList<string> ColumnsOf(ImportKind kind) => kind switch
    {
        ImportKind.Customers => ["customer_id", "name", "segment", "acquisition_channel", "signed_up_at", "activated_at"],
        ImportKind.Subscriptions => ["customer_id", "date", "mrr"],
        ImportKind.Orders => ["order_id", "customer_id", "ordered_at", "amount"],
        ImportKind.Spend => ["date", "channel", "category", "amount"],
        ImportKind.Tickets => ["ticket_id", "customer_id", "opened_at", "resolved_at", "contacts"],
        ImportKind.Responses => ["response_id", "survey", "customer_id", "score", "comment", "responded_at"],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown import kind."),
    };

    public static string NameOf(ImportKind kind) => kind.ToString().ToLowerInvariant();

    public static IEnumerable<string> Names => Enum.GetValues<ImportKind>().Select(NameOf);

    public static bool TryParse(string name, out ImportKind kind) =>
        Enum.TryParse(name, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(name, out _);
}
