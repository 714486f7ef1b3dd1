namespace GrowthBot.Teams;

/// <summary>
/// Where a reply to a message goes, carried in <see cref="Core.Conversations.IncomingMessage.ThreadId"/>:
/// in a channel thread, the thread's own conversation id and the message answered
/// ("19:…;messageid=ROOT|ACTIVITY"); elsewhere just the message answered, in the message's conversation.
/// </summary>
internal static class TeamsThread
{
    private const char Separator = '|';

    public static string Encode(string threadConversationId, string replyToId) => threadConversationId + Separator + replyToId;

    /// <summary>The conversation and activity to reply to, or null when the message is answered as a new post.</summary>
    public static (string ConversationId, string ReplyToId)? Decode(string conversationId, string? threadId)
    {
        if (string.IsNullOrEmpty(threadId)) return null;
        var cut = threadId.LastIndexOf(Separator);
        return cut < 0 ? (conversationId, threadId) : (threadId[..cut], threadId[(cut + 1)..]);
    }
}
