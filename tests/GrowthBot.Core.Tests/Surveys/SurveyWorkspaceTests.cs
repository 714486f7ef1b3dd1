using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Core.Tests.Surveys;

/// <summary>
/// A survey DM the bot starts itself goes out through the installation the person is in: the workspace
/// is kept with their link and their invitation, and given to the sender for the DM, the reminder and the close.
/// </summary>
public sealed class SurveyWorkspaceTests : IDisposable
{
    private readonly SurveyWorld _world = new();

    [Fact]
    public async Task Link_InAWorkspace_KeepsIt_AndATicketsSurveyOpensItsDmThere()
    {
        await Route().HandleAsync(Message("survey link <@U7> C3", "T:T0TWO"), CancellationToken.None);
        Assert.Equal("T:T0TWO", _world.Store.FindRecipient(ChatPlatform.Slack, "U7")!.Workspace);

        var now = _world.Time.GetUtcNow().UtcDateTime;
        _world.Tickets.Schedule([new Ticket("TK1", "C3", now.AddHours(-2), now, 1)]);
        _world.Time.Advance(_world.Options.CesAfterTicketDelay);
        await _world.Scheduler.RunDueAsync(CancellationToken.None);

        // C3's other link (U3, made before workspaces were kept) is asked without one.
        Assert.Equal([("U3", null), ("U7", "T:T0TWO")], _world.Slack.Opened.OrderBy(opened => opened.UserId).ToArray());
        Assert.Equal("T:T0TWO", Assert.Single(_world.Slack.Sent, sent => sent.Address.ConversationId == "D-U7").Address.Workspace);
    }

    [Fact]
    public async Task Campaign_FromAFileWithoutWorkspaces_KeepsTheLinkedWorkspace_AndTheReminderAndCloseUseIt()
    {
        _world.Store.SaveRecipients([new SurveyRecipient("C1", ChatPlatform.Slack, "U1", "E:E0ORG")]);

        _world.Campaigns.Accept(SurveyKind.Nps, null, "command line", [new SurveyRecipient("C1", ChatPlatform.Slack, "U1")]);
        _world.Preparer.PrepareQueued(CancellationToken.None);
        await _world.Scheduler.RunDueAsync(CancellationToken.None);
        _world.Time.Advance(TimeSpan.FromDays(3));
        await _world.Scheduler.RunDueAsync(CancellationToken.None);
        _world.Time.Advance(TimeSpan.FromDays(30));
        await _world.Scheduler.RunDueAsync(CancellationToken.None);

        Assert.Equal("E:E0ORG", _world.Store.FindRecipient(ChatPlatform.Slack, "U1")!.Workspace);
        Assert.Equal(("U1", "E:E0ORG"), Assert.Single(_world.Slack.Opened));
        Assert.Equal(2, _world.Slack.Sent.Count);
        Assert.All(_world.Slack.Sent, sent => Assert.Equal("E:E0ORG", sent.Address.Workspace));
        Assert.NotEmpty(_world.Slack.Updated);
        Assert.All(_world.Slack.Updated, updated => Assert.Equal("E:E0ORG", updated.Posted.Address.Workspace));
    }

    [Fact]
    public async Task Campaign_FromAChatCommand_AsksThroughTheWorkspaceTheCommandCameFrom()
    {
        await Route().HandleAsync(Message("survey nps <@U2>", "T:T0HOME"), CancellationToken.None);
        await _world.Scheduler.RunDueAsync(CancellationToken.None);

        Assert.Equal(("U2", "T:T0HOME"), Assert.Single(_world.Slack.Opened));
        Assert.Equal("T:T0HOME", Assert.Single(_world.Store.InvitationsOf(ChatPlatform.Slack, "U2")).Workspace);
    }

    [Fact]
    public async Task Campaign_NoWorkspaceKnown_LeavesTheChoiceToTheSender()
    {
        var sent = (await _world.SendAsync(SurveyKind.Nps, "U3"))["U3"];

        Assert.Equal(("U3", (string?)null), Assert.Single(_world.Slack.Opened));
        Assert.Null(_world.Current(sent).Workspace);
    }

    public void Dispose() => _world.Dispose();

    private SurveyCommandRoute Route()
    {
        var options = new AccessOptions();
        options.SlackHomeTeamIds.Add("T0HOME");
        return new SurveyCommandRoute(_world.Campaigns, _world.Store, new AccessPolicy(options), "Acme");
    }

    private IncomingMessage Message(string text, string workspace) =>
        new(ChatPlatform.Slack, Guid.NewGuid().ToString("N"), "C0GROWTH", null, new Requester(ChatPlatform.Slack, "U0STAFF", "T0HOME", false, Workspace: workspace), text, _world.Time.GetUtcNow());
}
