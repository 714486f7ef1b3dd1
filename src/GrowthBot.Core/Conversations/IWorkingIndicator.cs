namespace GrowthBot.Core.Conversations;

/// <summary>
/// Shows the person who asked that the bot is working on an answer that takes more than a moment
/// (Teams' typing indicator). The worker starts it as it begins answering a message and cancels it
/// as soon as the answer is ready, so an instant answer shows nothing; an implementation waits a
/// moment on its own clock before showing anything and never throws for a failed indication.
/// One per platform adapter that has such a thing; none is needed.
/// </summary>
public interface IWorkingIndicator
{
    ChatPlatform Platform { get; }

    /// <summary>Shows that the bot is working on <paramref name="message"/> until <paramref name="answered"/> is cancelled.</summary>
    Task ShowWhileWorkingAsync(IncomingMessage message, CancellationToken answered);
}
