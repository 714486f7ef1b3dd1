using System.Text.Json;

namespace GrowthBot.Teams.Inbound;

/// <summary>A channel account (<c>from</c>, <c>recipient</c>, a member added or removed, a mentioned user).</summary>
internal sealed record TeamsAccount(string Id, string? Name, string? AadObjectId)
{
    /// <summary>The id GrowthBot knows a person by: their Entra object id when Teams gives it (stable across chats), else the channel id.</summary>
    public string UserId => string.IsNullOrEmpty(AadObjectId) ? Id : AadObjectId;

    public static TeamsAccount? From(JsonElement element)
    {
        var id = TeamsJson.Text(element, "id");
        return id is null ? null : new TeamsAccount(id, TeamsJson.Text(element, "name"), TeamsJson.Text(element, "aadObjectId"));
    }
}

/// <summary>A <c>mention</c> entity: who was mentioned and the exact markup standing for them in the text (<c>&lt;at&gt;Ana&lt;/at&gt;</c>).</summary>
internal sealed record TeamsMention(TeamsAccount Mentioned, string Markup);

/// <summary>
/// The parts of a Bot Framework activity from Teams that GrowthBot reads, taken from the raw JSON
/// (the wire shape stays in this adapter). Missing or mistyped fields read as null.
/// </summary>
internal sealed record TeamsActivity(
    string? Type,
    string? Id,
    string? Name,
    string? ServiceUrl,
    string? ChannelId,
    TeamsAccount? From,
    TeamsAccount? Recipient,
    string? ConversationId,
    string? ConversationType,
    bool IsGroup,
    string? ConversationName,
    string? TenantId,
    string? TeamId,
    string? TeamName,
    string? ChannelDataChannelId,
    string? ChannelName,
    string? EventType,
    string? ReplyToId,
    string? Text,
    string? Action,
    JsonElement Value,
    IReadOnlyList<TeamsAccount> MembersAdded,
    IReadOnlyList<TeamsAccount> MembersRemoved,
    IReadOnlyList<TeamsMention> Mentions,
    string? Locale = null)
{
    public static TeamsActivity Parse(JsonElement root)
    {
        var conversation = TeamsJson.Object(root, "conversation");
        var channelData = TeamsJson.Object(root, "channelData");
        var team = TeamsJson.Object(channelData, "team");
        var channel = TeamsJson.Object(channelData, "channel");
        return new TeamsActivity(
            TeamsJson.Text(root, "type"),
            TeamsJson.Text(root, "id"),
            TeamsJson.Text(root, "name"),
            TeamsJson.Text(root, "serviceUrl"),
            TeamsJson.Text(root, "channelId"),
            TeamsAccount.From(TeamsJson.Object(root, "from")),
            TeamsAccount.From(TeamsJson.Object(root, "recipient")),
            TeamsJson.Text(conversation, "id"),
            TeamsJson.Text(conversation, "conversationType"),
            conversation.ValueKind == JsonValueKind.Object && conversation.TryGetProperty("isGroup", out var isGroup) && isGroup.ValueKind == JsonValueKind.True,
            TeamsJson.Text(conversation, "name"),
            TeamsJson.Text(conversation, "tenantId") ?? TeamsJson.Text(TeamsJson.Object(channelData, "tenant"), "id"),
            TeamsJson.Text(team, "id") ?? TeamsJson.Text(channelData, "teamsTeamId"),
            TeamsJson.Text(team, "name"),
            TeamsJson.Text(channel, "id") ?? TeamsJson.Text(channelData, "teamsChannelId"),
            TeamsJson.Text(channel, "name"),
            TeamsJson.Text(channelData, "eventType"),
            TeamsJson.Text(root, "replyToId"),
            TeamsJson.Text(root, "text"),
            TeamsJson.Text(root, "action"),
            root.TryGetProperty("value", out var value) ? value : default,
            Accounts(root, "membersAdded"),
            Accounts(root, "membersRemoved"),
            MentionsOf(root),
            // The activity's own locale ("de-DE"), else the one in Teams' clientInfo entity; both are what the user's client is set to.
            TeamsJson.Text(root, "locale") ?? ClientInfoLocale(root));
    }

    private static string? ClientInfoLocale(JsonElement root) =>
        root.TryGetProperty("entities", out var entities) && entities.ValueKind == JsonValueKind.Array
            ? entities.EnumerateArray()
                .Where(entity => string.Equals(TeamsJson.Text(entity, "type"), "clientInfo", StringComparison.OrdinalIgnoreCase))
                .Select(entity => TeamsJson.Text(entity, "locale"))
                .FirstOrDefault(locale => locale is not null)
            : null;

    private static List<TeamsAccount> Accounts(JsonElement root, string name) =>
        root.TryGetProperty(name, out var members) && members.ValueKind == JsonValueKind.Array
            ? members.EnumerateArray().Select(TeamsAccount.From).OfType<TeamsAccount>().ToList()
            : [];

    private static List<TeamsMention> MentionsOf(JsonElement root)
    {
        if (!root.TryGetProperty("entities", out var entities) || entities.ValueKind != JsonValueKind.Array) return [];
        var mentions = new List<TeamsMention>();
        foreach (var entity in entities.EnumerateArray())
        {
            if (!string.Equals(TeamsJson.Text(entity, "type"), "mention", StringComparison.OrdinalIgnoreCase)) continue;
            if (TeamsAccount.From(TeamsJson.Object(entity, "mentioned")) is { } mentioned && TeamsJson.Text(entity, "text") is { Length: > 0 } markup)
            {
                mentions.Add(new TeamsMention(mentioned, markup));
            }
        }
        return mentions;
    }
}

/// <summary>Lenient readers over the raw activity JSON.</summary>
internal static class TeamsJson
{
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static JsonElement Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : default;

    /// <summary>A value as the text a person typed: strings as they are, numbers and booleans in JSON form.</summary>
    public static string? AsText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => null,
    };
}
