namespace GrowthBot.Core.Data;

/// <summary>A customer as the company's CSV describes them. Dates are UTC.</summary>
public sealed record Customer(
    string Id,
    string Name,
    string Segment,
    string AcquisitionChannel,
    DateTime SignedUpAt,
    DateTime? ActivatedAt);

/// <summary>One purchase.</summary>
public sealed record Order(string Id, string CustomerId, DateTime OrderedAt, decimal Amount);

/// <summary>What acquisition spend is for; CAC adds all three.</summary>
public enum SpendCategory
{
    Marketing,
    Sales,
    Onboarding,
}

/// <summary>Spend on one day, channel and category. (date, channel, category) is the key.</summary>
/// <remarks>
/// <paramref name="Id"/> is the company's own id for the entry (the import's optional
/// <c>spend_id</c>). With one, entries are keyed by it, so two equal invoices on one day are two
/// entries; without one, the key is (date, channel, category) and a later row with that key
/// replaces the earlier amount.
/// </remarks>
public sealed record SpendEntry(DateTime Date, string Channel, SpendCategory Category, decimal Amount, string? Id = null);

/// <summary>A support ticket; <see cref="Contacts"/> counts the interactions until it was resolved.</summary>
public sealed record Ticket(string Id, string CustomerId, DateTime OpenedAt, DateTime? ResolvedAt, int Contacts);

/// <summary>The three micro-surveys and their scales.</summary>
public enum SurveyKind
{
    Nps,
    Ces,
    Csat,
}

/// <summary>One answer to a survey. The comment is optional.</summary>
public sealed record SurveyResponse(
    string Id,
    SurveyKind Survey,
    string CustomerId,
    int Score,
    string? Comment,
    DateTime RespondedAt);
