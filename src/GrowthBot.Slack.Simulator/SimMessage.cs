using System.Text.Json.Nodes;

namespace GrowthBot.Slack.Simulator;

/// <summary>
/// A message as the simulated Slack keeps it: who wrote it, where, its Block Kit (every block with
/// a block_id, as Slack assigns one when the app gives none) and, for a message with input blocks,
/// what the person has typed into them so far (sent back as <c>state.values</c> on a button press).
/// </summary>
internal sealed class SimMessage
{
    public required string Channel { get; init; }

    public required string Ts { get; init; }

    public string? ThreadTs { get; init; }

    /// <summary>The author: the bot user or a person.</summary>
    public required string UserId { get; init; }

    /// <summary>The app's bot id when the bot wrote it.</summary>
    public string? BotId { get; init; }

    public bool FromBot => BotId is not null;

    /// <summary>Only the person it was shown to sees it (chat.postEphemeral, a slash command's or response_url's ephemeral answer).</summary>
    public bool Ephemeral { get; init; }

    public string Text { get; set; } = string.Empty;

    public JsonArray Blocks { get; set; } = [];

    /// <summary>The message metadata the app attached (returned by conversations.history with include_all_metadata).</summary>
    public JsonNode? Metadata { get; init; }

    /// <summary>Typed into input blocks: block_id → (action_id, value).</summary>
    public Dictionary<string, (string ActionId, string Value)> Typed { get; } = new(StringComparer.Ordinal);

    /// <summary>The message as Slack returns it in conversations.history and interactive payloads.</summary>
    public JsonObject ToJson(bool withMetadata)
    {
        var json = new JsonObject { ["type"] = "message", ["user"] = UserId, ["text"] = Text, ["ts"] = Ts };
        if (BotId is not null) json["bot_id"] = BotId;
        if (ThreadTs is not null) json["thread_ts"] = ThreadTs;
        if (Blocks.Count > 0) json["blocks"] = Blocks.DeepClone();
        if (withMetadata && Metadata is not null) json["metadata"] = Metadata.DeepClone();
        return json;
    }
}

/// <summary>A button shown in the terminal with the number a person presses it by.</summary>
internal sealed record SimButton(int Number, SimMessage Message, string BlockId, JsonObject Element)
{
    public string Label => SimText.Unescape(SimJson.Str(Element["text"], "text") ?? string.Empty);
}
