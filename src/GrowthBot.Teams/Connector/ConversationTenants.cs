using System.Collections.Concurrent;
using GrowthBot.Core.Conversations;

namespace GrowthBot.Teams.Connector;

/// <summary>
/// Which tenant a conversation belongs to, for Teams' per-app-per-tenant rate limit: learned from
/// the conversations the bot remembers, read from the store once per conversation and then kept.
/// </summary>
internal sealed class ConversationTenants(IConversationDirectory directory)
{
    private const int Capacity = 100_000;
    private readonly ConcurrentDictionary<string, string> _tenants = new(StringComparer.Ordinal);

    public void Learn(string conversationId, string? tenantId)
    {
        if (string.IsNullOrEmpty(tenantId)) return;
        if (_tenants.Count >= Capacity) _tenants.Clear();
        _tenants[conversationId] = tenantId;
    }

    public string? TenantOf(string conversationId)
    {
        if (_tenants.TryGetValue(conversationId, out var known)) return known;
        var tenant = directory.Find(ChatPlatform.Teams, conversationId)?.OrganisationId;
        Learn(conversationId, tenant);
        return tenant;
    }
}
