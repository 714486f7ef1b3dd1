using GrowthBot.Core.Conversations;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Slack;

/// <summary>
/// Uploads a message's charts beside it, after the message itself was posted. Each chart is a
/// step of its own: one that cannot be uploaded is logged and dropped, never a reason to post the
/// message again (the message already carries the numbers and the chart's alt text).
/// </summary>
internal static partial class SlackCharts
{
    public static async Task UploadAsync(SlackWebApiClient client, ILogger logger, string channel, string? threadTs, IReadOnlyList<ImageBlock> images, CancellationToken cancellationToken)
    {
        foreach (var image in images)
        {
            try
            {
                await client.UploadFileAsync(channel, threadTs, "trend.png", image.Title, image.AltText, image.Png, cancellationToken).ConfigureAwait(false);
            }
            catch (SlackApiException exception)
            {
                LogChartDropped(logger, channel, exception.Error, SlackApiException.Describe(exception.Error));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A chart for the message in {Channel} could not be uploaded ({Error}: {Meaning}); the message went out without it")]
    private static partial void LogChartDropped(ILogger logger, string channel, string error, string meaning);
}
