using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;
using GrowthBot.Slack.Rendering;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Slack;

/// <summary>
/// Charts shown inline in the message, as Slack documents it: each PNG is uploaded first, privately
/// (files.getUploadURLExternal → bytes → files.completeUploadExternal without a channel), and the
/// post then shows it as an image block whose <c>slack_file</c> is that file, with the chart's alt
/// text. The upload and the post are separate steps: a chart that cannot be uploaded (uploads
/// disabled, files.slack.com blocked) is logged and left out, and a post Slack refuses because of
/// its image (<c>invalid_blocks</c>, e.g. a file not yet processed; nothing was posted) is posted
/// once more without it. Never a reason to post the message twice: the message already carries the
/// numbers and the chart's alt text.
/// </summary>
internal static partial class SlackCharts
{
    /// <summary>Posts the message with its charts inline where they could be uploaded; returns the post's ts. <paramref name="postId"/> as for <see cref="SlackWebApiClient.PostMessageAsync"/>.</summary>
    public static async Task<string?> PostAsync(SlackWebApiClient client, ILogger logger, string channel, string? threadTs, SlackMessage rendered, CancellationToken cancellationToken, string? postId = null)
    {
        var uploaded = new List<(ImageBlock Image, string FileId)>();
        foreach (var image in rendered.Images)
        {
            if (rendered.Blocks.Count + uploaded.Count >= BlockKitLimits.BlocksPerMessage) break;
            try
            {
                uploaded.Add((image, await client.UploadFileAsync(null, null, "trend.png", image.Title, image.AltText, image.Png, cancellationToken).ConfigureAwait(false)));
            }
            catch (SlackApiException exception)
            {
                LogChartDropped(logger, channel, exception.Error, SlackApiException.Describe(exception.Error));
            }
        }
        if (uploaded.Count == 0) return await client.PostMessageAsync(channel, threadTs, rendered.Text, rendered.Blocks, cancellationToken, postId).ConfigureAwait(false);

        var blocks = rendered.Blocks.DeepClone().AsArray();
        foreach (var (image, fileId) in uploaded) blocks.Add(ImageBlockOf(image, fileId));
        try
        {
            return await client.PostMessageAsync(channel, threadTs, rendered.Text, blocks, cancellationToken, postId).ConfigureAwait(false);
        }
        catch (SlackApiException exception) when (exception.Error == "invalid_blocks")
        {
            // Refused as a whole, so nothing was posted: post it once without the images.
            LogChartDropped(logger, channel, exception.Error, "Slack refused the inline chart");
            return await client.PostMessageAsync(channel, threadTs, rendered.Text, rendered.Blocks, cancellationToken, postId).ConfigureAwait(false);
        }
    }

    /// <summary>An image block showing an uploaded file, with the alt text screen readers read.</summary>
    internal static JsonObject ImageBlockOf(ImageBlock image, string fileId) => new()
    {
        ["type"] = "image",
        ["slack_file"] = new JsonObject { ["id"] = fileId },
        ["alt_text"] = Cut(image.AltText, BlockKitLimits.ImageAltText),
        ["title"] = new JsonObject { ["type"] = "plain_text", ["text"] = Cut(image.Title, BlockKitLimits.ImageTitle) },
    };

    private static string Cut(string text, int limit) => BlockKitRenderer.Cut(text, limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A chart for the message in {Channel} could not be shown ({Error}: {Meaning}); the message went out without it")]
    private static partial void LogChartDropped(ILogger logger, string channel, string error, string meaning);
}
