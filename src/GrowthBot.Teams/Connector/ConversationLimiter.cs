using GrowthBot.Core.Conversations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrowthBot.Teams.Connector;

/// <summary>
/// Keeps the bot's connector calls within Teams' documented rate limits ("Optimize your bot with
/// rate limiting in Teams"): per bot and conversation, sending 7 per second, 8 per 2 seconds, 60 per
/// 30 seconds and 1800 per hour; creating conversations the same (per bot); reading members 14 per
/// second, 16 per 2 seconds, 120 per 30 seconds and 3600 per hour (per bot and conversation); and
/// the global 50 requests per second per app per tenant across every call. Each call reserves the
/// earliest moment at which every window it counts against has room, in arrival order, and waits
/// for it on the injected clock. Calls that share no window do not wait for each other.
/// The slots come from the store's <see cref="IRateWindowStore"/>, so hosts sharing a PostgreSQL
/// database keep the limits together; if it cannot be reached, this host keeps them for its own calls
/// until it can (Teams' 429s are still honoured by the client).
/// </summary>
internal sealed partial class ConversationLimiter(TimeProvider time, IRateWindowStore? windows = null, ILogger? logger = null)
{
    /// <summary>Sending (post, reply, update) per conversation.</summary>
    public static readonly IReadOnlyList<RateLimit> SendLimits =
    [
        new(7, TimeSpan.FromSeconds(1)),
        new(8, TimeSpan.FromSeconds(2)),
        new(60, TimeSpan.FromSeconds(30)),
        new(1800, TimeSpan.FromHours(1)),
    ];

    /// <summary>Creating conversations, per bot.</summary>
    public static readonly IReadOnlyList<RateLimit> CreateLimits = SendLimits;

    /// <summary>Reading conversation members, per conversation.</summary>
    public static readonly IReadOnlyList<RateLimit> MemberLimits =
    [
        new(14, TimeSpan.FromSeconds(1)),
        new(16, TimeSpan.FromSeconds(2)),
        new(120, TimeSpan.FromSeconds(30)),
        new(3600, TimeSpan.FromHours(1)),
    ];

    /// <summary>The global limit per app per tenant, over every call.</summary>
    public static readonly IReadOnlyList<RateLimit> TenantLimits = [new(50, TimeSpan.FromSeconds(1))];

    private readonly IRateWindowStore _slots = windows ?? new LocalRateWindowStore();
    private readonly LocalRateWindowStore _fallback = new();
    private readonly SharedOrLocalSlots _sharedOrLocal = new(
        exception => LogLocal(logger ?? NullLogger.Instance, exception.GetType().Name, exception.Message), () => LogShared(logger ?? NullLogger.Instance));

    /// <summary>The window sending to <paramref name="conversationId"/> counts against (a channel's threads pass the channel's id).</summary>
    public static RateKey SendKey(string conversationId) => new("send|" + conversationId, SendLimits);

    /// <summary>Reserves the next send slot for <paramref name="conversationId"/> and waits until it comes.</summary>
    public Task WaitTurnAsync(string conversationId, CancellationToken cancellationToken) =>
        WaitAsync([SendKey(conversationId)], cancellationToken);

    /// <summary>Reserves a slot counting against every window given and waits until it comes.</summary>
    public async Task WaitAsync(IReadOnlyList<RateKey> windows, CancellationToken cancellationToken)
    {
        var wait = Reserve(windows);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A send slot for one conversation; zero when there is room now.</summary>
    internal TimeSpan Reserve(string conversationId) => Reserve([SendKey(conversationId)]);

    /// <summary>Reserves a slot in every window and returns how long until it (zero when there is room now).</summary>
    internal TimeSpan Reserve(IReadOnlyList<RateKey> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var now = time.GetUtcNow();
        return _sharedOrLocal.Reserve(() => _slots.Reserve(ChatPlatform.Teams, windows, now), () => _fallback.Reserve(ChatPlatform.Teams, windows, now)) - now;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams rate limits cannot be read from the store ({Error}: {Reason}); this host keeps them only for its own calls until it can")]
    private static partial void LogLocal(ILogger logger, string error, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams rate limits are shared through the store again")]
    private static partial void LogShared(ILogger logger);
}
