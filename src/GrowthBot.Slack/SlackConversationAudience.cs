using System.Collections.Concurrent;
using GrowthBot.Core.Conversations;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Slack;

/// <summary>
/// Who can read a Slack conversation: a Slack Connect channel (<c>is_ext_shared</c>, or a share
/// pending) or a channel with a guest or a Slack Connect stranger in it is not
/// staff-only. DMs are read by the asker alone. Answers are cached for a few minutes per channel
/// (<c>channel_shared</c> and member events clear the cache); when Slack cannot say, the channel is
/// treated as shared: metrics are never shown on a guess.
/// </summary>
public sealed partial class SlackConversationAudience(
    Installations.SlackInstallations installations, SlackRequesterDirectory directory, SlackIdentityCache identity, TimeProvider time, ILogger<SlackConversationAudience> logger) : IConversationAudience
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, (ConversationAudience Audience, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public ChatPlatform Platform => ChatPlatform.Slack;

    public async Task<ConversationAudience> CheckAsync(ChatAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var conversationId = address.ConversationId;
        // Slack's DM ids start with D: the only other reader is the person the bot talks to.
        if (conversationId.StartsWith('D')) return ConversationAudience.Staff;
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(conversationId, out var cached) && cached.Until > now) return cached.Audience;
        var audience = await LookUpAsync(conversationId, address.Workspace, cancellationToken).ConfigureAwait(false);
        _cache[conversationId] = (audience, now + CacheFor);
        return audience;
    }

    /// <summary>Forgets what is known about a channel (it was shared, someone joined or left).</summary>
    public void Invalidate(string conversationId) => _cache.TryRemove(conversationId, out _);

    private async Task<ConversationAudience> LookUpAsync(string conversationId, string? workspace, CancellationToken cancellationToken)
    {
        try
        {
            var client = installations.For(workspace);
            var botUser = installations.BotUserId(workspace) ?? identity.Identity?.UserId;
            var channel = await client.ConversationInfoAsync(conversationId, cancellationToken).ConfigureAwait(false);
            if (channel.IsDirect) return ConversationAudience.Staff;
            if (channel.IsExternallyShared) return new ConversationAudience(false, "this channel is shared with another organisation (Slack Connect)");
            foreach (var member in await client.ConversationMembersAsync(conversationId, cancellationToken).ConfigureAwait(false))
            {
                if (member == botUser) continue;
                var user = await directory.UserAsync(member, workspace, cancellationToken).ConfigureAwait(false);
                if (user is null) return new ConversationAudience(false, "I could not check everyone in this channel");
                if (user.IsBot) continue;
                if (user.IsGuest) return new ConversationAudience(false, "this channel has guests in it");
                if (user.IsExternal) return new ConversationAudience(false, "people from another organisation are in this channel");
            }
            return ConversationAudience.Staff;
        }
        catch (SlackApiException exception)
        {
            LogCheckFailed(conversationId, exception.Error, SlackApiException.Describe(exception.Error));
            return new ConversationAudience(false, "I could not check who is in this channel");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: who can read {Channel} could not be checked ({Error}: {Meaning}); treating it as shared")]
    private partial void LogCheckFailed(string channel, string error, string meaning);
}
