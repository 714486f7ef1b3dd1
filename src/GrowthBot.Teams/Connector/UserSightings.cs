using System.Collections.Concurrent;

namespace GrowthBot.Teams.Connector;

/// <summary>
/// Where each user was last seen talking to the bot (service URL and conversation), so their
/// membership (role, tenant) can be read from the connector, which answers per conversation.
/// In memory: after a restart a user is looked up again from the conversations the store keeps.
/// </summary>
internal sealed class UserSightings
{
    private const int Capacity = 50_000;
    private readonly ConcurrentDictionary<string, (Uri ServiceUrl, string ConversationId)> _seen = new(StringComparer.Ordinal);

    public void Saw(string userId, Uri serviceUrl, string conversationId)
    {
        if (_seen.Count >= Capacity) _seen.Clear(); // a rough bound; a cleared user is looked up from the store instead
        _seen[userId] = (serviceUrl, conversationId);
    }

    public (Uri ServiceUrl, string ConversationId)? Find(string userId) => _seen.TryGetValue(userId, out var seen) ? seen : null;
}
