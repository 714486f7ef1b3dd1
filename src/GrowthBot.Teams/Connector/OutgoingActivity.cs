using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Rendering;

namespace GrowthBot.Teams.Connector;

/// <summary>The message activity the connector posts for a <see cref="ChatMessage"/>: the renderer's activity, sent as the bot.</summary>
internal static class OutgoingActivity
{
    public static JsonObject Message(ChatMessage message, string? botId = null, TeamsImageCache? images = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var activity = AdaptiveCardRenderer.Activity(message, images is { Enabled: true } ? images.UrlFor : null);
        if (botId is not null) activity["from"] = new JsonObject { ["id"] = botId };
        return activity;
    }
}
