using System.Globalization;
using System.Text.Json;
using GrowthBot.Core.Support;

namespace GrowthBot.Connectors.Zendesk.Inbound;

/// <summary>What a Zendesk webhook body becomes: a support event for Core, an event type we do not use, or a refusal (the body is not a Zendesk ticket event).</summary>
internal sealed record ZendeskMapping(SupportEvent? Event, string Type, string? Ignored, string? Refused);

/// <summary>
/// Translates Zendesk event-subscription payloads for tickets (<c>{ id, type, time, account_id,
/// zendesk_event_version, subject, detail: { ticket fields }, event: { … } }</c>) into Core's
/// <see cref="SupportEvent"/>: <c>ticket.status_changed</c> to SOLVED (or CLOSED) resolves the
/// ticket and any other status unresolves it (a reopen), <c>ticket.comment_added</c> with a public
/// comment by staff is an agent reply (counted for first-contact resolution), and the ticket's
/// other updates refresh its row. The event <c>id</c> is the delivery id; <c>time</c> orders it.
/// </summary>
internal static class ZendeskEventMapper
{
    public const string Source = "zendesk";
    private const string Prefix = "zen:event-type:ticket.";

    /// <summary>Ticket events that only refresh the ticket's row (its customer, its opening time).</summary>
    public static readonly IReadOnlyList<string> UpdateTypes =
    [
        "created", "agent_assignment_changed", "group_assignment_changed", "organization_changed", "requester_changed",
        "priority_changed", "subject_changed", "tags_changed", "custom_status_changed", "type_changed", "form_changed",
    ];

    public static ZendeskMapping Map(JsonElement root, ZendeskOptions options)
    {
        if (root.ValueKind != JsonValueKind.Object) return Refuse("?", "the body is not a JSON object");
        var type = Text(root, "type");
        if (type is null) return Refuse("?", "the body has no event type");
        var id = Text(root, "id");
        if (id is null || !Time(root, "time", out var at)) return Refuse(type, "the event has no id or time");
        if (!type.StartsWith(Prefix, StringComparison.Ordinal)) return new ZendeskMapping(null, type, type, null);
        var name = type[Prefix.Length..];
        if (!root.TryGetProperty("detail", out var detail) || detail.ValueKind != JsonValueKind.Object) return Refuse(type, "the event has no ticket detail");
        var ticketId = Text(detail, "id");
        if (ticketId is null || !Time(detail, "created_at", out var openedAt)) return Refuse(type, "the ticket detail has no id or created_at");
        var customer = CustomerOf(detail, options);
        if (customer is null) return Refuse(type, "the ticket has no requester or organization");
        root.TryGetProperty("event", out var change);

        SupportEventKind? kind = name switch
        {
            "status_changed" => Status(Text(change, "current")) switch
            {
                "SOLVED" or "CLOSED" => SupportEventKind.Solved,
                "NEW" or "OPEN" or "PENDING" or "HOLD" => SupportEventKind.Unsolved,
                _ => null,
            },
            "comment_added" => SupportEventKind.Seen,
            _ when UpdateTypes.Contains(name) => SupportEventKind.Seen,
            _ => null,
        };
        if (kind is not { } known) return new ZendeskMapping(null, type, type, null);
        string? replyId = null;
        if (name == "comment_added" && change.ValueKind == JsonValueKind.Object && change.TryGetProperty("comment", out var comment) && comment.ValueKind == JsonValueKind.Object
            && Flag(comment, "is_public") && comment.TryGetProperty("author", out var author) && author.ValueKind == JsonValueKind.Object && Flag(author, "is_staff"))
        {
            replyId = Text(comment, "id");
            if (replyId is null) return Refuse(type, "the comment has no id");
            known = SupportEventKind.AgentReply;
        }
        var prefixed = options.CustomerIdPrefix + customer;
        return new ZendeskMapping(new SupportEvent(id, known, ticketId, prefixed, openedAt, at) { ReplyId = replyId }, type, null, null);
    }

    private static ZendeskMapping Refuse(string type, string reason) => new(null, type, null, reason);

    /// <summary>Zendesk writes ids as strings in these payloads ("0" or null when absent); numbers are read too.</summary>
    private static string? Text(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value)) return null;
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static bool Time(JsonElement element, string name, out DateTimeOffset at)
    {
        at = default;
        return Text(element, name) is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);
    }

    private static string? Status(string? status) => status?.ToUpperInvariant();

    private static string? CustomerOf(JsonElement detail, ZendeskOptions options)
    {
        var requester = Real(Text(detail, "requester_id"));
        return options.CustomerId == ZendeskCustomerId.Requester ? requester : Real(Text(detail, "organization_id")) ?? requester;
    }

    private static string? Real(string? id) => id is null or "0" ? null : id;
}
