using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Connector;
using GrowthBot.Teams.Rendering;
using Microsoft.Extensions.Options;

namespace GrowthBot.Teams;

/// <summary>
/// Sends the messages the bot starts itself (digests, survey invitations) to conversations it
/// remembers from installations and earlier messages: the stored service URL is where Teams
/// accepts them. A 1:1 chat with a user is the remembered one, or is created with the service URL
/// and tenant of a conversation the bot already has in that user's tenant (or <c>Teams:ServiceUrl</c>
/// and <c>Teams:TenantId</c>), and remembered.
/// </summary>
internal sealed class TeamsChatSender(
    TeamsConnectorClient connector,
    TeamsBotIdentity identity,
    IConversationDirectory directory,
    UserSightings sightings,
    IOptions<TeamsOptions> options,
    TimeProvider time,
    TeamsImageCache images,
    Graph.TeamsAppInstaller? installer = null,
    Microsoft.Extensions.Logging.ILogger<TeamsChatSender>? logger = null) : IChatSender
{
    public ChatPlatform Platform => ChatPlatform.Teams;

    public async Task<PostedMessage> SendAsync(ChatAddress address, ChatMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(message);
        // A conversation remembered from a channel message is that message's thread ("19:…;messageid=…"):
        // a message the bot starts itself (a weekly digest) is a new post in the channel, not one more
        // reply under the thread where someone once typed "subscribe".
        var conversationId = TeamsConnectorClient.ThreadOf(address.ConversationId);
        var serviceUrl = RouteOf(conversationId);
        var id = await connector.SendAsync(serviceUrl, conversationId, OutgoingActivity.Message(message, identity.BotId, images), cancellationToken).ConfigureAwait(false)
            ?? throw new ChatDeliveryException(ChatDeliveryFailure.Transient, $"Teams accepted the message to {conversationId} but returned no activity id");
        return new PostedMessage(address with { ConversationId = conversationId }, id);
    }

    /// <remarks>Teams needs no workspace: the user's tenant comes from where they were seen (or <c>Teams:TenantId</c>), so <paramref name="workspace"/> is not used.</remarks>
    public async Task<ChatAddress> OpenDirectAsync(string userId, string? workspace, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        if (directory.FindPersonal(ChatPlatform.Teams, userId) is { } known) return new ChatAddress(ChatPlatform.Teams, known.ConversationId);

        var seen = sightings.Find(userId);
        var (serviceUrl, tenantId) = WhereToCreate(userId, seen);
        await PreinstallAsync(userId, tenantId, cancellationToken).ConfigureAwait(false);
        // Teams' documented member id is the channel account id ("29:…"); the Entra object id is used when that is not known.
        var created = await connector.CreateDirectAsync(serviceUrl, tenantId, seen?.AccountId ?? userId, identity.BotId, cancellationToken).ConfigureAwait(false);
        directory.Remember(new KnownConversation(ChatPlatform.Teams, created.Id, ConversationKind.Personal, tenantId, null, null, userId, serviceUrl.ToString(), time.GetUtcNow()));
        return new ChatAddress(ChatPlatform.Teams, created.Id);
    }

    public Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(posted);
        ArgumentNullException.ThrowIfNull(message);
        var serviceUrl = RouteOf(posted.Address.ConversationId);
        return connector.UpdateAsync(serviceUrl, posted.Address.ConversationId, posted.MessageId, OutgoingActivity.Message(message, identity.BotId, images), cancellationToken);
    }

    /// <summary>
    /// With <c>Teams:PreinstallForSurveys</c>, installs the app for a home-tenant user (known by their Entra
    /// object id) through Microsoft Graph first, so the chat can be opened even if they never opened the bot.
    /// A refusal is logged and the chat is tried anyway (the app may be installed already); if that fails
    /// too, its own error says why.
    /// </summary>
    private async Task PreinstallAsync(string userId, string tenantId, CancellationToken cancellationToken)
    {
        if (installer is not { Enabled: true } || !Guid.TryParse(userId, out _)) return;
        if (!string.Equals(tenantId, options.Value.TenantId?.Trim(), StringComparison.OrdinalIgnoreCase)) return;
        try
        {
            await installer.InstallForUserAsync(userId, cancellationToken).ConfigureAwait(false);
        }
        catch (ChatDeliveryException exception)
        {
            if (logger is not null) LogPreinstallFailed(logger, userId, exception.Message, null);
        }
    }

    private static readonly Action<Microsoft.Extensions.Logging.ILogger, string, string, Exception?> LogPreinstallFailed =
        Microsoft.Extensions.Logging.LoggerMessage.Define<string, string>(Microsoft.Extensions.Logging.LogLevel.Warning, default,
            "Teams: the app could not be pre-installed for {User} ({Reason}); opening the chat anyway");

    private Uri RouteOf(string conversationId)
    {
        var known = directory.Find(ChatPlatform.Teams, conversationId) ?? directory.Find(ChatPlatform.Teams, TeamsConnectorClient.ThreadOf(conversationId));
        if (known?.Route is { } route && Uri.TryCreate(route, UriKind.Absolute, out var serviceUrl)) return serviceUrl;
        throw new ChatDeliveryException(ChatDeliveryFailure.ConversationUnavailable,
            $"GrowthBot has no record of Teams conversation {conversationId}: add the app to it (or message the bot there) first.");
    }

    /// <summary>
    /// The service URL and tenant for a new 1:1 chat, in the user's own tenant: that of a
    /// conversation the bot has with them, or where they were seen (their messages, or the member
    /// lookup of a mention), else the home tenant (<c>Teams:TenantId</c>), else the only tenant the
    /// bot knows. A multi-tenant bot that cannot tell the user's tenant refuses rather than guess
    /// (the tenant that spoke last is nobody's answer).
    /// </summary>
    private (Uri ServiceUrl, string TenantId) WhereToCreate(string userId, Sighting? seen)
    {
        var settings = options.Value;
        var conversations = directory.All(ChatPlatform.Teams);
        var mine = conversations.Where(conversation => string.Equals(conversation.UserId, userId, StringComparison.Ordinal) && conversation.OrganisationId is not null)
            .OrderByDescending(conversation => conversation.SeenAt).FirstOrDefault();
        var home = string.IsNullOrWhiteSpace(settings.TenantId) ? null : settings.TenantId.Trim();
        var tenants = conversations.Select(conversation => conversation.OrganisationId).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var tenantId = mine?.OrganisationId ?? seen?.TenantId ?? home ?? (tenants.Count == 1 ? tenants[0] : null)
            ?? throw new ChatDeliveryException(ChatDeliveryFailure.UserUnavailable,
                $"Cannot open a Teams chat with {userId}: GrowthBot does not know which tenant they belong to (it has not seen them in any conversation yet) and Teams:TenantId is not set.");
        var inTenant = mine ?? conversations
            .Where(conversation => string.Equals(conversation.OrganisationId, tenantId, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(conversation => conversation.SeenAt).FirstOrDefault();
        var route = inTenant?.Route ?? seen?.ServiceUrl.ToString() ?? settings.EffectiveServiceUrl
            ?? throw new ChatDeliveryException(ChatDeliveryFailure.UserUnavailable,
                $"Cannot open a Teams chat with {userId}: no conversation in their tenant is known yet, and this cloud has no documented Teams service URL (set Teams:ServiceUrl).");
        return (new Uri(route), tenantId);
    }
}
