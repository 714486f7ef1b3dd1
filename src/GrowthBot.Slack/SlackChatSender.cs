using GrowthBot.Core.Conversations;
using GrowthBot.Slack.Rendering;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Slack;

/// <summary>
/// Sends the messages the bot starts itself (digests, survey invitations) through the Web API
/// client. The post and each chart are separate steps: once the post succeeded it is what the
/// caller records, and a chart that cannot be uploaded (uploads disabled, files.slack.com blocked)
/// is logged and left out instead of failing the send, which would post the message again.
/// Slack's error codes become <see cref="ChatDeliveryException"/>s that say whether trying again
/// can help; a code this adapter does not know is permanent, and logged.
/// </summary>
public sealed partial class SlackChatSender(Installations.SlackInstallations installations, IOptions<SlackOptions> options, ILogger<SlackChatSender> logger) : IChatSender
{
    public ChatPlatform Platform => ChatPlatform.Slack;

    public Task<PostedMessage> SendAsync(ChatAddress address, ChatMessage message, CancellationToken cancellationToken) =>
        PostAsync(address, message, null, false, cancellationToken);

    /// <summary>
    /// The post carries <paramref name="sendId"/> in its metadata; resumed, the channel's latest messages are read
    /// back for it first (<see cref="SlackEarlierPost"/>).
    /// </summary>
    public Task<PostedMessage> SendOnceAsync(ChatAddress address, ChatMessage message, string sendId, bool resumed, CancellationToken cancellationToken) =>
        PostAsync(address, message, sendId ?? throw new ArgumentNullException(nameof(sendId)), resumed, cancellationToken);

    private async Task<PostedMessage> PostAsync(ChatAddress address, ChatMessage message, string? sendId, bool resumed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(message);
        EnsureConfigured();
        var rendered = BlockKitRenderer.Render(message);
        var client = await Translate(() => Task.FromResult(installations.For(address.Workspace))).ConfigureAwait(false);
        if (resumed && sendId is not null &&
            await Translate(() => SlackEarlierPost.FindAsync(client, logger, address.ConversationId, null, sendId, cancellationToken)).ConfigureAwait(false) is { } earlier)
        {
            return new PostedMessage(address, earlier);
        }
        var ts = await Translate(() => SlackCharts.PostAsync(client, logger, address.ConversationId, null, rendered, cancellationToken, sendId)).ConfigureAwait(false)
            ?? throw new ChatDeliveryException(ChatDeliveryFailure.Rejected, $"Slack accepted the post to {address.ConversationId} but returned no ts");
        return new PostedMessage(address, ts);
    }

    public Task<ChatAddress> OpenDirectAsync(string userId, string? workspace, CancellationToken cancellationToken)
    {
        EnsureConfigured();
        return Translate(async () =>
        {
            // The person's workspace (their survey link's, or a team/org id from a recipients file); without one, the only token there is.
            var key = Installations.SlackWorkspace.Normalize(workspace) ?? installations.DefaultWorkspace();
            var channel = await installations.ForRecipient(key).OpenDirectMessageAsync(userId, cancellationToken).ConfigureAwait(false);
            return new ChatAddress(ChatPlatform.Slack, channel, key);
        });
    }

    public Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(posted);
        ArgumentNullException.ThrowIfNull(message);
        EnsureConfigured();
        var rendered = BlockKitRenderer.Render(message);
        return Translate(async () =>
        {
            await installations.For(posted.Address.Workspace).UpdateMessageAsync(posted.Address.ConversationId, posted.MessageId, rendered.Text, rendered.Blocks, cancellationToken).ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>Which delivery failure a Slack error code is. Only codes known to be safe to retry are transient.</summary>
    internal static ChatDeliveryFailure FailureOf(string error) => error switch
    {
        "not_in_channel" or "channel_not_found" or "is_archived" or "cannot_dm_bot" or "restricted_action" or "ekm_access_denied" => ChatDeliveryFailure.ConversationUnavailable,
        "user_not_found" or "user_disabled" or "user_not_visible" or SlackApiException.WorkspaceUnknown => ChatDeliveryFailure.UserUnavailable,
        "invalid_auth" or "not_authed" or "token_revoked" or "token_expired" or "account_inactive" or SlackApiException.NotInstalled or "missing_scope" or "team_access_not_granted" or "no_permission" => ChatDeliveryFailure.Unauthorized,
        _ when SlackApiException.IsTransient(error) => ChatDeliveryFailure.Transient,
        _ => ChatDeliveryFailure.Rejected,
    };

    private void EnsureConfigured()
    {
        if (!options.Value.HasBotCredentials)
        {
            throw new ChatDeliveryException(ChatDeliveryFailure.NotConfigured, "Slack is not configured on this GrowthBot: set Slack__BotToken (or Slack__ClientId and Slack__ClientSecret) and Slack__SigningSecret.");
        }
    }

    private async Task<T> Translate<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (SlackApiException exception)
        {
            var failure = FailureOf(exception.Error);
            if (failure == ChatDeliveryFailure.Rejected) LogRefused(exception.Method, exception.Error, SlackApiException.Describe(exception.Error));
            throw new ChatDeliveryException(failure, exception.Message, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack {Method} refused with {Error} ({Meaning}); not retried")]
    private partial void LogRefused(string method, string error, string meaning);
}
