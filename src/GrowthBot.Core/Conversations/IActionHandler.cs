namespace GrowthBot.Core.Conversations;

/// <summary>Turns a button press into the bot's reply (or none). Adapters route by <see cref="ChatAction.ActionId"/>.</summary>
public interface IActionHandler
{
    /// <summary>True for the action ids this handler answers, e.g. everything starting with "metric.".</summary>
    bool CanHandle(string actionId);

    Task<ChatMessage?> HandleActionAsync(IncomingAction action, CancellationToken cancellationToken);
}
