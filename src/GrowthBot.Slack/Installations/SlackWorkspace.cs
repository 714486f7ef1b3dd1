using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace GrowthBot.Slack.Installations;

/// <summary>
/// Which installation a delivery belongs to, read from the payload as Slack's own SDKs do:
/// <c>enterprise_id</c>, <c>team_id</c> and <c>is_enterprise_install</c> (Events API: top level and
/// <c>authorizations[0]</c>; slash commands: form fields; interactivity: <c>team.id</c>,
/// <c>enterprise.id</c>, <c>is_enterprise_install</c>). An org-wide install is keyed by its enterprise
/// (<c>E:E0123</c>), every other by its workspace (<c>T:T0123</c>); that key is what Core carries as
/// the opaque workspace of a message, an address and a digest subscription.
/// </summary>
internal static class SlackWorkspace
{
    public static string Key(string? enterpriseId, string? teamId, bool isEnterpriseInstall) =>
        isEnterpriseInstall && !string.IsNullOrEmpty(enterpriseId) ? $"E:{enterpriseId}"
        : !string.IsNullOrEmpty(teamId) ? $"T:{teamId}"
        : !string.IsNullOrEmpty(enterpriseId) ? $"E:{enterpriseId}"
        : string.Empty;

    /// <summary>
    /// A workspace as Core carries it (<c>T:T0123</c>, <c>E:E0123</c>) or as a person writes it in a
    /// recipients file (the team id <c>T0123</c> or the Enterprise Grid org id <c>E0123</c>), as a key; null when blank.
    /// </summary>
    public static string? Normalize(string? workspace)
    {
        var text = workspace?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        if (text.StartsWith("T:", StringComparison.Ordinal) || text.StartsWith("E:", StringComparison.Ordinal)) return text;
        return text[0] is 'E' ? $"E:{text}" : $"T:{text}";
    }

    /// <summary>An Events API payload's installation, or null when it names none.</summary>
    public static string? OfEvent(JsonElement payload)
    {
        var enterprise = Text(payload, "enterprise_id");
        var team = Text(payload, "team_id");
        var enterpriseInstall = Flag(payload, "is_enterprise_install");
        if (payload.TryGetProperty("authorizations", out var authorizations) && authorizations.ValueKind == JsonValueKind.Array && authorizations.GetArrayLength() > 0)
        {
            var first = authorizations[0];
            enterpriseInstall |= Flag(first, "is_enterprise_install");
            enterprise ??= Text(first, "enterprise_id");
            // For an org-wide install the authorization's team_id is null and the top-level one is the workspace the event happened in.
            if (!enterpriseInstall) team = Text(first, "team_id") ?? team;
        }
        return NullIfEmpty(Key(enterprise, team, enterpriseInstall));
    }

    /// <summary>The bot user of the installation that received the event (<c>authorizations[0].user_id</c>), if Slack says.</summary>
    public static string? BotUserOfEvent(JsonElement payload) =>
        payload.TryGetProperty("authorizations", out var authorizations) && authorizations.ValueKind == JsonValueKind.Array && authorizations.GetArrayLength() > 0
            && authorizations[0].ValueKind == JsonValueKind.Object && Flag(authorizations[0], "is_bot")
            ? Text(authorizations[0], "user_id")
            : null;

    /// <summary>A slash command's installation.</summary>
    public static string? OfCommand(Dictionary<string, StringValues> form)
    {
        string? Field(string name) => form.TryGetValue(name, out var value) && !StringValues.IsNullOrEmpty(value) ? value.ToString() : null;
        return NullIfEmpty(Key(Field("enterprise_id"), Field("team_id"), Field("is_enterprise_install") == "true"));
    }

    /// <summary>An interactive payload's installation.</summary>
    public static string? OfInteraction(JsonElement payload)
    {
        var team = payload.TryGetProperty("team", out var t) ? Text(t, "id") : null;
        var enterprise = payload.TryGetProperty("enterprise", out var e) ? Text(e, "id") : null;
        return NullIfEmpty(Key(enterprise, team, Flag(payload, "is_enterprise_install")));
    }

    private static string? NullIfEmpty(string key) => key.Length == 0 ? null : key;

    private static bool Flag(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
