using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;

namespace GrowthBot.Teams.Rendering;

/// <summary>
/// Renders a channel-neutral <see cref="ChatMessage"/> as an Adaptive Card 1.5 — the newest
/// version Teams renders — and wraps it in a Bot Framework <c>message</c> activity that stays under
/// Teams' message size limits (<see cref="TeamsMessageSize"/>).
/// </summary>
/// <remarks>
/// <para>
/// Buttons are <c>Action.Execute</c> (Universal Actions) with an <c>Action.Submit</c> fallback.
/// Action.Execute reaches the bot as an <c>adaptiveCard/action</c> invoke whose response can carry
/// the card that replaces the one pressed (<see cref="InvokeCardResponse"/>): a survey's score
/// buttons become its thank-you in the same round trip, for everyone, without a separate update
/// call racing a second tap. Teams clients that predate Universal Actions use the fallback and send
/// a <c>message</c> activity whose <c>value</c> is the same data. Both carry
/// <see cref="CardActionData"/> plus the card's inputs.
/// </para>
/// <para>
/// Too big a message shrinks deterministically: images are left out first (largest first), then
/// every long text is cut to a common length with "…", then trailing parts other than buttons and
/// inputs are left out with a note.
/// </para>
/// </remarks>
internal static class AdaptiveCardRenderer
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";
    public const string SchemaUrl = "http://adaptivecards.io/schemas/adaptive-card.json";
    public const string CardVersion = "1.5";

    /// <summary>At most this many buttons per row: more go into Teams' "…" overflow menu, where nobody finds a score.</summary>
    public const int ButtonsPerRow = 5;

    /// <summary>Longer button titles are cut: a button is a word or two, and Teams clips long ones anyway.</summary>
    public const int ButtonTitleChars = 80;

    public const string LeftOutNote = "…more was left out to fit Teams' message size.";

    /// <summary>The message as an Adaptive Card that, inside <see cref="Activity"/>, fits Teams' limit.</summary>
    /// <remarks><paramref name="hostImage"/> gives a chart a public URL (null: embed it as a data URI, if it fits).</remarks>
    public static JsonObject Render(ChatMessage message, Func<byte[], string?>? hostImage = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Card(message, Fit(message, Hosted(message, hostImage)));
    }

    /// <summary>The Bot Framework attachment that carries a card.</summary>
    public static JsonObject Attachment(JsonObject card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new JsonObject { ["contentType"] = ContentType, ["content"] = card };
    }

    /// <summary>
    /// A <c>message</c> activity for the connector client to post or update: a single paragraph goes
    /// as plain text (a card for one line looks heavy), anything richer as an Adaptive Card with the
    /// fallback text as its <c>summary</c> (notifications, clients without cards). The fallback text
    /// is not also put in <c>text</c>, because Teams would show it above the card and say everything twice.
    /// </summary>
    public static JsonObject Activity(ChatMessage message, Func<byte[], string?>? hostImage = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Blocks is [TextBlock only] && !string.IsNullOrWhiteSpace(only.Text)) return PlainActivity(only.Text);
        return CardActivity(message, Card(message, Fit(message, Hosted(message, hostImage))));
    }

    /// <summary>
    /// The body of the HTTP response to an <c>adaptiveCard/action</c> invoke (Action.Execute) that
    /// replaces the pressed card with <paramref name="message"/> — how <see cref="ChatMessage.ReplacesOriginal"/> is done in one step.
    /// </summary>
    public static JsonObject InvokeCardResponse(ChatMessage message, Func<byte[], string?>? hostImage = null) => new()
    {
        ["statusCode"] = 200,
        ["type"] = ContentType,
        ["value"] = Render(message, hostImage),
    };

    /// <summary>The body of the HTTP response to an <c>adaptiveCard/action</c> invoke that leaves the card as it is and shows a short note.</summary>
    public static JsonObject InvokeMessageResponse(string text) => new()
    {
        ["statusCode"] = 200,
        ["type"] = "application/vnd.microsoft.activity.message",
        ["value"] = CardText.Cut(text ?? string.Empty, TeamsMessageSize.MaxSummaryChars),
    };

    private static JsonObject CardActivity(ChatMessage message, JsonObject card) => new()
    {
        ["type"] = "message",
        ["summary"] = Summary(message),
        ["attachments"] = new JsonArray { Attachment(card) },
    };

    private static JsonObject PlainActivity(string text)
    {
        JsonObject Build(string body) => new() { ["type"] = "message", ["textFormat"] = "plain", ["text"] = body };
        var activity = Build(text);
        if (TeamsMessageSize.Fits(activity)) return activity;
        int low = 1, high = text.Length;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (TeamsMessageSize.Fits(Build(CardText.Cut(text, mid)))) low = mid;
            else high = mid - 1;
        }
        return Build(CardText.Cut(text, low));
    }

    private static string Summary(ChatMessage message) =>
        CardText.Cut((message.FallbackText ?? string.Empty).Trim(), TeamsMessageSize.MaxSummaryChars);

    /// <summary>The public URL of each image block the host serves, by block index (once per render: hosting stores the PNG).</summary>
    private static Dictionary<int, string> Hosted(ChatMessage message, Func<byte[], string?>? hostImage)
    {
        var urls = new Dictionary<int, string>();
        if (hostImage is null) return urls;
        for (var index = 0; index < message.Blocks.Count; index++)
        {
            if (message.Blocks[index] is ImageBlock { Png.Length: > 0 } image && hostImage(image.Png) is { } url) urls[index] = url;
        }
        return urls;
    }

    /// <summary>Finds the richest shape of the message whose activity fits the budget.</summary>
    private static Shape Fit(ChatMessage message, Dictionary<int, string> hosted)
    {
        var shape = new Shape(new HashSet<int>(), int.MaxValue, message.Blocks.Count, KeepInteractive: true, hosted);
        if (Fits(message, shape)) return shape;

        // 1. Images: the heaviest parts by far (base64 PNG), and the text says the same in words.
        var images = message.Blocks
            .Select((block, index) => (block, index))
            .Where(pair => pair.block is ImageBlock && !hosted.ContainsKey(pair.index))
            .OrderByDescending(pair => ((ImageBlock)pair.block).Png.Length)
            .ThenByDescending(pair => pair.index)
            .Select(pair => pair.index);
        foreach (var index in images)
        {
            shape = shape with { DroppedImages = new HashSet<int>(shape.DroppedImages) { index } };
            if (Fits(message, shape)) return shape;
        }

        // 2. One cap for every text, as long as fits, so no single paragraph is singled out.
        var longest = message.Blocks.SelectMany(Texts).Select(text => CardText.Escape(text).Length).DefaultIfEmpty(0).Max();
        var floor = Math.Min(TeamsMessageSize.MinTextChars, Math.Max(longest, 1));
        if (Fits(message, shape with { TextCap = floor }))
        {
            int low = floor, high = Math.Max(longest, floor);
            while (low < high)
            {
                var mid = low + ((high - low + 1) / 2);
                if (Fits(message, shape with { TextCap = mid })) low = mid;
                else high = mid - 1;
            }
            return shape with { TextCap = low };
        }

        // 3. Trailing parts, with a note saying so; buttons and inputs stay, they are what the message is for.
        shape = shape with { TextCap = floor };
        int keepLow = 0, keepHigh = message.Blocks.Count - 1;
        while (keepLow < keepHigh)
        {
            var mid = keepLow + ((keepHigh - keepLow + 1) / 2);
            if (Fits(message, shape with { KeptBlocks = mid })) keepLow = mid;
            else keepHigh = mid - 1;
        }
        shape = shape with { KeptBlocks = keepLow };
        if (Fits(message, shape)) return shape;

        // 4. Hundreds of buttons: nothing but the note and the summary.
        return shape with { KeptBlocks = 0, KeepInteractive = false };
    }

    private static bool Fits(ChatMessage message, Shape shape) => TeamsMessageSize.Fits(CardActivity(message, Card(message, shape)));

    private static IEnumerable<string> Texts(ChatBlock block) => block switch
    {
        HeaderBlock header => [header.Text],
        TextBlock text => SplitLines(text.Text),
        ContextBlock context => SplitLines(context.Text),
        FieldsBlock fields => fields.Fields.SelectMany(field => new[] { field.Label, field.Value }),
        ImageBlock image => [image.Title],
        _ => [],
    };

    private static JsonObject Card(ChatMessage message, Shape shape)
    {
        var body = new JsonArray();
        var separate = false;
        var noted = false;
        for (var index = 0; index < message.Blocks.Count; index++)
        {
            var block = message.Blocks[index];
            if (index >= shape.KeptBlocks && !(shape.KeepInteractive && block is (ActionsBlock or TextInputBlock)))
            {
                if (!noted) body.Add(Small(LeftOutNote, italic: true));
                noted = true;
                continue;
            }
            if (block is DividerBlock)
            {
                separate = body.Count > 0;
                continue;
            }
            var rendered = RenderBlock(block, shape.DroppedImages.Contains(index), shape.TextCap, shape.Hosted.GetValueOrDefault(index)).ToList();
            if (rendered.Count == 0) continue;
            if (separate)
            {
                rendered[0]["separator"] = true;
                rendered[0]["spacing"] = "Medium";
                separate = false;
            }
            foreach (var element in rendered) body.Add(element);
        }
        if (body.Count == 0)
        {
            foreach (var line in Lines(message.FallbackText, shape.TextCap, small: false)) body.Add(line);
        }

        var card = new JsonObject
        {
            ["$schema"] = SchemaUrl,
            ["type"] = "AdaptiveCard",
            ["version"] = CardVersion,
            ["fallbackText"] = Summary(message),
            ["body"] = body,
        };
        if (WantsFullWidth(message)) card["msteams"] = new JsonObject { ["width"] = "Full" };
        return card;
    }

    /// <summary>Facts, charts and score rows need the room; a short reply reads better as a normal bubble.</summary>
    private static bool WantsFullWidth(ChatMessage message) => message.Blocks.Any(block =>
        block is FieldsBlock or ImageBlock || (block is ActionsBlock actions && actions.Actions.Count > 3));

    private static IEnumerable<JsonObject> RenderBlock(ChatBlock block, bool dropped, int cap, string? hostedUrl)
    {
        switch (block)
        {
            case HeaderBlock header when !string.IsNullOrWhiteSpace(header.Text):
                yield return new JsonObject
                {
                    ["type"] = "TextBlock",
                    ["text"] = CardText.Cut(CardText.Escape(string.Join(' ', SplitLines(header.Text))), cap),
                    ["style"] = "heading",
                    ["size"] = "Large",
                    ["weight"] = "Bolder",
                    ["wrap"] = true,
                };
                break;
            case TextBlock text when !string.IsNullOrWhiteSpace(text.Text):
                foreach (var line in Lines(text.Text, cap, small: false)) yield return line;
                break;
            case FieldsBlock fields when fields.Fields.Count > 0:
                var facts = new JsonArray();
                foreach (var field in fields.Fields)
                {
                    facts.Add(new JsonObject
                    {
                        ["title"] = CardText.Cut(CardText.Escape(field.Label), cap),
                        ["value"] = CardText.Cut(CardText.Escape(field.Value), cap),
                    });
                }
                yield return new JsonObject { ["type"] = "FactSet", ["facts"] = facts };
                break;
            case ContextBlock context when !string.IsNullOrWhiteSpace(context.Text):
                foreach (var line in Lines(context.Text, cap, small: true)) yield return line;
                break;
            case ImageBlock image when dropped:
                var what = string.IsNullOrWhiteSpace(image.Title) ? "A chart" : $"The chart “{image.Title}”";
                yield return Small(CardText.Cut(CardText.Escape($"{what} was left out to fit Teams' message size."), Math.Max(cap, 200)), italic: true);
                break;
            case ImageBlock image when image.Png.Length > 0:
                if (!string.IsNullOrWhiteSpace(image.Title))
                {
                    yield return new JsonObject
                    {
                        ["type"] = "TextBlock",
                        ["text"] = CardText.Cut(CardText.Escape(image.Title), cap),
                        ["weight"] = "Bolder",
                        ["wrap"] = true,
                    };
                }
                yield return new JsonObject
                {
                    ["type"] = "Image",
                    ["url"] = hostedUrl ?? "data:image/png;base64," + Convert.ToBase64String(image.Png),
                    ["altText"] = string.IsNullOrWhiteSpace(image.AltText) ? image.Title : image.AltText,
                    ["size"] = "Stretch",
                    // Teams opens the chart full size when it is tapped.
                    ["msteams"] = new JsonObject { ["allowExpand"] = true },
                };
                break;
            case ActionsBlock actions when actions.Actions.Count > 0:
                foreach (var row in Rows(actions.Actions))
                {
                    var buttons = new JsonArray();
                    foreach (var action in row) buttons.Add(Button(action));
                    yield return new JsonObject { ["type"] = "ActionSet", ["actions"] = buttons };
                }
                break;
            case TextInputBlock input:
                if (CardActionData.IsReserved(input.InputId))
                {
                    throw new ArgumentException($"Input id '{input.InputId}' collides with a key of the button data.", nameof(block));
                }
                var box = new JsonObject
                {
                    ["type"] = "Input.Text",
                    ["id"] = input.InputId,
                    ["label"] = CardText.Cut(input.Label, 200),
                    ["isMultiline"] = input.Multiline,
                };
                if (!string.IsNullOrWhiteSpace(input.Placeholder)) box["placeholder"] = CardText.Cut(input.Placeholder, 200);
                if (input.MaxLength > 0) box["maxLength"] = input.MaxLength;
                yield return box;
                break;
            default:
                break;
        }
    }

    /// <summary>Rows of at most <see cref="ButtonsPerRow"/>, balanced: NPS 0–10 is 4+4+3, not 5+5+1.</summary>
    private static IEnumerable<ChatAction[]> Rows(IReadOnlyList<ChatAction> actions)
    {
        var rows = (actions.Count + ButtonsPerRow - 1) / ButtonsPerRow;
        var perRow = (actions.Count + rows - 1) / rows;
        return actions.Chunk(perRow);
    }

    private static JsonObject Button(ChatAction action)
    {
        var title = CardText.Cut(action.Label, ButtonTitleChars);
        var execute = new JsonObject
        {
            ["type"] = "Action.Execute",
            ["title"] = title,
            ["verb"] = action.ActionId,
            ["data"] = CardActionData.Create(action),
        };
        var submit = new JsonObject
        {
            ["type"] = "Action.Submit",
            ["title"] = title,
            ["data"] = CardActionData.Create(action),
        };
        if (Style(action.Style) is { } style)
        {
            execute["style"] = style;
            submit["style"] = style;
        }
        execute["fallback"] = submit;
        return execute;
    }

    private static string? Style(ChatActionStyle style) => style switch
    {
        ChatActionStyle.Primary => "positive",
        ChatActionStyle.Danger => "destructive",
        _ => null,
    };

    /// <summary>
    /// One TextBlock per line, the continuation lines without spacing so they read as one
    /// paragraph; an empty line starts a new paragraph. A single "\n" inside one TextBlock is a
    /// soft break in markdown that some Teams clients show as a space, which would run a trend's
    /// lines or a list together.
    /// </summary>
    private static IEnumerable<JsonObject> Lines(string text, int cap, bool small)
    {
        var first = true;
        var paragraph = false;
        foreach (var line in SplitLines(text))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                paragraph = !first;
                continue;
            }
            var escaped = CardText.Cut(CardText.Escape(line), cap);
            var block = small ? Small(escaped, italic: false) : Paragraph(escaped, cap);
            if (!first && !paragraph) block["spacing"] = "None";
            first = false;
            paragraph = false;
            yield return block;
        }
    }

    private static string[] SplitLines(string text) => (text ?? string.Empty).ReplaceLineEndings("\n").Split('\n');

    private static JsonObject Paragraph(string escaped, int cap) => new()
    {
        ["type"] = "TextBlock",
        ["text"] = CardText.Cut(escaped, cap),
        ["wrap"] = true,
    };

    private static JsonObject Small(string escaped, bool italic)
    {
        var block = new JsonObject
        {
            ["type"] = "TextBlock",
            ["text"] = italic ? $"_{escaped}_" : escaped,
            ["size"] = "Small",
            ["isSubtle"] = true,
            ["wrap"] = true,
        };
        return block;
    }

    /// <summary>How much of the message is rendered: which images are left out, how long a text may be, how many blocks are kept, whether buttons and inputs after them are.</summary>
    private sealed record Shape(HashSet<int> DroppedImages, int TextCap, int KeptBlocks, bool KeepInteractive, Dictionary<int, string> Hosted);
}
