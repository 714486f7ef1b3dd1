namespace GrowthBot.Core.Conversations;

/// <summary>
/// Who can read a conversation, as far as showing metrics there goes. <see cref="OnlyStaff"/> is
/// false for a channel shared with another organisation or with guests in it, and when the platform
/// could not say (metrics are never shown on a guess); <see cref="Reason"/> then says why, in words
/// for the person.
/// </summary>
public sealed record ConversationAudience(bool OnlyStaff, string? Reason = null)
{
    public static readonly ConversationAudience Staff = new(true);
}

/// <summary>
/// Tells whether a conversation is read only by staff. One per platform adapter that can tell;
/// a platform without one is taken as it always was (the asker alone is checked).
/// </summary>
public interface IConversationAudience
{
    ChatPlatform Platform { get; }

    /// <summary>Who can read the conversation at <paramref name="address"/> (its workspace says which installation to ask).</summary>
    Task<ConversationAudience> CheckAsync(ChatAddress address, CancellationToken cancellationToken);
}
