namespace GrowthBot.Core.Conversations;

/// <summary>
/// Where the bot can post without being asked: a channel, group chat or 1:1 chat on one platform.
/// <see cref="ConversationId"/> is the Slack channel id or the Teams conversation id (whose
/// service URL and tenant the Teams adapter keeps in the <see cref="IConversationDirectory"/>).
/// <see cref="Workspace"/> is the adapter's opaque installation key (see <see cref="Requester.Workspace"/>),
/// null when the adapter has only one.
/// </summary>
public sealed record ChatAddress(ChatPlatform Platform, string ConversationId, string? Workspace = null);

/// <summary>A message the bot posted: where, and the platform's id for it (Slack ts, Teams activity id), so it can be updated.</summary>
public sealed record PostedMessage(ChatAddress Address, string MessageId);

/// <summary>
/// Sends messages the bot starts itself (digests, survey invitations, reminders) and updates
/// them (a survey's buttons replaced by its thank-you). One per platform adapter. Sends are
/// paced within the platform's rate limits and retried on 429/5xx inside the adapter; what
/// cannot be delivered throws <see cref="ChatDeliveryException"/> saying why.
/// </summary>
public interface IChatSender
{
    ChatPlatform Platform { get; }

    /// <summary>Posts a message to a conversation, returning its id.</summary>
    Task<PostedMessage> SendAsync(ChatAddress address, ChatMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Posts a message that is sent once under <paramref name="sendId"/> (a digest's subscription and period,
    /// say). When <paramref name="resumed"/>, an earlier attempt may have posted it and stopped before recording
    /// that (its host died, or it failed after the platform took the post): an adapter that can read its own
    /// posts back looks for the one carrying <paramref name="sendId"/> and returns it instead of posting again.
    /// The default, for a platform that cannot (Teams), posts.
    /// </summary>
    Task<PostedMessage> SendOnceAsync(ChatAddress address, ChatMessage message, string sendId, bool resumed, CancellationToken cancellationToken) =>
        SendAsync(address, message, cancellationToken);

    /// <summary>
    /// Opens (or finds) the 1:1 conversation between the bot and a user, for surveys.
    /// <paramref name="workspace"/> is the adapter's opaque installation key the user was seen in
    /// (<see cref="Requester.Workspace"/>, kept with their survey link), or null when unknown; an
    /// adapter with several installations needs it to know whose credentials reach the user, and
    /// refuses saying so when it is null and it cannot tell.
    /// </summary>
    Task<ChatAddress> OpenDirectAsync(string userId, string? workspace, CancellationToken cancellationToken);

    /// <summary>Replaces a message the bot posted earlier.</summary>
    Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken cancellationToken);
}

/// <summary>Why a message could not be delivered.</summary>
public enum ChatDeliveryFailure
{
    /// <summary>Rate limited or the platform failed (429, 5xx, timeout) after the adapter's own retries: worth trying again later.</summary>
    Transient,

    /// <summary>The conversation is gone or closed to the bot: archived, deleted, bot removed or not a member.</summary>
    ConversationUnavailable,

    /// <summary>The user cannot be reached (unknown, deactivated, outside the tenant).</summary>
    UserUnavailable,

    /// <summary>The bot's credentials were refused.</summary>
    Unauthorized,

    /// <summary>The platform refused the message itself (too large, invalid markup).</summary>
    Rejected,

    /// <summary>The platform is not configured in this host.</summary>
    NotConfigured,
}

/// <summary>A send or update the platform refused; <see cref="Failure"/> tells a retry from a report.</summary>
public sealed class ChatDeliveryException : Exception
{
    public ChatDeliveryException()
    {
    }

    public ChatDeliveryException(string message)
        : base(message)
    {
    }

    public ChatDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ChatDeliveryException(ChatDeliveryFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public ChatDeliveryFailure Failure { get; } = ChatDeliveryFailure.Transient;

    /// <summary>True when trying again later may succeed.</summary>
    public bool IsTransient => Failure == ChatDeliveryFailure.Transient;
}
