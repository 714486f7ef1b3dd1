namespace GrowthBot.Core.Conversations;

/// <summary>What kind of conversation the bot is in.</summary>
public enum ConversationKind
{
    /// <summary>A 1:1 chat with one user (Slack DM, Teams personal scope).</summary>
    Personal,

    /// <summary>A group chat.</summary>
    Group,

    /// <summary>A channel (Slack channel, Teams team channel).</summary>
    Channel,
}

/// <summary>
/// A conversation the bot has been added to or spoken in, remembered so it can post there later
/// (Teams needs the service URL and tenant to send proactively). <see cref="Route"/> is opaque
/// adapter data (the Teams service URL); <see cref="UserId"/> is the other person in a personal chat.
/// </summary>
public sealed record KnownConversation(
    ChatPlatform Platform,
    string ConversationId,
    ConversationKind Kind,
    string? OrganisationId,
    string? TeamId,
    string? Name,
    string? UserId,
    string? Route,
    DateTimeOffset SeenAt);

/// <summary>
/// The durable record of <see cref="KnownConversation"/>s (installation, first message, bot
/// added to a channel), kept in the store so digests and surveys reach them after a restart.
/// </summary>
public interface IConversationDirectory
{
    /// <summary>Records or refreshes a conversation (keyed by platform and conversation id).</summary>
    void Remember(KnownConversation conversation);

    /// <summary>Forgets a conversation the bot was removed from.</summary>
    void Forget(ChatPlatform platform, string conversationId);

    KnownConversation? Find(ChatPlatform platform, string conversationId);

    /// <summary>The personal (1:1) conversation with a user, if the bot has one.</summary>
    KnownConversation? FindPersonal(ChatPlatform platform, string userId);

    IReadOnlyList<KnownConversation> All(ChatPlatform platform);
}
