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
    TeamsImageCache? images = null) : IChatReplier
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
            if (TeamsThread.Decode(message.ConversationId, message.ThreadId) is { } thread) await connector.ReplyAsync(serviceUrl, thread.ConversationId, thread.ReplyToId, activity, cancellationToken).ConfigureAwait(false);
            else await connector.SendAsync(serviceUrl, message.ConversationId, activity, cancellationToken).ConfigureAwait(false);
        }
        catch (ChatDeliveryException exception) when (!exception.IsTransient)
        {
            LogRefused(message.ConversationId, exception.Failure, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Teams: no service URL is known for conversation {Conversation}; the answer was not delivered")]
    private partial void LogNoRoute(string conversation);

    [LoggerMessage(Level = LogLevel.Error, Message = "Teams: the answer to {Conversation} was refused ({Failure}): {Reason}. It was not delivered.")]
    private partial void LogRefused(string conversation, ChatDeliveryFailure failure, string reason);
}
