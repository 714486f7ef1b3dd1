using System.Collections.Concurrent;
using GrowthBot.Core.Conversations;

namespace GrowthBot.Core.Questions;

/// <summary>Whose question a follow-up continues: the same person in the same conversation on the same platform.</summary>
internal readonly record struct ConversationKey(ChatPlatform Platform, string ConversationId, string UserId);

/// <summary>
/// Remembers each person's last understood question per conversation, so "and last month?" can
/// reuse it. An entry expires <see cref="Lifetime"/> after it was written, measured by the injected
/// clock. In memory (a restart forgets everything), or in a shared store when several hosts answer
/// (<see cref="IQuestionContextStore"/>); if that store cannot be reached, a question is answered as a
/// fresh one rather than not at all.
/// </summary>
internal sealed class FollowUpMemory(TimeProvider time, TimeSpan? lifetime = null, IQuestionContextStore? shared = null)
{
    private const int SweepAbove = 10_000;
    private readonly ConcurrentDictionary<ConversationKey, (ParsedQuestion Question, DateTimeOffset Expires)> _entries = new();

    public TimeSpan Lifetime { get; } = lifetime ?? TimeSpan.FromMinutes(30);

    public int Count => _entries.Count;

    public ParsedQuestion? Recall(ConversationKey key)
    {
        if (shared is not null)
        {
            try
            {
                return shared.Recall(key.Platform, key.ConversationId, key.UserId, time.GetUtcNow());
            }
            catch (Ports.StoreUnavailableException)
            {
                return null;
            }
        }
        if (!_entries.TryGetValue(key, out var entry)) return null;
        if (entry.Expires > time.GetUtcNow()) return entry.Question;
        _entries.TryRemove(new KeyValuePair<ConversationKey, (ParsedQuestion, DateTimeOffset)>(key, entry));
        return null;
    }

    public void Remember(ConversationKey key, ParsedQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var now = time.GetUtcNow();
        if (shared is not null)
        {
            try
            {
                shared.Remember(key.Platform, key.ConversationId, key.UserId, question, now, now + Lifetime);
            }
            catch (Ports.StoreUnavailableException)
            {
                // The answer was given; only the next follow-up loses its context.
            }
            return;
        }
        _entries[key] = (question, now + Lifetime);
        if (_entries.Count > SweepAbove)
        {
            foreach (var (staleKey, stale) in _entries)
            {
                if (stale.Expires <= now) _entries.TryRemove(new KeyValuePair<ConversationKey, (ParsedQuestion, DateTimeOffset)>(staleKey, stale));
            }
        }
    }
}
