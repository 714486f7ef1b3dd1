using GrowthBot.Core.Conversations;
using GrowthBot.Slack.Rendering;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Slack;

/// <summary>
/// Delivers answers in Slack: to a slash command's or button's response_url (visible only to
/// the asker; with replace_original when the answer replaces the message whose button was
/// pressed, as a survey's follow-up and thank-you do), otherwise with chat.postMessage in the conversation and thread; charts follow as
/// uploaded files. Permanent refusals (not in channel, archived, bad token) are logged with the
/// channel and dropped; transient ones are thrown so the message stays pending and is retried.
/// </summary>
public sealed partial class SlackReplier(SlackWebApiClient client, ILogger<SlackReplier> logger) : IChatReplier
{
    private static readonly HashSet<string> Permanent = new(StringComparer.Ordinal)
    {
        "not_in_channel", "channel_not_found", "is_archived", "invalid_auth", "not_authed", "token_revoked", "account_inactive",
        "missing_scope", "msg_too_long", "invalid_blocks", "user_not_found", "expired_url", "http_404",
    };

    public ChatPlatform Platform => ChatPlatform.Slack;

    public async Task ReplyAsync(IncomingMessage message, ChatMessage reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var rendered = BlockKitRenderer.Render(reply);
        try
        {
            if (message.ReplyAddress is { } responseUrl)
            {
                await client.RespondAsync(responseUrl, rendered.Text, rendered.Blocks, reply.ReplacesOriginal, cancellationToken).ConfigureAwait(false);
                return; // private answers carry no uploaded chart: an upload would be visible to the whole channel
            }
            await client.PostMessageAsync(message.ConversationId, message.ThreadId, rendered.Text, rendered.Blocks, cancellationToken).ConfigureAwait(false);
            foreach (var image in rendered.Images)
            {
                await client.UploadFileAsync(message.ConversationId, message.ThreadId, "trend.png", image.Title, image.Png, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SlackApiException exception) when (Permanent.Contains(exception.Error))
        {
            LogRefused(exception.Method, message.ConversationId, exception.Error, SlackApiException.Describe(exception.Error));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack {Method} to {Channel} refused with {Error}: {Meaning}. The answer was not delivered.")]
    private partial void LogRefused(string method, string channel, string error, string meaning);
}
