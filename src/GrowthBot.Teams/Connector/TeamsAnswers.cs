using System.Collections.Concurrent;

namespace GrowthBot.Teams.Connector;

/// <summary>
/// Which activity of the bot answered which question, for the newest questions: an edited question's
/// answer is updated in place and a deleted question's answer removed. Kept in memory (bounded): after a
/// restart an edited question is answered with a new reply and a deleted one's answer stays.
/// </summary>
internal sealed class TeamsAnswers
{
    /// <summary>At most this many answers are remembered; the oldest go first.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<(string Conversation, string Question), Answer> _answers = new();
    private readonly ConcurrentQueue<(string, string)> _order = new();

    /// <summary>Where the answer is: the conversation it was posted in (a channel thread's own id) and its activity id.</summary>
    internal sealed record Answer(string ConversationId, string ActivityId);

    public void Remember(string conversationId, string questionId, Answer answer)
    {
        var key = (TeamsConnectorClient.ThreadOf(conversationId), questionId);
        if (_answers.TryAdd(key, answer)) _order.Enqueue(key);
        else _answers[key] = answer;
        while (_answers.Count > Capacity && _order.TryDequeue(out var oldest)) _answers.TryRemove(oldest, out _);
    }

    public Answer? Find(string conversationId, string questionId) =>
        _answers.TryGetValue((TeamsConnectorClient.ThreadOf(conversationId), questionId), out var answer) ? answer : null;

    public Answer? Forget(string conversationId, string questionId) =>
        _answers.TryRemove((TeamsConnectorClient.ThreadOf(conversationId), questionId), out var answer) ? answer : null;
}
