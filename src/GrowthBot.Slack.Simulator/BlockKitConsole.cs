using System.Text;
using System.Text.Json.Nodes;

namespace GrowthBot.Slack.Simulator;

/// <summary>
/// Block Kit as readable terminal text: headers underlined, sections and fields as lines, context
/// dimmed behind a bar, each button with the number <c>/press</c> takes, input boxes with what was
/// typed, images and unknown blocks named. A message without blocks shows its <c>text</c>. Every
/// string passes through <see cref="SimText.Readable"/>, so nothing the bot sends can drive the terminal.
/// </summary>
internal static class BlockKitConsole
{
    public static string Render(SimMessage message, Func<JsonObject, int?> buttonNumber, SimWorkspace workspace)
    {
        var output = new StringBuilder();
        if (message.Blocks.Count == 0)
        {
            AppendIndented(output, SimText.Readable(message.Text, workspace));
            return output.ToString();
        }
        foreach (var block in message.Blocks.OfType<JsonObject>())
        {
            switch (Text(block, "type"))
            {
                case "header":
                    var header = Plain(block["text"], workspace);
                    AppendIndented(output, header);
                    AppendIndented(output, new string('═', Math.Min(header.Length, 60)));
                    break;
                case "section":
                    if (block["text"] is { } text) AppendIndented(output, TextObject(text, workspace));
                    if (block["fields"] is JsonArray fields)
                    {
                        foreach (var field in fields) AppendIndented(output, TextObject(field, workspace).Replace("\n", ": ", StringComparison.Ordinal));
                    }
                    if (block["accessory"] is JsonObject accessory) AppendIndented(output, Element(accessory, buttonNumber, workspace));
                    break;
                case "context":
                    var parts = (block["elements"] as JsonArray ?? []).OfType<JsonObject>().Select(element => Text(element, "type") == "image"
                        ? $"[image: {SimText.Printable(Text(element, "alt_text") ?? string.Empty)}]"
                        : TextObject(element, workspace));
                    AppendIndented(output, "│ " + string.Join("  ", parts).Replace("\n", "\n│ ", StringComparison.Ordinal));
                    break;
                case "actions":
                    var buttons = (block["elements"] as JsonArray ?? []).OfType<JsonObject>().Select(element => Element(element, buttonNumber, workspace));
                    AppendIndented(output, string.Join("   ", buttons));
                    break;
                case "input":
                    var label = Plain(block["label"], workspace);
                    var typed = message.Typed.TryGetValue(Text(block, "block_id") ?? string.Empty, out var value) ? $"“{SimText.Printable(value.Value)}”" : "(empty: /type TEXT fills it)";
                    AppendIndented(output, $"✎ {label}: {typed}");
                    break;
                case "divider":
                    AppendIndented(output, new string('─', 40));
                    break;
                case "image":
                    AppendIndented(output, $"[image: {SimText.Printable(Text(block, "alt_text") ?? string.Empty)}]");
                    break;
                case "rich_text":
                    AppendIndented(output, SimText.Readable(message.Text, workspace));
                    break;
                default:
                    AppendIndented(output, $"[{SimText.Printable(Text(block, "type") ?? "unknown")} block]");
                    break;
            }
        }
        return output.ToString();
    }

    private static string Element(JsonObject element, Func<JsonObject, int?> buttonNumber, SimWorkspace workspace) => Text(element, "type") switch
    {
        "button" => $"[{buttonNumber(element)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}] {Plain(element["text"], workspace)}{Style(element)}",
        var type => $"[{SimText.Printable(type ?? "element")}]",
    };

    private static string Style(JsonObject element) => Text(element, "style") switch
    {
        "primary" => " (primary)",
        "danger" => " (danger)",
        _ => string.Empty,
    };

    private static string TextObject(JsonNode? text, SimWorkspace workspace) => text is JsonObject obj && Text(obj, "type") == "mrkdwn"
        ? SimText.Readable(Text(obj, "text") ?? string.Empty, workspace)
        : Plain(text, workspace);

    /// <summary>plain_text is shown as written, except that Slack's escapes are undone (GrowthBot escapes plain_text too).</summary>
    private static string Plain(JsonNode? text, SimWorkspace workspace) =>
        SimText.Printable(SimText.Unescape(text is JsonObject obj ? Text(obj, "text") ?? string.Empty : string.Empty));

    private static void AppendIndented(StringBuilder output, string text)
    {
        foreach (var line in text.Split('\n')) output.Append("  ").AppendLine(line);
    }

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
