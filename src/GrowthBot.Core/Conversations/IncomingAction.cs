namespace GrowthBot.Core.Conversations;

/// <summary>
/// A button pressed on one of the bot's messages, translated at the edge like <see cref="IncomingMessage"/>:
/// <see cref="ActionId"/> and <see cref="Value"/> are those of the <see cref="ChatAction"/> that was pressed;
/// <see cref="Inputs"/> holds the text typed into the message's <see cref="TextInputBlock"/>s, by input id.
/// </summary>
public sealed record IncomingAction(
    ChatPlatform Platform,
    string DeliveryId,
    string ConversationId,
    string? ThreadId,
    Requester From,
    string ActionId,
    string Value,
    DateTimeOffset ReceivedAt,
    IReadOnlyDictionary<string, string>? Inputs = null);
