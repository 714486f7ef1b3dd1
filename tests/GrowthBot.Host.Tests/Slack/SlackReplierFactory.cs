using GrowthBot.Slack;
using GrowthBot.Slack.Installations;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>A Slack replier of one bot token over the loopback Slack, with the audience check it answers through.</summary>
internal static class SlackReplierFactory
{
    /// <summary>The replier over a Web API client of its own, unpaced, pointed at <paramref name="slack"/>.</summary>
    public static Task<SlackReplier> CreateAsync(FakeSlackWebApi slack, HttpClient http, TimeProvider time) => CreateAsync(new SlackWebApiClient(http,
        Options.Create(new SlackOptions { BotToken = "xoxb-test-token", SigningSecret = "s", ApiBaseUrl = slack.ApiBaseUrl, MinimumChannelInterval = TimeSpan.Zero }),
        time, NullLogger<SlackWebApiClient>.Instance), time);

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
