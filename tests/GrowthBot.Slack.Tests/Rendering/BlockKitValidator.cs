using System.Text.Json.Nodes;
using GrowthBot.Slack.Rendering;

namespace GrowthBot.Slack.Tests.Rendering;

/// <summary>
/// Slack's Block Kit limits as a checker for generated messages: 50 blocks, 3000 characters per
/// section text, 150 per header, 2000 per field and button value, 255 per action_id, 75 per
/// button label, unique action_ids per block, and the ~11,000-character total budget.
/// </summary>
internal static class BlockKitValidator
{
    private static readonly HashSet<string> KnownTypes = ["header", "section", "context", "actions", "divider", "image", "input"];

    public static IReadOnlyList<string> Validate(JsonArray blocks, string fallbackText)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(fallbackText)) problems.Add("no fallback text");
        if (blocks.Count > BlockKitLimits.BlocksPerMessage) problems.Add($"{blocks.Count} blocks > {BlockKitLimits.BlocksPerMessage}");
        if (blocks.ToJsonString().Length > BlockKitLimits.TotalTextBudget + 2_000) problems.Add("message exceeds the total budget");
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i]!.AsObject();
            var type = (string?)block["type"];
            var where = $"block {i} ({type})";
            if (type is null || !KnownTypes.Contains(type)) problems.Add($"{where}: unknown type");
            switch (type)
            {
                case "header":
                    Text(block["text"], 1, BlockKitLimits.HeaderText, "plain_text", where, problems);
                    break;
                case "section":
                    if (block["text"] is null && block["fields"] is null) problems.Add($"{where}: neither text nor fields");
                    if (block["text"] is { } text) Text(text, 1, BlockKitLimits.SectionText, null, where, problems);
                    if (block["fields"] is JsonArray fields)
                    {
                        if (fields.Count > BlockKitLimits.FieldsPerSection) problems.Add($"{where}: {fields.Count} fields");
                        foreach (var field in fields) Text(field, 1, BlockKitLimits.FieldText, null, where, problems);
                    }
                    break;
                case "context":
                    var elements = block["elements"] as JsonArray;
                    if (elements is null || elements.Count is 0 or > BlockKitLimits.ContextElements) problems.Add($"{where}: 1–10 elements required");
                    foreach (var element in elements ?? []) Text(element, 1, BlockKitLimits.SectionText, null, where, problems);
                    break;
                case "input":
                    Text(block["label"], 1, BlockKitLimits.InputLabel, "plain_text", where, problems);
                    if ((string?)block["element"]?["type"] != "plain_text_input") problems.Add($"{where}: element must be plain_text_input");
                    if (((string?)block["block_id"] ?? string.Empty).Length is 0 or > BlockKitLimits.BlockId) problems.Add($"{where}: block_id length");
                    if (block["element"]?["placeholder"] is { } placeholder) Text(placeholder, 1, BlockKitLimits.InputPlaceholder, "plain_text", where, problems);
                    break;
                case "actions":
                    var buttons = block["elements"] as JsonArray ?? [];
                    if (buttons.Count is 0 or > BlockKitLimits.ElementsPerActions) problems.Add($"{where}: 1–25 elements required");
                    var ids = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var button in buttons)
                    {
                        var id = (string?)button?["action_id"] ?? string.Empty;
                        if (id.Length is 0 or > BlockKitLimits.ActionId) problems.Add($"{where}: action_id length {id.Length}");
                        if (!ids.Add(id)) problems.Add($"{where}: duplicate action_id {id}");
                        if (((string?)button?["value"] ?? string.Empty).Length > BlockKitLimits.ButtonValue) problems.Add($"{where}: value too long");
                        Text(button?["text"], 1, BlockKitLimits.ButtonText, "plain_text", where, problems);
                        if (button?["style"] is { } style && (string?)style is not ("primary" or "danger")) problems.Add($"{where}: bad style");
                    }
                    break;
            }
        }
        return problems;
    }

    private static void Text(JsonNode? node, int min, int max, string? requiredType, string where, List<string> problems)
    {
        var type = (string?)node?["type"];
        var text = (string?)node?["text"] ?? string.Empty;
        if (type is not ("plain_text" or "mrkdwn")) problems.Add($"{where}: text object type {type}");
        if (requiredType is not null && type != requiredType) problems.Add($"{where}: must be {requiredType}");
        if (text.Trim().Length < min) problems.Add($"{where}: empty text");
        if (text.Length > max) problems.Add($"{where}: text {text.Length} > {max}");
    }
}
