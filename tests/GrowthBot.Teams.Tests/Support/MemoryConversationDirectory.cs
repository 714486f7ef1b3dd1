using GrowthBot.Core.Conversations;

namespace GrowthBot.Teams.Tests.Support;

/// <summary>A hand-written in-memory <see cref="IConversationDirectory"/>.</summary>
internal sealed class MemoryConversationDirectory : IConversationDirectory
{
    private readonly Dictionary<(ChatPlatform, string), KnownConversation> _conversations = [];

    public void Remember(KnownConversation conversation) => _conversations[(conversation.Platform, conversation.ConversationId)] = conversation;

    public void Forget(ChatPlatform platform, string conversationId) => _conversations.Remove((platform, conversationId));

    public KnownConversation? Find(ChatPlatform platform, string conversationId) => _conversations.GetValueOrDefault((platform, conversationId));

    public KnownConversation? FindPersonal(ChatPlatform platform, string userId) =>
        _conversations.Values.Where(c => c.Platform == platform && c.Kind == ConversationKind.Personal && c.UserId == userId).MaxBy(c => c.SeenAt);

    public IReadOnlyList<KnownConversation> All(ChatPlatform platform) => [.. _conversations.Values.Where(c => c.Platform == platform)];
}
