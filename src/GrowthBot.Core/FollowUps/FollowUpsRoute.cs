using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;

namespace GrowthBot.Core.FollowUps;

/// <summary><c>followups</c> (or <c>follow-ups</c>): the open cases with their age and who has them. Staff only.</summary>
public sealed class FollowUpsRoute(IFollowUpStore store, IAccessPolicy access, string companyName, TimeProvider time) : IMessageRoute
{
    private static readonly string[] Verbs = ["followups", "follow-ups"];

    public IReadOnlyList<string> HelpLines { get; } = ["followups — the open follow-ups of unhappy survey answers, with their age and who has them"];

    public bool Claims(IncomingMessage message) => message is not null && Verbs.Any(verb => CommandWords.StartsWith(message.Text, verb));

    public Task<ChatMessage?> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!access.IsStaff(message.From)) return Task.FromResult<ChatMessage?>(AccessReplies.MetricsRefused(companyName));
        return Task.FromResult<ChatMessage?>(FollowUpMessages.List(store.Open(), time.GetUtcNow()));
    }
}
