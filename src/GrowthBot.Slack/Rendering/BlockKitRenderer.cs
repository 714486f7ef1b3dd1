using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;

namespace GrowthBot.Slack.Rendering;

/// <summary>
/// Renders a channel-neutral <see cref="ChatMessage"/> as Block Kit within Slack's limits:
/// long texts are cut with an ellipsis (never inside a surrogate pair or an escape), blocks beyond
/// the budget are dropped with a note, and images are handed back to be uploaded with the
/// file-upload flow (Block Kit cannot carry bytes). Every text Slack shows, the fallback
/// <c>text</c> included, has &amp;, &lt; and &gt; escaped: Core's texts carry what customers
/// typed, and unescaped they would become live mentions and links. A button whose value is too
/// long for Slack is left out with a note rather than sent with a cut value that would decode wrong.
/// </summary>
public static class BlockKitRenderer
{
    public static SlackMessage Render(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var blocks = new JsonArray();
        var images = new List<ImageBlock>();
        var budget = BlockKitLimits.TotalTextBudget;
        foreach (var block in message.Blocks)
        {
            if (block is ImageBlock image)
            {
                images.Add(image);
                continue;
            }
            foreach (var rendered in RenderBlock(block))
            {
                var size = rendered.ToJsonString().Length;
                if (blocks.Count >= BlockKitLimits.BlocksPerMessage - 1 || size > budget)
                {
                    blocks.Add(Context("…more was left out to fit Slack's message size."));
                    return new SlackMessage(FallbackText(message), blocks, images);
                }
                budget -= size;
                blocks.Add(rendered);
            }
        }
        return new SlackMessage(FallbackText(message), blocks, images);
    }

    /// <summary>The top-level <c>text</c>: escaped like every other field (Slack parses it as mrkdwn).</summary>
    private static string FallbackText(ChatMessage message) => Cut(Escape(message.FallbackText), 3900);

    /// <summary>Escapes the three characters Slack's mrkdwn treats as control characters.</summary>
    public static string Escape(string text) =>
        (text ?? string.Empty).Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static IEnumerable<JsonObject> RenderBlock(ChatBlock block)
    {
        switch (block)
        {
            case HeaderBlock header when !string.IsNullOrWhiteSpace(header.Text):
                yield return new JsonObject
                {
                    ["type"] = "header",
                    ["text"] = PlainText(Cut(Escape(header.Text), BlockKitLimits.HeaderText)),
                };
                break;
            case TextBlock text when !string.IsNullOrWhiteSpace(text.Text):
                yield return new JsonObject
                {
                    ["type"] = "section",
                    ["text"] = Markdown(Cut(Escape(text.Text), BlockKitLimits.SectionText)),
                };
                break;
            case FieldsBlock fields when fields.Fields.Count > 0:
                foreach (var chunk in fields.Fields.Chunk(BlockKitLimits.FieldsPerSection))
                {
                    var items = new JsonArray();
                    foreach (var field in chunk)
                    {
                        items.Add(Markdown(Cut($"*{Escape(field.Label)}*\n{Escape(field.Value)}", BlockKitLimits.FieldText)));
                    }
                    yield return new JsonObject { ["type"] = "section", ["fields"] = items };
                }
                break;
            case ContextBlock context when !string.IsNullOrWhiteSpace(context.Text):
                yield return Context(context.Text);
                break;
            case ActionsBlock actions when actions.Actions.Count > 0:
                foreach (var chunk in actions.Actions.Chunk(BlockKitLimits.ElementsPerActions))
                {
                    var elements = new JsonArray();
                    var index = 0;
                    var leftOut = 0;
                    foreach (var action in chunk)
                    {
                        if (action.Value.Length > BlockKitLimits.ButtonValue)
                        {
                            leftOut++;
                            continue;
                        }
                        // action_id must be unique within a block; the suffix is stripped again on the way in.
                        var button = new JsonObject
                        {
                            ["type"] = "button",
                            ["text"] = PlainText(Cut(Escape(action.Label), BlockKitLimits.ButtonText)),
                            ["action_id"] = Cut($"{action.ActionId}#{index++}", BlockKitLimits.ActionId),
                            ["value"] = action.Value,
                        };
                        if (action.Style != ChatActionStyle.Default) button["style"] = action.Style == ChatActionStyle.Primary ? "primary" : "danger";
                        elements.Add(button);
                    }
                    if (elements.Count > 0) yield return new JsonObject { ["type"] = "actions", ["elements"] = elements };
                    if (leftOut > 0) yield return Context($"{leftOut} button(s) were left out: what they carry is longer than Slack allows ({BlockKitLimits.ButtonValue} characters).");
                }
                break;
            case TextInputBlock input when !string.IsNullOrWhiteSpace(input.InputId):
                // An input block in a message (allowed since 2020): what is typed comes back in the
                // block_actions payload's state.values when a button of the same message is pressed.
                var element = new JsonObject
                {
                    ["type"] = "plain_text_input",
                    ["action_id"] = Cut(input.InputId, BlockKitLimits.ActionId),
                    ["multiline"] = input.Multiline,
                    ["max_length"] = Math.Clamp(input.MaxLength, 1, BlockKitLimits.InputMaxLength),
                };
                if (!string.IsNullOrWhiteSpace(input.Placeholder)) element["placeholder"] = PlainText(Cut(Escape(input.Placeholder), BlockKitLimits.InputPlaceholder));
                yield return new JsonObject
                {
                    ["type"] = "input",
                    ["block_id"] = Cut(input.InputId, BlockKitLimits.BlockId),
                    ["dispatch_action"] = false,
                    ["optional"] = true,
                    ["label"] = PlainText(Cut(Escape(string.IsNullOrWhiteSpace(input.Label) ? input.InputId : input.Label), BlockKitLimits.InputLabel)),
                    ["element"] = element,
                };
                break;
            case DividerBlock:
                yield return new JsonObject { ["type"] = "divider" };
                break;
            default:
                break;
        }
    }

    /// <summary>The action id as GrowthBot named it, without the uniqueness suffix the renderer added.</summary>
    public static string OriginalActionId(string actionId)
    {
        var hash = (actionId ?? string.Empty).LastIndexOf('#');
        return hash < 0 ? actionId ?? string.Empty : actionId![..hash];
    }

    private static JsonObject Context(string text) => new()
    {
        ["type"] = "context",
        ["elements"] = new JsonArray { Markdown(Cut(Escape(text), BlockKitLimits.SectionText)) },
    };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    private static JsonObject Markdown(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    /// <summary>
    /// At most <paramref name="limit"/> UTF-16 units, ending in an ellipsis when cut. The cut never
    /// falls inside a surrogate pair (half an emoji is invalid text) nor inside an escape such as
    /// <c>&amp;amp;</c> (half an escape is shown raw).
    /// </summary>
    internal static string Cut(string text, int limit)
    {
        if (text.Length <= limit) return text;
        var end = limit - 1;
        if (end > 0 && char.IsHighSurrogate(text[end - 1])) end--;
        var amp = end > 0 ? text.LastIndexOf('&', end - 1, Math.Min(end, 5)) : -1;
        if (amp >= 0 && text.IndexOf(';', amp) is var semi && semi >= end && semi - amp <= 4) end = amp;
        return string.Concat(text.AsSpan(0, end), "…");
    }
}
