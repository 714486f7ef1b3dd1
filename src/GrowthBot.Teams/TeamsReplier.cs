using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Connector;
using GrowthBot.Teams.Rendering;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Teams;

/// <summary>
/// Delivers answers in Teams: as a reply to the activity that asked (in its thread in a channel),
/// at the service URL the activity came from. Permanent refusals (bot removed, blocked, bad
/// credentials, message rejected) are logged and dropped; transient ones are thrown so the message
/// stays pending and is answered after the next start.
/// </summary>
internal sealed partial class TeamsReplier(
    TeamsConnectorClient connector,
    TeamsBotIdentity identity,
    IConversationDirectory directory,
    ILogger<TeamsReplier> logger,
    TeamsImageCache? images = null,
    TeamsAnswers? answers = null) : IChatReplier
{
    public ChatPlatform Platform => ChatPlatform.Teams;

    public async Task ReplyAsync(IncomingMessage message, ChatMessage reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(reply);
        var route = message.ReplyAddress ?? directory.Find(ChatPlatform.Teams, TeamsConnectorClient.ThreadOf(message.ConversationId))?.Route;
        if (route is null || !Uri.TryCreate(route, UriKind.Absolute, out var serviceUrl))
        {
            LogNoRoute(message.ConversationId);
            return;
        }
        var activity = OutgoingActivity.Message(reply, identity.BotId, images);
        try
        {
            if (TeamsThread.Decode(message.ConversationId, message.ThreadId) is not { } thread)
            {
                await connector.SendAsync(serviceUrl, message.ConversationId, activity, cancellationToken).ConfigureAwait(false);
                return;
            }
            if (message.DeliveryId.Contains(Inbound.TeamsActivityMapper.EditMarker, StringComparison.Ordinal)
                && answers?.Find(message.ConversationId, thread.ReplyToId) is { } earlier
                && await TryUpdateAsync(serviceUrl, earlier, activity, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            var id = await connector.ReplyAsync(serviceUrl, thread.ConversationId, thread.ReplyToId, activity, cancellationToken).ConfigureAwait(false);
            if (id is not null && message.Press is null) answers?.Remember(message.ConversationId, thread.ReplyToId, new TeamsAnswers.Answer(thread.ConversationId, id));
        }
        catch (ChatDeliveryException exception) when (!exception.IsTransient)
        {
            LogRefused(message.ConversationId, exception.Failure, exception.Message);
        }
    }

    /// <summary>An edited question's answer, replaced in place; false when that answer is gone (deleted), so a new one is posted.</summary>
    private async Task<bool> TryUpdateAsync(Uri serviceUrl, TeamsAnswers.Answer earlier, System.Text.Json.Nodes.JsonObject activity, CancellationToken cancellationToken)
    {
        try
        {
            await connector.UpdateAsync(serviceUrl, earlier.ConversationId, earlier.ActivityId, activity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ChatDeliveryException exception) when (exception.Failure == ChatDeliveryFailure.ConversationUnavailable)
        {
            LogEarlierAnswerGone(earlier.ActivityId, exception.Message);
            activity.Remove("id");
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams: the earlier answer {ActivityId} to an edited question could not be updated ({Reason}); answering with a new reply")]
    private partial void LogEarlierAnswerGone(string activityId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Teams: no service URL is known for conversation {Conversation}; the answer was not delivered")]
    private partial void LogNoRoute(string conversation);

    [LoggerMessage(Level = LogLevel.Error, Message = "Teams: the answer to {Conversation} was refused ({Failure}): {Reason}. It was not delivered.")]
    private partial void LogRefused(string conversation, ChatDeliveryFailure failure, string reason);
}
