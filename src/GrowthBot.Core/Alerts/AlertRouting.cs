using GrowthBot.Core.Conversations;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Alerts;

/// <summary>
/// Where an alert is posted: the channel that follows the metric's accountable team (a digest
/// subscription of that team, or of a digest naming the metric, on the alert's platform and not
/// paused), else the conversation the alert was set in. Read at each post, so a team channel
/// subscribed later takes the next post.
/// </summary>
internal static class AlertRouting
{
    public static ChatAddress Destination(AlertRule rule, IReadOnlyList<DigestSubscription> subscriptions, Accountability accountability)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(accountability);
        var teams = accountability.TeamsFor(rule.Metric);
        var follower = subscriptions
            .Where(subscription => subscription.Platform == rule.Platform && subscription.PausedReason is null)
            .Where(subscription => subscription.Workspace is null || rule.Workspace is null || subscription.Workspace == rule.Workspace)
            .Where(subscription => subscription.Team is { } team ? teams.Contains(team) : subscription.Metrics.Contains(rule.Metric))
            .OrderBy(subscription => subscription.Team is null)
            .ThenBy(subscription => subscription.Team is { } team ? IndexOf(teams, team) : 0)
            .ThenBy(subscription => subscription.SubscribedAt)
            .FirstOrDefault();
        return follower is not null
            ? new ChatAddress(follower.Platform, follower.ConversationId, follower.Workspace ?? rule.Workspace)
            : new ChatAddress(rule.Platform, rule.ConversationId, rule.Workspace);
    }

    private static int IndexOf(IReadOnlyList<Team> teams, Team team)
    {
        for (var i = 0; i < teams.Count; i++)
        {
            if (teams[i] == team) return i;
        }
        return teams.Count;
    }
}
