namespace GrowthBot.Core.Conversations;

/// <summary>
/// One kind of message the bot answers besides metric questions: an admin command
/// ("subscribe marketing", "survey nps @ana"), or the comment a survey respondent was asked for.
/// The <see cref="MessageRouter"/> offers each message to the routes in turn; the first that
/// claims it answers, and a message nobody claims is a metric question.
/// </summary>
public interface IMessageRoute
{
    /// <summary>True when this route answers the message. Cheap and side-effect free.</summary>
    bool Claims(IncomingMessage message);

    Task<ChatMessage?> HandleAsync(IncomingMessage message, CancellationToken cancellationToken);

    /// <summary>Lines for the help reply ("subscribe TEAM — weekly digest here"); empty for routes people don't type.</summary>
    IReadOnlyList<string> HelpLines { get; }
}
