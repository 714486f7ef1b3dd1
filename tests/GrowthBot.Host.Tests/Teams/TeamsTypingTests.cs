using System.Net;

namespace GrowthBot.Host.Tests.Teams;

/// <summary>The typing indicator: shown while an answer takes more than a moment, never for an instant one, never after the answer.</summary>
public sealed class TeamsTypingTests : TeamsHostTest
{
    private const string AnaChat = "a:1Fq3Uh7h8p2sO6wR9lJxKkQ_AnaPersonalChat_w8Zz";

    private static bool IsTyping(ConnectorCall call) => call.Kind == "reply" && call.Json.GetProperty("type").GetString() == "typing";

    private static bool IsAnswer(ConnectorCall call) => call.Kind == "reply" && call.Json.GetProperty("type").GetString() == "message";

    private string Message(string id, string text) =>
        Host.Activity("message_personal.json").Replace("1764151200123", id, StringComparison.Ordinal).Replace("what's our churn this month?", text, StringComparison.Ordinal);

    [Fact]
    public async Task SlowAnswer_ShowsTypingAfterAMomentAndEveryThreeSeconds_UntilTheAnswer()
    {
        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync(Message("1764151200123", "slow: what's our churn this month?"))).StatusCode);
        await Handler.WaitForReceivedAsync(1);

        Host.Time.Advance(TimeSpan.FromSeconds(1));
        var typing = Assert.Single(await Bot.WaitForAsync(IsTyping));
        Assert.Equal(AnaChat, typing.Conversation);
        Assert.Equal("1764151200123", typing.ActivityId); // a reply to the question, as the Bot Framework sends it
        Assert.Equal("Bearer fake-app-token", typing.Authorization);
        Assert.Equal("28:" + GrowthBot.Teams.Tests.Support.BotFrameworkTokens.AppId, typing.Json.GetProperty("from").GetProperty("id").GetString());
        Assert.False(typing.Json.TryGetProperty("text", out _));

        // Renewed every three seconds while the answer is still being worked out (the timer is set once the first send returns).
        for (var i = 0; i < 50 && Bot.Calls.Count(IsTyping) < 2; i++)
        {
            Host.Time.Advance(TimeSpan.FromSeconds(3));
            try
            {
                await Bot.WaitForAsync(IsTyping, 2, TimeSpan.FromMilliseconds(200));
            }
            catch (TimeoutException)
            {
            }
        }
        Assert.Equal(2, Bot.Calls.Count(IsTyping));

        Handler.SlowAnswerGate.SetResult();
        Assert.Single(await Bot.WaitForAsync(IsAnswer));
        var typings = Bot.Calls.Count(IsTyping);

        // Once answered, nothing more: a later question's answer arrives and no typing came after the first answer.
        Host.Time.Advance(TimeSpan.FromSeconds(30));
        await Host.PostAsync(Message("1764151200999", "and last month?"));
        Assert.Equal(2, (await Bot.WaitForAsync(IsAnswer, 2)).Count);
        Assert.Equal(typings, Bot.Calls.Count(IsTyping));
        var calls = Bot.Calls.ToList();
        Assert.True(calls.FindLastIndex(IsTyping) < calls.FindIndex(IsAnswer), "a typing indicator followed the answer");
    }

    [Fact]
    public async Task InstantAnswer_ShowsNoTyping()
    {
        await Host.PostAsync(Message("1764151200123", "what's our churn this month?"));
        Assert.Single(await Bot.WaitForAsync(IsAnswer));

        // Time passes after the answer; the indicator was stopped with it and never fires.
        Host.Time.Advance(TimeSpan.FromSeconds(10));
        await Host.PostAsync(Message("1764151200999", "and last month?"));
        Assert.Equal(2, (await Bot.WaitForAsync(IsAnswer, 2)).Count);

        Assert.DoesNotContain(Bot.Calls, IsTyping);
    }

    [Fact]
    public async Task SlowAnswer_InAChannel_ShowsNoTyping_TeamsShowsItInChatsOnly()
    {
        var json = Host.Activity("message_channel_mention.json").Replace("&nbsp;survey nps", "&nbsp;slow survey nps", StringComparison.Ordinal);
        await Host.PostAsync(json);
        await Handler.WaitForReceivedAsync(1);

        Host.Time.Advance(TimeSpan.FromSeconds(5));
        Handler.SlowAnswerGate.SetResult();

        Assert.Single(await Bot.WaitForAsync(IsAnswer));
        Assert.DoesNotContain(Bot.Calls, IsTyping);
    }
}
