namespace GrowthBot.Core.Conversations;

/// <summary>Turns a message to the bot into its reply (or none). Adapters call it; it knows no platform.</summary>
public interface IConversationHandler
{
    Task<ChatMessage?> HandleAsync(IncomingMessage message, CancellationToken cancellationToken);
}
