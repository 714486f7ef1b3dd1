using GrowthBot.Core.Conversations;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Slack.WebApi;

/// <summary>
/// Keeps posts to one channel at least <c>MinimumChannelInterval</c> apart (Slack allows about
/// one message per second per channel and rate-limits bursts). Posts to different channels do
/// not wait for each other. The slots come from the store's <see cref="IChannelPaceStore"/>, so
/// hosts sharing a PostgreSQL database pace their posts to a channel together; if it cannot be
/// reached, this host paces its own posts until it can (Slack's 429s are still honoured).
/// Channel ids are unique across Slack, so one pacer serves every workspace.
/// </summary>
internal sealed partial class ChannelPacer(IChannelPaceStore slots, TimeProvider time, TimeSpan interval, ILogger logger)
{
    private readonly LocalChannelPaceStore _fallback = new();
    private readonly SharedOrLocalSlots _sharedOrLocal = new(exception => LogLocal(logger, exception.GetType().Name, exception.Message), () => LogShared(logger));

    public async Task WaitTurnAsync(string channel, CancellationToken cancellationToken)
    {
        if (interval <= TimeSpan.Zero) return;
        var now = time.GetUtcNow();
        var wait = _sharedOrLocal.Reserve(() => slots.Reserve(ChatPlatform.Slack, channel, now, interval), () => _fallback.Reserve(ChatPlatform.Slack, channel, now, interval)) - now;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack channel pacing cannot be read from the store ({Error}: {Reason}); this host paces only its own posts until it can")]
    private static partial void LogLocal(ILogger logger, string error, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack channel pacing is shared through the store again")]
    private static partial void LogShared(ILogger logger);
}
