using System.Collections.Concurrent;
using GrowthBot.Teams.Connector;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Teams.Inbound;

/// <summary>
/// Teams' mention entities name a person by their channel account id only (<c>{id: "29:…", name}</c>,
/// no Entra object id), while the same person's own messages and card presses arrive under their
/// Entra object id. Before a message is stored, each mentioned person is looked up through the
/// connector's member lookup (<c>GET v3/conversations/{id}/members/{29:…}</c>) and known by their
/// object id, so "survey nps @ana" invites the Ana whose press will later arrive. Lookups are cached
/// (account ids are stable for one bot); a failed lookup leaves the channel id and is logged.
/// </summary>
internal sealed partial class MentionResolver(TeamsConnectorClient connector, TeamsBotIdentity identity, UserSightings sightings, ILogger<MentionResolver> logger)
{
    private const int Capacity = 50_000;

    /// <summary>How long resolving may delay the acknowledgement; Teams waits about 15 seconds.</summary>
    internal static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, string> _objectIds = new(StringComparer.Ordinal);

    public async Task<TeamsActivity> ResolveAsync(TeamsActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.Type != "message" || activity.Mentions.Count == 0) return activity;
        if (!activity.Mentions.Any(mention => NeedsLookup(activity, mention))) return activity;
        if (!Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUrl) || string.IsNullOrEmpty(activity.ConversationId)) return activity;

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        var conversation = TeamsConnectorClient.ThreadOf(activity.ConversationId);
        var resolved = new List<TeamsMention>(activity.Mentions.Count);
        foreach (var mention in activity.Mentions)
        {
            if (!NeedsLookup(activity, mention))
            {
                resolved.Add(mention);
                continue;
            }
            var objectId = await ObjectIdOfAsync(serviceUrl, conversation, mention.Mentioned.Id, budget.Token).ConfigureAwait(false);
            resolved.Add(objectId is null ? mention : mention with { Mentioned = mention.Mentioned with { AadObjectId = objectId } });
        }
        return activity with { Mentions = resolved };
    }

    /// <summary>A person mentioned without an object id: not the bot, not a channel or team ("19:…"), not another bot ("28:…").</summary>
    private bool NeedsLookup(TeamsActivity activity, TeamsMention mention) =>
        string.IsNullOrEmpty(mention.Mentioned.AadObjectId)
        && !identity.IsBot(mention.Mentioned.Id, activity.Recipient?.Id)
        && !mention.Mentioned.Id.StartsWith("19:", StringComparison.Ordinal)
        && !mention.Mentioned.Id.StartsWith("28:", StringComparison.Ordinal);

    private async Task<string?> ObjectIdOfAsync(Uri serviceUrl, string conversation, string accountId, CancellationToken cancellationToken)
    {
        if (_objectIds.TryGetValue(accountId, out var known)) return known;
        try
        {
            var member = await connector.GetMemberAsync(serviceUrl, conversation, accountId, cancellationToken).ConfigureAwait(false);
            if (member?.AadObjectId is not { Length: > 0 } objectId)
            {
                LogUnresolved(accountId, "not a member of the conversation, or no object id");
                return null;
            }
            if (_objectIds.Count >= Capacity) _objectIds.Clear();
            _objectIds[accountId] = objectId;
            // Where the person can be reached: a 1:1 chat opened for them is created with their account id, in their tenant.
            sightings.Saw(objectId, serviceUrl, conversation, accountId, member.TenantId);
            return objectId;
        }
        catch (Exception exception) when (exception is GrowthBot.Core.Conversations.ChatDeliveryException or OperationCanceledException)
        {
            LogUnresolved(accountId, exception.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: the mentioned account {AccountId} could not be resolved to an Entra object id ({Reason}); kept as mentioned")]
    private partial void LogUnresolved(string accountId, string reason);
}
