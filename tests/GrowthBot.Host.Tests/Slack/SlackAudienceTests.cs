using System.Net;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>
/// Where an answer may be posted: never publicly in a Slack Connect channel or a channel with
/// guests, and a mention where the bot is not a member is answered in a DM saying how to invite it.
/// </summary>
public sealed class SlackAudienceTests : SlackHostTest
{
    [Fact]
    public async Task Mention_InASlackConnectChannel_IsAnsweredOnlyToTheAskerSayingWhy()
    {
        Slack.SetChannel("C0SHARED", extShared: true, "U0STAFF");

        var response = await Host.PostEventAsync(Mention("C0SHARED", "Ev0SHARED2"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ephemeral = Assert.Single(await Slack.WaitForAsync("chat.postEphemeral")).Json;
        Assert.Equal("C0SHARED", ephemeral.GetProperty("channel").GetString());
        Assert.Equal("U0STAFF", ephemeral.GetProperty("user").GetString());
        Assert.Contains("Slack Connect", ephemeral.GetProperty("blocks")[0].ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Slack.Calls, call => call.Method == "chat.postMessage");
    }

    [Fact]
    public async Task Mention_InAChannelWithAGuest_IsAnsweredOnlyToTheAsker()
    {
        Slack.AddUser("U0STAFF", "T0HOME");
        Slack.AddUser("U0GUEST", "T0HOME", guest: true);
        Slack.SetChannel("C0MIXED", extShared: false, "U0STAFF", "U0GUEST");

        await Host.PostEventAsync(Mention("C0MIXED", "Ev0MIXED1"));

        var ephemeral = Assert.Single(await Slack.WaitForAsync("chat.postEphemeral")).Json;
        Assert.Contains("guests", ephemeral.GetProperty("blocks")[0].ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Slack.Calls, call => call.Method == "chat.postMessage");
    }

    [Fact]
    public async Task Mention_InAStaffOnlyChannel_IsPostedInItsThread()
    {
        Slack.AddUser("U0STAFF", "T0HOME");
        Slack.SetChannel("C0STAFF", extShared: false, "U0STAFF");

        await Host.PostEventAsync(Mention("C0STAFF", "Ev0STAFF1"));

        var post = Assert.Single(await Slack.WaitForAsync("chat.postMessage")).Json;
        Assert.Equal("C0STAFF", post.GetProperty("channel").GetString());
        Assert.DoesNotContain(Slack.Calls, call => call.Method == "chat.postEphemeral");
    }

    [Fact]
    public async Task Mention_InAChannelTheBotIsNotIn_TellsThePersonHowToInviteIt()
    {
        Slack.FailNext("chat.postMessage", "not_in_channel");

        await Host.PostEventAsync(Mention("C0ELSEWHERE", "Ev0NOTIN1"));

        var dm = (await Slack.WaitForAsync("chat.postMessage")).Single().Json;
        Assert.Equal("D0OPENED", dm.GetProperty("channel").GetString());
        Assert.Contains("/invite @GrowthBot", dm.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("<#C0ELSEWHERE>", dm.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mention_InASharedChannelTheBotIsNotIn_TellsThePersonHowToInviteIt()
    {
        Slack.SetChannel("C0SHAREDOUT", extShared: true, "U0STAFF");
        Slack.FailNext("chat.postEphemeral", "not_in_channel");

        await Host.PostEventAsync(Mention("C0SHAREDOUT", "Ev0NOTIN2"));

        var dm = Assert.Single(await Slack.WaitForAsync("chat.postMessage")).Json;
        Assert.Equal("D0OPENED", dm.GetProperty("channel").GetString());
        Assert.Contains("/invite @GrowthBot", dm.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DirectMessageWithAFile_IsAnswered()
    {
        await Host.PostEventAsync(Fixture("message_im_file_share.json"));

        var post = Assert.Single(await Slack.WaitForAsync("chat.postMessage")).Json;
        Assert.Equal("D0DIRECT", post.GetProperty("channel").GetString());
        Assert.Equal("You asked: churn this month? screenshot attached", post.GetProperty("text").GetString());
    }

    private static string Mention(string channel, string eventId) =>
        Fixture("app_mention.json").Replace("C0GROWTH", channel, StringComparison.Ordinal).Replace("Ev0MENTION1", eventId, StringComparison.Ordinal);

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Slack", "Fixtures", name));
}
