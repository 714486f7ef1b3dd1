using GrowthBot.Core.Conversations;
using GrowthBot.Core.Digests;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Slack;

/// <summary>
/// Pauses Slack digest subscriptions that can no longer be posted: a channel archived, deleted or
/// shared outside, or a workspace whose token is gone (uninstalled, revoked, refused by the Web API).
/// A paused subscription is skipped by every sweep until someone subscribes there again.
/// </summary>
public sealed partial class SlackDigestPauses(ISubscriptionStore subscriptions, ILogger<SlackDigestPauses> logger)
{
    /// <summary>Pauses the channel's subscriptions.</summary>
    public void PauseChannel(string channel, string reason) => Pause(subscriptions.ForConversation(ChatPlatform.Slack, channel), reason);

    /// <summary>
    /// Pauses the subscriptions that posted with the workspace's token: for an installed workspace, those
    /// subscribed through it; with the single configured token (<paramref name="wasInstalled"/> false), also
    /// those saved without a workspace (every digest went out with that one token).
    /// </summary>
    public void PauseWorkspace(string? workspace, bool wasInstalled, string reason) =>
        Pause(subscriptions.All().Where(subscription => subscription.Platform == ChatPlatform.Slack &&
            (workspace is null || subscription.Workspace == workspace || (!wasInstalled && subscription.Workspace is null))), reason);

    private void Pause(IEnumerable<DigestSubscription> affected, string reason)
    {
        foreach (var subscription in affected.Where(subscription => subscription.PausedReason is null).ToList())
        {
            subscriptions.Save(subscription with { PausedReason = reason });
            LogPaused(subscription.Id, subscription.ConversationId, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: digest subscription {Subscription} in {Channel} paused: {Reason}; subscribing there again resumes it")]
    private partial void LogPaused(string subscription, string channel, string reason);
}
