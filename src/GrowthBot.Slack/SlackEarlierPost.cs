using GrowthBot.Core.Conversations;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Slack;

/// <summary>
/// Finds a post an earlier attempt made and never recorded (its host died between the post and the write, or the
/// attempt failed after Slack took the post), by the id in its metadata, so it is not posted a second time. A
/// lookup Slack refuses for good (a missing history scope, say) is logged and reads as "not posted", since a second
/// copy is better than none; a transient failure is thrown, so the caller's retry looks again.
/// </summary>
internal static partial class SlackEarlierPost
{
    /// <summary>The ts of the post carrying <paramref name="postId"/> in the conversation (or thread), or null.</summary>
    public static async Task<string?> FindAsync(SlackWebApiClient client, ILogger logger, string channel, string? threadTs, string postId, CancellationToken cancellationToken)
    {
        string? found;
        try
        {
            found = await client.FindPostAsync(channel, threadTs, postId, cancellationToken).ConfigureAwait(false);
        }
        catch (SlackApiException exception) when (SlackChatSender.FailureOf(exception.Error) != ChatDeliveryFailure.Transient)
        {
            LogLookupRefused(logger, exception.Method, channel, exception.Error, SlackApiException.Describe(exception.Error));
            return null;
        }
        if (found is not null) LogFound(logger, postId, channel, found);
        return found;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: {PostId} was already posted in {Channel} ({Ts}) by an attempt that stopped before recording it; not posting it again")]
    private static partial void LogFound(ILogger logger, string postId, string channel, string ts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} in {Channel} refused with {Error}: {Meaning}. Cannot tell whether an earlier attempt already posted; posting (perhaps a second time)")]
    private static partial void LogLookupRefused(ILogger logger, string method, string channel, string error, string meaning);
}
