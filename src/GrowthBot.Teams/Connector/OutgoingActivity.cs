using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Rendering;

namespace GrowthBot.Teams.Connector;

/// <summary>
/// Turns a <see cref="ChatMessage"/> into the message activity the connector posts. A message that
/// is only paragraphs goes as plain text (it reads like a person's reply and notifies with its
/// words); anything richer goes as an Adaptive Card, with the plain text as the notification
/// summary, since Teams would show a <c>text</c> above the card as well.
/// </summary>
internal static class OutgoingActivity
{
    public static JsonObject Message(ChatMessage message, string? botId = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var activity = new JsonObject { ["type"] = "message" };
        if (botId is not null) activity["from"] = new JsonObject { ["id"] = botId };
        if (IsPlainText(message))
        {
            activity["text"] = message.FallbackText;
            activity["textFormat"] = "plain";
            return activity;
        }
        activity["summary"] = Summary(message.FallbackText);
        activity["attachments"] = new JsonArray { AdaptiveCardRenderer.Attachment(AdaptiveCardRenderer.Render(message)) };
        return activity;
    }

    /// <summary>The card alone, for an invoke response that refreshes the card a button was on.</summary>
    public static JsonObject Card(ChatMessage message) => AdaptiveCardRenderer.Render(message);

    internal static bool IsPlainText(ChatMessage message) => message.Blocks.Count > 0 && message.Blocks.All(block => block is TextBlock);

    private static string Summary(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 200 ? line : line[..199] + "…";
    }
}
