using GrowthBot.Slack;
using GrowthBot.Slack.Installations;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>A Slack replier of one bot token over the loopback Slack, with the audience check it answers through.</summary>
internal static class SlackReplierFactory
{
    public static async Task<SlackReplier> CreateAsync(SlackWebApiClient client, TimeProvider time)
    {
        var installations = SlackInstallations.SingleToken(client, Options.Create(new SlackOptions { BotToken = "xoxb-test-token" }));
        var directory = new SlackRequesterDirectory(installations, time, NullLogger<SlackRequesterDirectory>.Instance);
        var identity = new SlackIdentityCache(client, Options.Create(new SlackOptions()), time, NullLogger<SlackIdentityCache>.Instance);
        await identity.RefreshAsync(CancellationToken.None);
        var audience = new SlackConversationAudience(installations, directory, identity, time, NullLogger<SlackConversationAudience>.Instance);
        return new SlackReplier(installations, audience, NullLogger<SlackReplier>.Instance);
    }
}
