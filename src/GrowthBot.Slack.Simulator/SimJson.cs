using System.Text.Json.Nodes;

namespace GrowthBot.Slack.Simulator;

/// <summary>Reading JSON the bot sent without trusting its shape: a missing or mistyped field is null, never an exception.</summary>
internal static class SimJson
{
    public static string? Str(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static bool Flag(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;
}
