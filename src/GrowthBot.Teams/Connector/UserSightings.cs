using System.Collections.Concurrent;

namespace GrowthBot.Teams.Connector;

/// <summary>
/// Where each user was last seen talking to the bot (service URL, conversation and their channel
/// account id there), so their membership (role, tenant) can be read from the connector, which
/// answers per conversation and knows every member by their channel account id.
/// In memory: after a restart a user is looked up again from the conversations the store keeps.
/// </summary>
internal sealed class UserSightings
{
    private const int Capacity = 50_000;
    private readonly ConcurrentDictionary<string, Sighting> _seen = new(StringComparer.Ordinal);

    public void Saw(string userId, Uri serviceUrl, string conversationId, string accountId, string? tenantId = null)
    {
        if (_seen.Count >= Capacity) _seen.Clear(); // a rough bound; a cleared user is looked up from the store instead
        _seen[userId] = new Sighting(serviceUrl, conversationId, accountId, tenantId ?? Find(userId)?.TenantId);
    }

    public Sighting? Find(string userId) => _seen.TryGetValue(userId, out var seen) ? seen : null;
}

/// <summary>Where a user was seen: the service URL, the conversation, their channel account id in it, and their tenant when known.</summary>
internal sealed record Sighting(Uri ServiceUrl, string ConversationId, string AccountId, string? TenantId = null);
