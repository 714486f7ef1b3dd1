using System.Net;

namespace GrowthBot.Host.Tests.Teams;

/// <summary>
/// <c>messageUpdate</c> (editMessage) and <c>messageDelete</c> (softDeleteMessage) as Teams sends them: an edited
/// question is answered again by updating the earlier answer, a deleted question's answer is deleted.
/// </summary>
public sealed class TeamsEditDeleteTests : TeamsHostTest
{
    private const string AnaChat = "a:1Fq3Uh7h8p2sO6wR9lJxKkQ_AnaPersonalChat_w8Zz";

    /// <summary>The question's activity id in message_personal.json, which the edit and delete fixtures refer to.</summary>
    private const string QuestionId = "1764151200123";

    /// <summary>Asks the fixture's question and returns the id of the answer (the fake numbers activities in order: the first is 1:bot-activity-1).</summary>
    private async Task<string> AskAsync()
    {
        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync(Host.Activity("message_personal.json"))).StatusCode);
        Assert.Single(await Bot.WaitForKindAsync("reply"));
        // The bot learns its answer's id from the connector's response, a moment after the fake records the post:
        // wait for that, or an edit or delete sent at once would race it (seen under faketime on a busy machine).
        var answers = Host.Service<GrowthBot.Teams.Connector.TeamsAnswers>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (answers.Find(AnaChat, QuestionId) is null) await Task.Delay(10, timeout.Token);
        return "1:bot-activity-1";
    }

    [Fact]
    public async Task EditedQuestion_IsAnsweredAgain_ByUpdatingTheEarlierAnswer()
    {
        var answer = await AskAsync();

        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync(Host.Activity("message_update_edit_personal.json"))).StatusCode);

        var update = Assert.Single(await Bot.WaitForKindAsync("update"));
        Assert.Equal(AnaChat, update.Conversation);
        Assert.Equal(answer, update.ActivityId);
        Assert.Equal("You asked: what's our churn last month?", update.Json.GetProperty("text").GetString());
        Assert.Equal("You asked: what's our churn last month?", Bot.Shown(answer)!.Value.GetProperty("text").GetString());
        Assert.Single(Bot.Calls, call => call.Kind == "reply"); // no second answer beside the first
        Assert.Equal(["what's our churn this month?", "what's our churn last month?"], Handler.Received.Select(message => message.Text));
    }

    [Fact]
    public async Task EditedQuestion_DeliveredTwice_IsAnsweredOnce_ButASecondEditIsAnsweredAgain()
    {
        await AskAsync();
        var edit = Host.Activity("message_update_edit_personal.json");

        await Host.PostAsync(edit);
        await Bot.WaitForKindAsync("update");
        await Host.PostAsync(edit); // Teams' retry of the same edit
        await Host.PostAsync(edit.Replace("churn last month", "churn last quarter", StringComparison.Ordinal));

        var updates = await Bot.WaitForKindAsync("update", 2);
        Assert.Equal("You asked: what's our churn last quarter?", updates[^1].Json.GetProperty("text").GetString());
        Assert.Equal(3, Handler.Received.Count);
    }

    [Fact]
    public async Task EditedQuestion_WhoseAnswerIsGone_GetsANewReply()
    {
        var answer = await AskAsync();
        Bot.FailNext("update", 404, "ActivityNotFoundInConversation", "The activity was not found in the conversation.");

        await Host.PostAsync(Host.Activity("message_update_edit_personal.json"));

        var replies = await Bot.WaitForKindAsync("reply", 2);
        Assert.Equal("1764151200123", replies[^1].ActivityId);
        Assert.Equal("You asked: what's our churn last month?", replies[^1].Json.GetProperty("text").GetString());
        Assert.Equal("You asked: what's our churn this month?", Bot.Shown(answer)!.Value.GetProperty("text").GetString());
    }

    [Fact]
    public async Task EditedQuestion_UnknownToTheBot_IsAnsweredWithAReply()
    {
        // After a restart (or for a question older than the bot's memory), there is no answer to update.
        await Host.PostAsync(Host.Activity("message_update_edit_personal.json"));

        var reply = Assert.Single(await Bot.WaitForKindAsync("reply"));
        Assert.Equal("1764151200123", reply.ActivityId);
        Assert.Equal("You asked: what's our churn last month?", reply.Json.GetProperty("text").GetString());
        Assert.DoesNotContain(Bot.Calls, call => call.Kind == "update");
    }

    [Fact]
    public async Task DeletedQuestion_ItsAnswerIsDeleted()
    {
        var answer = await AskAsync();

        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync(Host.Activity("message_delete_personal.json"))).StatusCode);

        var delete = Assert.Single(await Bot.WaitForKindAsync("delete"));
        Assert.Equal("DELETE", delete.Method);
        Assert.Equal(AnaChat, delete.Conversation);
        Assert.Equal(answer, delete.ActivityId);
        Assert.Equal("Bearer fake-app-token", delete.Authorization);
        Assert.True(Bot.IsDeleted(answer));
        Assert.Single(Handler.Received); // a deletion is not a question
    }

    [Fact]
    public async Task DeletedQuestion_TwiceOrUnknown_DeletesNothingElse()
    {
        await Host.PostAsync(Host.Activity("message_delete_personal.json")); // never answered: nothing to delete
        var answer = await AskAsync();
        await Host.PostAsync(Host.Activity("message_delete_personal.json"));
        await Bot.WaitForKindAsync("delete");

        var again = await Host.PostAsync(Host.Activity("message_delete_personal.json"));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(Bot.Calls, call => call.Kind == "delete" && call.ActivityId == answer);
    }

    [Fact]
    public async Task DeletedQuestion_WhenTeamsRefusesTheDelete_IsLoggedAndAcknowledged()
    {
        var answer = await AskAsync();
        Bot.FailNext("delete", 403, "BotNotInConversationRoster", "The bot is not part of the conversation roster.");

        var response = await Host.PostAsync(Host.Activity("message_delete_personal.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Bot.WaitForKindAsync("delete");
        await WaitForLogAsync("could not be");
        Assert.False(Bot.IsDeleted(answer));
    }

    private async Task WaitForLogAsync(string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!Host.Logs.Lines.Any(line => line.Contains(text, StringComparison.Ordinal))) await Task.Delay(10, timeout.Token);
    }
}
