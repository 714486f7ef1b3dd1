using System.Text.Json;
using GrowthBot.Core.Conversations;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace GrowthBot.Slack.Inbound;

/// <summary>Slash commands and interactive payloads, both form-encoded, translated at the edge.</summary>
internal static class SlackFormMapper
{
    public static Dictionary<string, StringValues> Parse(byte[] body) =>
        QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body));

    /// <summary>Slack's certificate check: exactly <c>ssl_check=1</c> (plus its token), nothing else.</summary>
    public static bool IsSslCheck(Dictionary<string, StringValues> form) =>
        form.TryGetValue("ssl_check", out var check) && check == "1" && form.Keys.All(key => key is "ssl_check" or "token");

    /// <summary>A slash command as a message; the delivery id is the command's trigger_id, unique per invocation.</summary>
    public static IncomingMessage? Command(Dictionary<string, StringValues> form, DateTimeOffset receivedAt)
    {
        string? Field(string name) => form.TryGetValue(name, out var value) && !StringValues.IsNullOrEmpty(value) ? value.ToString() : null;
        var team = Field("team_id");
        var user = Field("user_id");
        var channel = Field("channel_id");
        var trigger = Field("trigger_id");
        if (team is null || user is null || channel is null || trigger is null) return null;
        return new IncomingMessage(
            ChatPlatform.Slack,
            $"{team}:command:{trigger}",
            channel,
            null,
            new Requester(ChatPlatform.Slack, user, team, IsGuest: false, Field("user_name"), Installations.SlackWorkspace.OfCommand(form)),
            // Slack escapes &, < and > in a command's text as it does in messages ("Q&A" arrives as "Q&amp;A").
            SlackEventMapper.Unescape(Field("text") ?? string.Empty).Trim(),
            receivedAt,
            Field("response_url"));
    }

    /// <summary>
    /// A button press (block_actions) as a message (text = the button's value) for the inbox, which
    /// recognises a repeated delivery, and for delivering the answer to the action's response_url;
    /// its <see cref="IncomingMessage.Press"/> is the action for its handler.
    /// </summary>
    public static IncomingMessage? Action(JsonElement payload, DateTimeOffset receivedAt)
    {
        if (!payload.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array || actions.GetArrayLength() == 0) return null;
        var action = actions[0];
        var user = payload.TryGetProperty("user", out var u) ? u : default;
        var userId = Text(user, "id");
        var team = Text(user, "team_id") ?? (payload.TryGetProperty("team", out var t) ? Text(t, "id") : null);
        var channel = payload.TryGetProperty("channel", out var c) ? Text(c, "id") : null;
        var actionTs = Text(action, "action_ts");
        if (userId is null || team is null || channel is null || actionTs is null) return null;
        var thread = payload.TryGetProperty("message", out var message) ? Text(message, "thread_ts") ?? Text(message, "ts") : null;
        var requester = new Requester(ChatPlatform.Slack, userId, team, IsGuest: false, Text(user, "name"), Installations.SlackWorkspace.OfInteraction(payload));
        var deliveryId = $"{team}:action:{userId}:{actionTs}";
        var value = Text(action, "value") ?? string.Empty;
        var actionId = Rendering.BlockKitRenderer.OriginalActionId(Text(action, "action_id") ?? string.Empty);
        var pressed = new IncomingAction(ChatPlatform.Slack, deliveryId, channel, thread, requester, actionId, value, receivedAt, Inputs(payload));
        return new IncomingMessage(ChatPlatform.Slack, deliveryId, channel, thread, requester, value, receivedAt, Text(payload, "response_url"), pressed);
    }

    /// <summary>
    /// What was typed into the message's input blocks: <c>state.values[block_id][action_id].value</c>,
    /// keyed by block id (the renderer uses the input id as the block id). Empty boxes are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? Inputs(JsonElement payload)
    {
        if (!payload.TryGetProperty("state", out var state) || !state.TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Object) return null;
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var block in values.EnumerateObject())
        {
            if (block.Value.ValueKind != JsonValueKind.Object) continue;
            foreach (var element in block.Value.EnumerateObject())
            {
                if (Text(element.Value, "value") is { Length: > 0 } typed)
                {
                    inputs[block.Name] = typed;
                    break;
                }
            }
        }
        return inputs.Count == 0 ? null : inputs;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
