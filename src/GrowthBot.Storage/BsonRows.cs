using GrowthBot.Core.Data;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// Maps Core's records to and from LiteDB documents by hand: records are positional (which
/// LiteDB's mapper cannot rebuild), and hand mapping is several times faster at start-up.
/// Field names are short because a million documents repeat them.
/// </summary>
internal static class BsonRows
{
    public static BsonDocument From(Customer customer) => new()
    {
        ["_id"] = customer.Id,
        ["name"] = customer.Name,
        ["segment"] = customer.Segment,
        ["channel"] = customer.AcquisitionChannel,
        ["signed_up_at"] = customer.SignedUpAt,
        ["activated_at"] = customer.ActivatedAt is { } at ? new BsonValue(at) : BsonValue.Null,
    };

    public static Customer ToCustomer(BsonDocument document) => new(
        document["_id"].AsString,
        document["name"].AsString,
        document["segment"].AsString,
        document["channel"].AsString,
        Utc(document["signed_up_at"]),
        document["activated_at"].IsNull ? null : Utc(document["activated_at"]));

    public static BsonDocument From(Order order) => new()
    {
        ["_id"] = order.Id,
        ["customer"] = order.CustomerId,
        ["at"] = order.OrderedAt,
        ["amount"] = order.Amount,
    };

    public static Order ToOrder(BsonDocument document) => new(
        document["_id"].AsString, document["customer"].AsString, Utc(document["at"]), document["amount"].AsDecimal);

    /// <summary>Entries with the company's spend id are keyed by it ("id:" keeps them apart from date keys); others by date, channel and category.</summary>
    public static string KeyOf(SpendEntry spend) => spend.Id is { } id
        ? SpendIdPrefix + id
        : $"{spend.Date:yyyy-MM-ddTHH:mm:ssZ}|{spend.Channel}|{spend.Category}".ToLowerInvariant();

    private const string SpendIdPrefix = "id:";

    /// <summary>The spend id a key holds (or the key itself for date keys), to name it in an error.</summary>
    public static string SpendIdOf(BsonDocument document)
    {
        var key = document["_id"].AsString;
        return key.StartsWith(SpendIdPrefix, StringComparison.Ordinal) ? key[SpendIdPrefix.Length..] : key;
    }

    public static BsonDocument From(SpendEntry spend)
    {
        var document = new BsonDocument
        {
            ["_id"] = KeyOf(spend),
            ["date"] = spend.Date,
            ["channel"] = spend.Channel,
            ["category"] = spend.Category.ToString(),
            ["amount"] = spend.Amount,
        };
        if (spend.Id is { } id) document["sid"] = id;
        return document;
    }

    public static SpendEntry ToSpend(BsonDocument document) => new(
        Utc(document["date"]),
        document["channel"].AsString,
        Enum.Parse<SpendCategory>(document["category"].AsString),
        document["amount"].AsDecimal,
        document.TryGetValue("sid", out var id) ? id.AsString : null);

    public static BsonDocument From(Ticket ticket) => new()
    {
        ["_id"] = ticket.Id,
        ["customer"] = ticket.CustomerId,
        ["opened_at"] = ticket.OpenedAt,
        ["resolved_at"] = ticket.ResolvedAt is { } at ? new BsonValue(at) : BsonValue.Null,
        ["contacts"] = ticket.Contacts,
    };

    public static Ticket ToTicket(BsonDocument document) => new(
        document["_id"].AsString,
        document["customer"].AsString,
        Utc(document["opened_at"]),
        document["resolved_at"].IsNull ? null : Utc(document["resolved_at"]),
        document["contacts"].AsInt32);

    public static BsonDocument From(SurveyResponse response) => new()
    {
        ["_id"] = response.Id,
        ["survey"] = response.Survey.ToString().ToLowerInvariant(),
        ["customer"] = response.CustomerId,
        ["score"] = response.Score,
        ["comment"] = response.Comment is null ? BsonValue.Null : new BsonValue(response.Comment),
        ["at"] = response.RespondedAt,
    };

    public static SurveyResponse ToResponse(BsonDocument document) => new(
        document["_id"].AsString,
        SurveyKindOf(document["survey"].AsString),
        document["customer"].AsString,
        document["score"].AsInt32,
        document["comment"].IsNull ? null : document["comment"].AsString,
        Utc(document["at"]));

    /// <summary>The survey kind as stored (lower case); the usual three without the general parser, which a cold start would call a million times.</summary>
    public static SurveyKind SurveyKindOf(string stored) => stored switch
    {
        "nps" => SurveyKind.Nps,
        "ces" => SurveyKind.Ces,
        "csat" => SurveyKind.Csat,
        _ => Enum.Parse<SurveyKind>(stored, ignoreCase: true),
    };

    /// <summary>LiteDB keeps milliseconds; with UtcDate on it returns UTC, and this makes the kind explicit.</summary>
    private static DateTime Utc(BsonValue value) => DateTime.SpecifyKind(value.AsDateTime, DateTimeKind.Utc);
}
