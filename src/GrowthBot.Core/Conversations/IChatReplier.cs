namespace GrowthBot.Core.Conversations;

/// <summary>Delivers the answer to a message on the platform it came from. One per platform adapter.</summary>
public interface IChatReplier
{
    ChatPlatform Platform { get; }

    Task ReplyAsync(IncomingMessage message, ChatMessage reply, CancellationToken cancellationToken);
}
