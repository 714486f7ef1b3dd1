using System.Collections.Concurrent;
using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Connector;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Teams;

/// <summary>
/// Tells staff from guests and external users in Teams: the connector's member record gives the
/// user's role ("guest" and "anonymous" are guests) and the tenant they belong to (another
/// tenant's id for a federated user). Cached for an hour per user. If Teams cannot say, the person
/// is treated as a guest: metrics are never shown on a guess.
/// </summary>
internal sealed partial class TeamsRequesterDirectory(
    TeamsConnectorClient connector,
    UserSightings sightings,
    IConversationDirectory directory,
    TimeProvider time,
    ILogger<TeamsRequesterDirectory> logger) : IRequesterDirectory
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, (TeamsMember Member, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public ChatPlatform Platform => ChatPlatform.Teams;

    public async Task<Requester> ResolveAsync(Requester requester, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requester);
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(requester.UserId, out var cached) || cached.Until <= now)
        {
            var member = await LookUpAsync(requester, cancellationToken).ConfigureAwait(false);
            if (member is null) return requester with { IsGuest = true };
            cached = (member, now + CacheFor);
            _cache[requester.UserId] = cached;
        }
        return requester with
        {
            OrganisationId = cached.Member.TenantId ?? requester.OrganisationId,
            IsGuest = requester.IsGuest || cached.Member.IsGuest,
            DisplayName = requester.DisplayName ?? cached.Member.Name,
        };
    }

    private async Task<TeamsMember?> LookUpAsync(Requester requester, CancellationToken cancellationToken)
    {
        var where = sightings.Find(requester.UserId);
        if (where is null && directory.FindPersonal(ChatPlatform.Teams, requester.UserId) is { Route: { } route } personal && Uri.TryCreate(route, UriKind.Absolute, out var serviceUrl))
        {
            // Teams finds a member by their Entra object id as well as by their channel account id.
            where = new Sighting(serviceUrl, personal.ConversationId, requester.UserId);
        }
        if (where is not { } place)
        {
            LogNowhere(requester.UserId);
            return null;
        }
        try
        {
            var member = await connector.GetMemberAsync(place.ServiceUrl, place.ConversationId, place.AccountId, cancellationToken).ConfigureAwait(false);
            if (member is null) LogNotMember(requester.UserId, place.ConversationId);
            return member;
        }
        catch (ChatDeliveryException exception)
        {
            LogLookupFailed(requester.UserId, exception.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: no conversation is known in which to look up {UserId}; treating them as a guest")]
    private partial void LogNowhere(string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: {UserId} is not a member of {Conversation}; treating them as a guest")]
    private partial void LogNotMember(string userId, string conversation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: looking up member {UserId} failed ({Reason}); treating them as a guest")]
    private partial void LogLookupFailed(string userId, string reason);
}
