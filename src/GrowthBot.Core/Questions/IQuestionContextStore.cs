using GrowthBot.Core.Conversations;

namespace GrowthBot.Core.Questions;

/// <summary>
/// Where each person's last understood question per conversation is kept when several hosts answer the
/// same conversations (PostgreSQL): a follow-up ("and last month?") may reach another host than the
/// question it continues. Without one, each host remembers in its own memory (<see cref="FollowUpMemory"/>).
/// </summary>
public interface IQuestionContextStore
{
    /// <summary>The question remembered for this person in this conversation, unless it expired by <paramref name="now"/>.</summary>
    ParsedQuestion? Recall(ChatPlatform platform, string conversationId, string userId, DateTimeOffset now);

    /// <summary>
    /// Remembers <paramref name="question"/> for this person in this conversation until <paramref name="expires"/>,
    /// replacing any earlier one; what expired by <paramref name="now"/> may be discarded.
    /// </summary>
    void Remember(ChatPlatform platform, string conversationId, string userId, ParsedQuestion question, DateTimeOffset now, DateTimeOffset expires);
}
