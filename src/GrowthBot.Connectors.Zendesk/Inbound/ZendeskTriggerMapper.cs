using System.Globalization;
using System.Text.Json;
using GrowthBot.Core.Support;

namespace GrowthBot.Connectors.Zendesk.Inbound;

/// <summary>
/// Translates the body of a webhook connected to a Zendesk trigger or automation (a body the admin
/// defines, with placeholders; docs/connectors.md gives the template) into Core's
/// <see cref="SupportEvent"/>:
/// <code>
/// { "ticket_id": "{{ticket.id}}", "status": "{{ticket.status}}",
///   "created_at": "{{ticket.created_at_with_timestamp}}", "updated_at": "{{ticket.updated_at_with_timestamp}}",
///   "requester_id": "{{ticket.requester.id}}", "organization_id": "{{ticket.organization.id}}" }
/// </code>
/// A solved or closed status resolves the ticket at <c>updated_at</c>; new, open, pending and on-hold
/// make it unresolved (a reopen). The delivery id is the webhook id and its
/// <c>x-zendesk-webhook-invocation-id</c>: Zendesk retries an invocation with the same id.
/// </summary>
internal static class ZendeskTriggerMapper
{
    public const string DeliveryPrefix = "zendesk-invocation:";

    public static ZendeskMapping Map(JsonElement root, string webhookId, string invocationId, ZendeskOptions options)
    {
        const string type = "trigger";
        if (root.ValueKind != JsonValueKind.Object) return Refuse("the body is not a JSON object");
        var ticketId = Text(root, "ticket_id");
        if (ticketId is null || !ticketId.All(char.IsAsciiDigit)) return Refuse("ticket_id must be the ticket's number ({{ticket.id}})");
        var status = Text(root, "status");
        SupportEventKind? kind = status?.ToUpperInvariant() switch
        {
            "SOLVED" or "CLOSED" => SupportEventKind.Solved,
            "NEW" or "OPEN" or "PENDING" or "HOLD" or "ON-HOLD" or "ON HOLD" => SupportEventKind.Unsolved,
            _ => null,
        };
        if (kind is not { } known) return Refuse($"status '{status}' is not a Zendesk ticket status ({{{{ticket.status}}}}: New, Open, Pending, On-hold, Solved, Closed)");
        if (!Time(root, "created_at", out var openedAt)) return Refuse("created_at must be an ISO 8601 time ({{ticket.created_at_with_timestamp}})");
        if (!Time(root, "updated_at", out var at)) return Refuse("updated_at must be an ISO 8601 time ({{ticket.updated_at_with_timestamp}})");
        var requester = Real(Text(root, "requester_id"));
        var customer = options.CustomerId == ZendeskCustomerId.Requester ? requester : Real(Text(root, "organization_id")) ?? requester;
        if (customer is null) return Refuse("the ticket has no requester_id or organization_id");
        var deliveryId = $"{DeliveryPrefix}{webhookId}:{invocationId}";
        return new ZendeskMapping(new SupportEvent(deliveryId, known, ticketId, options.CustomerIdPrefix + customer, openedAt, at), type, null, null);

        static ZendeskMapping Refuse(string reason) => new(null, type, null, reason);
    }

    private static string? Text(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value)) return null;
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>Zendesk's <c>_with_timestamp</c> placeholders are ISO 8601 to the minute or second, in UTC (<c>2013-12-12T05:35Z</c>).</summary>
    private static bool Time(JsonElement element, string name, out DateTimeOffset at)
    {
        at = default;
        return Text(element, name) is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);
    }

    private static string? Real(string? id) => id is null or "0" ? null : id;
}
