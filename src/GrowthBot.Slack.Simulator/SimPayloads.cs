using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GrowthBot.Slack.Simulator;

/// <summary>
/// The payloads Slack sends an app, with the fields Slack's documentation shows for each:
/// Events API <c>event_callback</c> envelopes (<c>app_mention</c>, <c>message</c> in an IM,
/// <c>app_home_opened</c>), slash command forms, and <c>block_actions</c> for a button press.
/// </summary>
internal sealed partial class SimPayloads(SimWorkspace workspace, SimTimestamps timestamps)
{
    /// <summary>The Events API envelope around one event.</summary>
    public JsonObject EventCallback(JsonObject evt) => new()
    {
        ["token"] = workspace.VerificationToken,
        ["team_id"] = workspace.TeamId,
        ["context_team_id"] = workspace.TeamId,
        ["context_enterprise_id"] = null,
        ["api_app_id"] = workspace.AppId,
        ["event"] = evt,
        ["type"] = "event_callback",
        // Unique across sessions, as Slack's are: the app recognises a retry by event_id, so a counter
        // starting again at 1 would make a new session's events look like the last session's retries.
        ["event_id"] = "Ev0" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 8),
        ["event_time"] = timestamps.Seconds(),
        ["authorizations"] = new JsonArray(new JsonObject
        {
            ["enterprise_id"] = null, ["team_id"] = workspace.TeamId, ["user_id"] = workspace.Bot.Id, ["is_bot"] = true, ["is_enterprise_install"] = false,
        }),
        ["is_ext_shared_channel"] = false,
        ["event_context"] = "4-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('='),
    };

    /// <summary>A person's message event: <c>app_mention</c> in a channel, <c>message</c> (channel_type im) in the DM.</summary>
    public JsonObject Message(SimMessage message, bool mention)
    {
        var evt = new JsonObject
        {
            ["client_msg_id"] = Guid.NewGuid().ToString(),
            ["type"] = mention ? "app_mention" : "message",
            ["text"] = message.Text,
            ["user"] = message.UserId,
            ["ts"] = message.Ts,
            ["blocks"] = new JsonArray(RichText(message.Text)),
            ["team"] = workspace.TeamId,
            ["channel"] = message.Channel,
            ["event_ts"] = message.Ts,
        };
        if (message.ThreadTs is not null) evt["thread_ts"] = message.ThreadTs;
        if (!mention) evt["channel_type"] = "im";
        return evt;
    }

    public JsonObject HomeOpened(SimUser user) => new()
    {
        ["type"] = "app_home_opened", ["user"] = user.Id, ["channel"] = workspace.DirectMessage.Id, ["tab"] = "home", ["event_ts"] = timestamps.Next(),
    };

    /// <summary>A slash command's form fields, as Slack posts them (application/x-www-form-urlencoded).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Command(string command, string text, SimChannel channel, SimUser user, string responseUrl) =>
    [
        new("token", workspace.VerificationToken),
        new("team_id", workspace.TeamId),
        new("team_domain", workspace.TeamDomain),
        new("channel_id", channel.Id),
        new("channel_name", channel.Name),
        new("user_id", user.Id),
        new("user_name", user.Name),
        new("command", command),
        new("text", text),
        new("api_app_id", workspace.AppId),
        new("is_enterprise_install", "false"),
        new("response_url", responseUrl),
        new("trigger_id", TriggerId()),
    ];

    /// <summary>
    /// A button press: the pressed element (with its action_id, block_id, value, the time of the
    /// press), the message it was on (left out for an ephemeral message, as Slack does), and
    /// <c>state.values</c> for every input block of that message, with what was typed or null.
    /// </summary>
    public JsonObject BlockActions(SimButton button, SimUser user, SimChannel channel, string responseUrl)
    {
        var message = button.Message;
        var values = new JsonObject();
        foreach (var input in message.Blocks.OfType<JsonObject>().Where(block => SimJson.Str(block, "type") == "input"))
        {
            var blockId = SimJson.Str(input, "block_id") ?? string.Empty;
            var actionId = SimJson.Str(input["element"], "action_id") ?? string.Empty;
            var typed = message.Typed.TryGetValue(blockId, out var value) ? value.Value : null;
            values[blockId] = new JsonObject { [actionId] = new JsonObject { ["type"] = SimJson.Str(input["element"], "type") ?? "plain_text_input", ["value"] = typed } };
        }
        var action = new JsonObject
        {
            ["action_id"] = SimJson.Str(button.Element, "action_id"),
            ["block_id"] = button.BlockId,
            ["text"] = button.Element["text"]?.DeepClone(),
            ["value"] = SimJson.Str(button.Element, "value"),
            ["type"] = "button",
            ["action_ts"] = timestamps.Next(),
        };
        if (SimJson.Str(button.Element, "style") is { } style) action["style"] = style;
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = user.Id, ["username"] = user.Name, ["name"] = user.Name, ["team_id"] = user.TeamId },
            ["api_app_id"] = workspace.AppId,
            ["token"] = workspace.VerificationToken,
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = message.Ts, ["channel_id"] = channel.Id, ["is_ephemeral"] = message.Ephemeral },
            ["trigger_id"] = TriggerId(),
            ["team"] = new JsonObject { ["id"] = workspace.TeamId, ["domain"] = workspace.TeamDomain },
            ["enterprise"] = null,
            ["is_enterprise_install"] = false,
            ["channel"] = new JsonObject { ["id"] = channel.Id, ["name"] = channel.Name },
        };
        if (!message.Ephemeral) payload["message"] = message.ToJson(withMetadata: false);
        payload["state"] = new JsonObject { ["values"] = values };
        payload["response_url"] = responseUrl;
        payload["actions"] = new JsonArray(action);
        return payload;
    }

    /// <summary>Slack's trigger ids look like <c>13345224609.738474920.8088930838d88f008e0</c>.</summary>
    private static string TriggerId() => string.Create(CultureInfo.InvariantCulture,
        $"{RandomNumberGenerator.GetInt32(1_000_000_000, int.MaxValue)}.{RandomNumberGenerator.GetInt32(100_000_000, 999_999_999)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(11))[..21]}");

    /// <summary>The rich_text block Slack's client sends beside a message's text: user mentions as user elements, the rest as text.</summary>
    private static JsonObject RichText(string text)
    {
        var elements = new JsonArray();
        var at = 0;
        foreach (Match match in UserReference().Matches(text))
        {
            if (match.Index > at) elements.Add(new JsonObject { ["type"] = "text", ["text"] = SimText.Unescape(text[at..match.Index]) });
            elements.Add(new JsonObject { ["type"] = "user", ["user_id"] = match.Groups["id"].Value });
            at = match.Index + match.Length;
        }
        if (at < text.Length) elements.Add(new JsonObject { ["type"] = "text", ["text"] = SimText.Unescape(text[at..]) });
        return new JsonObject
        {
            ["type"] = "rich_text",
            ["block_id"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)),
            ["elements"] = new JsonArray(new JsonObject { ["type"] = "rich_text_section", ["elements"] = elements }),
        };
    }

    [GeneratedRegex(@"<@(?<id>[UW][A-Z0-9]+)(\|[^>]*)?>")]
    private static partial Regex UserReference();
}
