using System.Text.Json.Nodes;

namespace GrowthBot.Slack.Rendering;

/// <summary>A rendered Slack message: the fallback text, the Block Kit blocks, and the images to upload beside it.</summary>
public sealed record SlackMessage(string Text, JsonArray Blocks, IReadOnlyList<Core.Conversations.ImageBlock> Images);
