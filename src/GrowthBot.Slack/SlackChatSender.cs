using GrowthBot.Core.Conversations;
using GrowthBot.Slack.Rendering;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace GrowthBot.Slack;

/// <summary>
/// Sends the messages the bot starts itself (digests, survey invitations) through the Web API
/// client, which paces posts per channel and retries 429/5xx. Charts follow the message as
/// uploaded files (Slack's external upload flow). Slack's error codes become
/// <see cref="ChatDeliveryException"/>s that say whether trying again can help.
/// </summary>
public sealed class SlackChatSender(SlackWebApiClient client, IOptions<SlackOptions> options) : IChatSender
{
    public ChatPlatform Platform => ChatPlatform.Slack;

    public async Task<PostedMessage> SendAsync(ChatAddress address, ChatMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(message);
        EnsureConfigured();
        var rendered = BlockKitRenderer.Render(message);
        var ts = await Translate(() => client.PostMessageAsync(address.ConversationId, null, rendered.Text, rendered.Blocks, cancellationToken)).ConfigureAwait(false)
            ?? throw new ChatDeliveryException(ChatDeliveryFailure.Transient, $"Slack accepted the post to {address.ConversationId} but returned no ts");
        foreach (var image in rendered.Images)
        {
            await Translate(async () =>
            {
                await client.UploadFileAsync(address.ConversationId, ts, "trend.png", image.Title, image.Png, cancellationToken).ConfigureAwait(false);
                return ts;
            }).ConfigureAwait(false);
        }
        return new PostedMessage(address, ts);
    }

    public Task<ChatAddress> OpenDirectAsync(string userId, CancellationToken cancellationToken)
    {
        EnsureConfigured();
        return Translate(async () => new ChatAddress(ChatPlatform.Slack, await client.OpenDirectMessageAsync(userId, cancellationToken).ConfigureAwait(false)));
    }

    public Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(posted);
        ArgumentNullException.ThrowIfNull(message);
        EnsureConfigured();
        var rendered = BlockKitRenderer.Render(message);
        return Translate(async () =>
        {
            await client.UpdateMessageAsync(posted.Address.ConversationId, posted.MessageId, rendered.Text, rendered.Blocks, cancellationToken).ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>Which delivery failure a Slack error code is.</summary>
    internal static ChatDeliveryFailure FailureOf(string error) => error switch
    {
        "not_in_channel" or "channel_not_found" or "is_archived" or "cannot_dm_bot" or "restricted_action" => ChatDeliveryFailure.ConversationUnavailable,
        "user_not_found" or "user_disabled" or "user_not_visible" => ChatDeliveryFailure.UserUnavailable,
        "invalid_auth" or "not_authed" or "token_revoked" or "account_inactive" or "missing_scope" => ChatDeliveryFailure.Unauthorized,
        "msg_too_long" or "invalid_blocks" or "no_text" or "invalid_arguments" => ChatDeliveryFailure.Rejected,
        _ => ChatDeliveryFailure.Transient,
    };

    private void EnsureConfigured()
    {
        if (string.IsNullOrWhiteSpace(options.Value.BotToken))
        {
            throw new ChatDeliveryException(ChatDeliveryFailure.NotConfigured, "Slack is not configured on this GrowthBot: set Slack__BotToken and Slack__SigningSecret.");
        }
    }

    private static async Task<T> Translate<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (SlackApiException exception)
        {
            throw new ChatDeliveryException(FailureOf(exception.Error), exception.Message, exception);
        }
        catch (HttpRequestException exception)
        {
            throw new ChatDeliveryException(ChatDeliveryFailure.Transient, $"Slack could not be reached: {exception.Message}", exception);
        }
    }
}
