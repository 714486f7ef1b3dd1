namespace GrowthBot.Core.Conversations;

/// <summary>
/// The bot's <see cref="IConversationHandler"/>: offers each message to the registered
/// <see cref="IMessageRoute"/>s in registration order, and answers whatever none of them claims
/// with the fallback (the metric question handler), which also answers help.
/// </summary>
public sealed class MessageRouter(IEnumerable<IMessageRoute> routes, IConversationHandler fallback) : IConversationHandler
{
    private readonly IMessageRoute[] _routes = routes.ToArray();

    /// <summary>The routes' help lines, in order, for the help reply.</summary>
    public IEnumerable<string> HelpLines => _routes.SelectMany(route => route.HelpLines);

    public Task<ChatMessage?> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var route in _routes)
        {
            if (route.Claims(message)) return route.HandleAsync(message, cancellationToken);
        }
        return fallback.HandleAsync(message, cancellationToken);
    }
}
