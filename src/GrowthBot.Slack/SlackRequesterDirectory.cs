using System.Collections.Concurrent;
using GrowthBot.Core.Conversations;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Slack;

/// <summary>
/// Tells staff from guests and Slack Connect users with <c>users.info</c> (cached for an hour).
/// If Slack cannot say, the person is treated as a guest: metrics are never shown on a guess.
/// </summary>
public sealed partial class SlackRequesterDirectory(SlackWebApiClient client, TimeProvider time, ILogger<SlackRequesterDirectory> logger) : IRequesterDirectory
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, (SlackUser User, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public ChatPlatform Platform => ChatPlatform.Slack;

    public async Task<Requester> ResolveAsync(Requester requester, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requester);
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(requester.UserId, out var cached) || cached.Until <= now)
        {
            try
            {
                cached = (await client.UserInfoAsync(requester.UserId, cancellationToken).ConfigureAwait(false), now + CacheFor);
                _cache[requester.UserId] = cached;
            }
            catch (Exception exception) when (exception is SlackApiException or HttpRequestException)
            {
                LogLookupFailed(requester.UserId, exception.Message);
                return requester with { IsGuest = true };
            }
        }
        var user = cached.User;
        return requester with
        {
            OrganisationId = user.TeamId ?? requester.OrganisationId,
            IsGuest = user.IsGuest || user.IsExternal || user.IsBot,
            DisplayName = user.Name ?? requester.DisplayName,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: users.info for {UserId} failed ({Reason}); treating them as a guest")]
    private partial void LogLookupFailed(string userId, string reason);
}
