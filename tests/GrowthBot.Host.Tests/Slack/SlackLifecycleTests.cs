using GrowthBot.Core.Conversations;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>Lifecycle events and the Home tab end to end: signed events in, Web API calls and store changes out.</summary>
public sealed class SlackLifecycleTests : SlackHostTest
{
    [Fact]
    public async Task BotAddedToAChannel_SaysHelloWithHowToSubscribe()
    {
        await Host.PostEventAsync(Fixture("member_joined_channel_bot.json"));

        var hello = Assert.Single(await Slack.WaitForAsync("chat.postMessage")).Json;
        Assert.Equal("C0NEW", hello.GetProperty("channel").GetString());
        Assert.Contains("/growth subscribe marketing", hello.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChannelArchived_PausesItsDigests()
    {
        var subscription = Subscribe("C0GROWTH");

        await Host.PostEventAsync(Fixture("channel_archived.json"));

        Assert.Equal("the channel was archived", await PausedReasonAsync(subscription.Id));
    }

    [Fact]
    public async Task ChannelSharedWithAnotherOrganisation_PausesItsDigests()
    {
        var subscription = Subscribe("C0GROWTH");
        Slack.SetChannel("C0GROWTH", extShared: true, "U0STAFF");

        await Host.PostEventAsync(Fixture("channel_shared.json"));

        Assert.Contains("Slack Connect", await PausedReasonAsync(subscription.Id), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app_uninstalled.json", "uninstalled")]
    [InlineData("tokens_revoked.json", "revoked")]
    public async Task AppUninstalledOrTokenRevoked_PausesEverySlackDigest(string fixture, string reason)
    {
        var one = Subscribe("C0GROWTH");
        var other = Subscribe("C0SALES");

        await Host.PostEventAsync(Fixture(fixture));

        Assert.Contains(reason, await PausedReasonAsync(one.Id), StringComparison.Ordinal);
        Assert.Contains(reason, await PausedReasonAsync(other.Id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HomeOpenedByStaff_ShowsTheirChannelsDigestsTargetsAndSurveys()
    {
        Slack.AddUser("U0STAFF", "T0HOME");
        Slack.SetChannel("C0GROWTH", extShared: false, "U0STAFF");
        Subscribe("C0GROWTH");
        Subscribe("C0ELSEWHERE");
        Host.Services.GetRequiredService<ISubscriptionStore>().SetTarget(MetricId.Nps, 45);

        await Host.PostEventAsync(Fixture("app_home_opened.json"));

        var publish = Assert.Single(await Slack.WaitForAsync("views.publish")).Json;
        Assert.Equal("U0STAFF", publish.GetProperty("user_id").GetString());
        Assert.Equal("home", publish.GetProperty("view").GetProperty("type").GetString());
        var blocks = publish.GetProperty("view").GetProperty("blocks").ToString();
        Assert.Contains("#channel-c0growth: Marketing", blocks, StringComparison.Ordinal);
        Assert.Contains("next ", blocks, StringComparison.Ordinal);
        Assert.DoesNotContain("c0elsewhere", blocks, StringComparison.Ordinal);
        Assert.Contains("Targets", blocks, StringComparison.Ordinal);
        Assert.Contains("45", blocks, StringComparison.Ordinal);
        Assert.Contains("Recent surveys", blocks, StringComparison.Ordinal);
        Assert.Contains("churn this month", blocks, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HomeOpenedByAGuest_ShowsNoMetricsTargetsOrSurveyFigures()
    {
        Slack.AddUser("U0STAFF", "T0HOME", guest: true);
        Subscribe("C0GROWTH");
        Host.Services.GetRequiredService<ISubscriptionStore>().SetTarget(MetricId.Nps, 45);

        await Host.PostEventAsync(Fixture("app_home_opened.json"));

        var blocks = Assert.Single(await Slack.WaitForAsync("views.publish")).Json.GetProperty("view").GetProperty("blocks").ToString();
        Assert.Contains("surveys", blocks, StringComparison.Ordinal);
        Assert.DoesNotContain("Targets", blocks, StringComparison.Ordinal);
        Assert.DoesNotContain("45", blocks, StringComparison.Ordinal);
        Assert.DoesNotContain("Marketing", blocks, StringComparison.Ordinal);
    }

    private DigestSubscription Subscribe(string channel)
    {
        var subscription = new DigestSubscription($"s-{channel}", ChatPlatform.Slack, channel, Team.Marketing, [], DigestSchedule.Default, "Europe/Berlin", "U0STAFF",
            Host.Time.GetUtcNow().AddDays(-1));
        Host.Services.GetRequiredService<ISubscriptionStore>().Save(subscription);
        return subscription;
    }

    /// <summary>The subscription's pause reason once the event has been handled (it is handled after the acknowledgement).</summary>
    private async Task<string> PausedReasonAsync(string id)
    {
        var store = Host.Services.GetRequiredService<ISubscriptionStore>();
        for (var i = 0; i < 200; i++)
        {
            if (store.Find(id)?.PausedReason is { } reason) return reason;
            await Task.Delay(25);
        }
        throw new TimeoutException($"Subscription {id} was not paused");
    }

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Slack", "Fixtures", name));
}
