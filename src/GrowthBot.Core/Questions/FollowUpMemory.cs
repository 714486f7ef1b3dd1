using System.Collections.Concurrent;
using GrowthBot.Core.Conversations;

namespace GrowthBot.Core.Questions;

/// <summary>Whose question a follow-up continues: the same person in the same conversation on the same platform.</summary>
internal readonly record struct ConversationKey(ChatPlatform Platform, string ConversationId, string UserId);

/// <summary>
/// Remembers each person's last understood question per conversation, so "and last month?" can
/// reuse it. In memory only; an entry expires <see cref="Lifetime"/> after it was written, measured
/// by the injected clock, and a restart forgets everything.
/// </summary>
internal sealed class FollowUpMemory(TimeProvider time, TimeSpan? lifetime = null)
{
    private const int SweepAbove = 10_000;
    private readonly ConcurrentDictionary<ConversationKey, (ParsedQuestion Question, DateTimeOffset Expires)> _entries = new();

    public TimeSpan Lifetime { get; } = lifetime ?? TimeSpan.FromMinutes(30);

    public int Count => _entries.Count;

    public ParsedQuestion? Recall(ConversationKey key)
    {
        if (!_entries.TryGetValue(key, out var entry)) return null;
        if (entry.Expires > time.GetUtcNow()) return entry.Question;
        _entries.TryRemove(new KeyValuePair<ConversationKey, (ParsedQuestion, DateTimeOffset)>(key, entry));
        return null;
    }

    public void Remember(ConversationKey key, ParsedQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var now = time.GetUtcNow();
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
