namespace GrowthBot.Core.Conversations;

/// <summary>One of a platform's documented limits: at most <see cref="Count"/> calls in any <see cref="Window"/>.</summary>
public readonly record struct RateLimit(int Count, TimeSpan Window);

/// <summary>A key a call counts against (a conversation, a tenant, the bot) and the limits that key keeps.</summary>
public readonly record struct RateKey(string Key, IReadOnlyList<RateLimit> Limits);

/// <summary>
/// Call slots under several sliding windows at once (Teams: per conversation 7 a second, 8 in 2 seconds,
/// 60 in 30 seconds, 1800 an hour; 50 a second per tenant), so a platform's limits hold however many hosts
/// call it. The storage adapter decides how far it is shared: <see cref="LocalRateWindowStore"/> for one
/// process (LiteDB), a slot log every host writes on PostgreSQL.
/// </summary>
public interface IRateWindowStore
{
    /// <summary>
    /// Reserves, in one atomic step and in arrival order, the earliest time at or after
    /// <paramref name="notBefore"/> (and not before the last slot reserved on any of the keys) at which every
    /// limit of every key has room, records it on every key, and returns it. The caller calls at that slot.
    /// </summary>
    DateTimeOffset Reserve(ChatPlatform platform, IReadOnlyList<RateKey> keys, DateTimeOffset notBefore);
}
