using System.Collections.Concurrent;
using System.Text.Json;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Digests;
using GrowthBot.Slack.Inbound;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Slack;

/// <summary>
/// What the bot does when Slack tells it about the app or a conversation (acknowledged first, done
/// after): says hello with how to subscribe when it is added to a channel; pauses a channel's
/// digests when the channel is archived or deleted; checks the audience again when a channel is
/// shared (Slack Connect), pausing its digests unless outside audiences are allowed; publishes the
/// Home tab when someone opens it; and pauses every digest when the app is uninstalled or its bot
/// token revoked (there is no token left to post with; subscribing again resumes them after a reinstall).
/// </summary>
public sealed partial class SlackLifecycle(
    Installations.SlackInstallations installations,
    SlackConversationAudience audience,
    SlackIdentityCache identity,
    SlackAppHome home,
    SlackDigestPauses pauses,
    IOptions<DigestOptions> digestOptions,
    IOptions<SlackOptions> slackOptions,
    ILogger<SlackLifecycle> logger)
{
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);

    /// <summary>Starts handling the event in the background; a retry of one already seen is dropped.</summary>
    internal void Accept(SlackEventOutcome.Lifecycle lifecycle, CancellationToken stopping)
    {
        if (_seen.Count > 10_000) _seen.Clear();
        if (!_seen.TryAdd(lifecycle.DeliveryId, 0)) return;
        _ = Task.Run(() => HandleAsync(lifecycle, stopping), stopping);
    }

    /// <summary>Handles one lifecycle event; failures are logged (these are courtesies and bookkeeping, not answers anyone waits for).</summary>
    internal async Task HandleAsync(SlackEventOutcome.Lifecycle lifecycle, CancellationToken cancellationToken)
    {
        var evt = lifecycle.Event;
        var channel = Text(evt, "channel");
        try
        {
            switch (lifecycle.Type)
            {
                case "member_joined_channel" when channel is not null:
                    audience.Invalidate(channel);
                    if (Text(evt, "user") is { } joined && joined == (lifecycle.BotUserId ?? identity.Identity?.UserId)) await SayHelloAsync(channel, lifecycle.Workspace, cancellationToken).ConfigureAwait(false);
                    break;
                case "channel_archived" or "group_archived" when channel is not null:
                    pauses.PauseChannel(channel, "the channel was archived");
                    break;
                case "channel_deleted" or "group_deleted" when channel is not null:
                    pauses.PauseChannel(channel, "the channel was deleted");
                    break;
                case "channel_shared" when channel is not null:
                    audience.Invalidate(channel);
                    var readers = await audience.CheckAsync(new ChatAddress(ChatPlatform.Slack, channel, lifecycle.Workspace), cancellationToken).ConfigureAwait(false);
                    if (!readers.OnlyStaff && !digestOptions.Value.AllowOutsideAudiences)
                    {
                        pauses.PauseChannel(channel, readers.Reason ?? "the channel was shared with another organisation");
                    }
                    break;
                case "app_home_opened" when Text(evt, "tab") is null or "home":
                    if (Text(evt, "user") is { } user) await home.PublishAsync(user, lifecycle.TeamId, lifecycle.Workspace, cancellationToken).ConfigureAwait(false);
                    break;
                case "app_uninstalled":
                    installations.Revoke(lifecycle.Workspace, "the Slack app was uninstalled");
                    LogUninstalled(lifecycle.Workspace ?? lifecycle.TeamId);
                    break;
                case "tokens_revoked" when evt.TryGetProperty("tokens", out var tokens) && tokens.TryGetProperty("bot", out var bot) && bot.ValueKind == JsonValueKind.Array && bot.GetArrayLength() > 0:
                    installations.Revoke(lifecycle.Workspace, "the bot token was revoked");
                    LogTokensRevoked(lifecycle.Workspace ?? lifecycle.TeamId);
                    break;
                default:
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (SlackApiException exception)
        {
            LogFailed(lifecycle.Type, channel ?? "-", exception.Error, SlackApiException.Describe(exception.Error));
        }
    }

    private async Task SayHelloAsync(string channel, string? workspace, CancellationToken cancellationToken)
    {
        var command = slackOptions.Value.CommandName;
        var readers = await audience.CheckAsync(new ChatAddress(ChatPlatform.Slack, channel, workspace), cancellationToken).ConfigureAwait(false);
        var text = "Hi, I'm GrowthBot. Ask me about customer-growth metrics by mentioning me (\"@GrowthBot what's our churn this month?\") " +
                   $"or with {command}. To get a digest here on a schedule: {command} subscribe marketing on mondays 09:00 " +
                   $"(any team or metrics, any time and time zone). {command} help lists everything.";
        if (!readers.OnlyStaff)
        {
            text += $" Note: {readers.Reason ?? "people outside the company can read this channel"}, so I answer metric questions here only to the person who asks, and post no digests here.";
        }
        await installations.For(workspace).PostMessageAsync(channel, null, Rendering.BlockKitRenderer.Escape(text), null, cancellationToken).ConfigureAwait(false);
        LogHello(channel);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: added to {Channel}; said hello with how to subscribe")]
    private partial void LogHello(string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack: the app was uninstalled from {Workspace}; its token is forgotten and its digests are paused. Install the app again and subscribe again to resume them")]
    private partial void LogUninstalled(string workspace);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack: the bot token of {Workspace} was revoked; it is forgotten and the workspace's digests are paused. Install the app again (or set the new Slack__BotToken) and subscribe again")]
    private partial void LogTokensRevoked(string workspace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: handling {Type} for {Channel} failed with {Error}: {Meaning}")]
    private partial void LogFailed(string type, string channel, string error, string meaning);
}
