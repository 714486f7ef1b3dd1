using System.Collections.Concurrent;
using GrowthBot.Core.Conversations;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Slack;

/// <summary>
/// Tells staff from guests and Slack Connect users with <c>users.info</c> (cached for an hour).
/// If Slack cannot say, the person is treated as a guest: metrics are never shown on a guess.
/// </summary>
public sealed partial class SlackRequesterDirectory(Installations.SlackInstallations installations, TimeProvider time, ILogger<SlackRequesterDirectory> logger) : IRequesterDirectory
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, (SlackUser User, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public ChatPlatform Platform => ChatPlatform.Slack;

    public async Task<Requester> ResolveAsync(Requester requester, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requester);
        if (await UserAsync(requester.UserId, requester.Workspace, cancellationToken).ConfigureAwait(false) is not { } user) return requester with { IsGuest = true };
        return requester with
        {
            OrganisationId = user.TeamId ?? requester.OrganisationId,
            EnterpriseId = user.EnterpriseId,
            IsGuest = user.IsGuest || user.IsExternal || user.IsBot,
            DisplayName = user.Name ?? requester.DisplayName,
        };
    }

    /// <summary>The user as users.info describes them (cached), or null when Slack cannot say.</summary>
    internal async Task<SlackUser?> UserAsync(string userId, string? workspace, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(userId, out var cached) && cached.Until > now) return cached.User;
        try
        {
            var user = await installations.For(workspace).UserInfoAsync(userId, cancellationToken).ConfigureAwait(false);
            _cache[userId] = (user, now + CacheFor);
            return user;
        }
        catch (Exception exception) when (exception is SlackApiException or HttpRequestException)
        {
            LogLookupFailed(userId, exception.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: users.info for {UserId} failed ({Reason}); treating them as a guest")]
    private partial void LogLookupFailed(string userId, string reason);
}
