using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace GrowthBot.Slack.Simulator;

/// <summary>What a response_url answers for: the conversation, and the message it may replace (the pressed message, or a command's last answer).</summary>
internal sealed class SimResponseTarget(string channel, string? threadTs)
{
    public string Channel { get; } = channel;

    public string? ThreadTs { get; } = threadTs;

    public SimMessage? Original { get; set; }

    public DateTimeOffset IssuedAt { get; init; }

    public int Uses { get; set; }
}

/// <summary>
/// The response_urls handed out with slash commands and button presses. As Slack documents, one
/// is good for 5 posts within 30 minutes; after that it answers 404 (<c>used_url</c>,
/// <c>expired_url</c>), which is how a bot that keeps using an old one finds out.
/// </summary>
internal sealed class SimResponseUrls(TimeProvider time)
{
    public const int MaxUses = 5;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    private readonly ConcurrentDictionary<string, SimResponseTarget> _targets = new(StringComparer.Ordinal);

    /// <summary>A new response_url path (under the simulator's base address) for this conversation and message.</summary>
    public string Issue(string channel, string? threadTs, SimMessage? original)
    {
        // Slack's look like /commands/T…/1234/secret or /actions/T…/1234/secret.
        var id = $"{RandomNumberGenerator.GetInt32(1_000_000, int.MaxValue)}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
        _targets[id] = new SimResponseTarget(channel, threadTs) { Original = original, IssuedAt = time.GetUtcNow() };
        return id;
    }

    /// <summary>The target for one more use, or the error Slack would answer; a slash command's inline answer does not count as a use.</summary>
    public (SimResponseTarget? Target, string? Error) Use(string id, bool counts = true)
    {
        if (!_targets.TryGetValue(id, out var target)) return (null, "invalid_url");
        lock (target)
        {
            if (time.GetUtcNow() - target.IssuedAt > Lifetime) return (null, "expired_url");
            if (target.Uses >= MaxUses) return (null, "used_url");
            if (counts) target.Uses++;
            return (target, null);
        }
    }
}
