using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Core.Tests.Surveys;

/// <summary>The <c>survey</c> command: parsing, staff only, and what it says.</summary>
public sealed class SurveyCommandTests : IDisposable
{
    private readonly SurveyWorld _world = new();

    [Fact]
    public void Parse_KindMentionsAndTopic()
    {
        var send = Assert.IsType<SurveyCommand.Send>(SurveyCommandParser.Parse("csat <@U1> <@U2|ana> <@U1> about the onboarding call"));

        Assert.Equal(SurveyKind.Csat, send.Kind);
        Assert.Equal(["U1", "U2"], send.UserIds);
        Assert.Equal("the onboarding call", send.Topic);
    }

    [Theory]
    [InlineData("nps", "Whom should I ask")]
    [InlineData("nps @ana", "I didn't understand \"@ana\"")]
    [InlineData("nps <@U1> about", "after \"about\"")]
    [InlineData("weather", "I don't know the survey command")]
    [InlineData("link <@U1>", "survey link @person CUSTOMER_ID")]
    public void Parse_Mistakes_SayWhatIsWrong(string arguments, string says)
    {
        var help = Assert.IsType<SurveyCommand.Help>(SurveyCommandParser.Parse(arguments));

        Assert.Contains(says, help.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_StaffSend_StartsTheCampaignAndNamesTheUnlinked()
    {
        var reply = await Route().HandleAsync(Message("survey nps <@U1> <@U9>", "U0STAFF"), CancellationToken.None);

        Assert.Contains("Sending the NPS survey to 1 person", reply!.FallbackText, StringComparison.Ordinal);
        Assert.Contains("U9", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("survey link @person CUSTOMER_ID", reply.FallbackText, StringComparison.Ordinal);
        Assert.Single(_world.Store.Runs());
    }

    [Fact]
    public async Task Route_NotStaff_IsRefusedPolitely()
    {
        var reply = await Route().HandleAsync(Message("survey nps <@U1>", "U0GUEST", guest: true), CancellationToken.None);

        Assert.Contains("only staff of Acme", reply!.FallbackText, StringComparison.Ordinal);
        Assert.Empty(_world.Store.Runs());
    }

    [Fact]
    public async Task Route_Status_ShowsRateAndComments()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1", "U2"))["U1"];
        await _world.PressAsync(invitation, SurveyMessages.ScoreAction, 9);
        await _world.PressAsync(invitation, SurveyMessages.CommentAction, comment: "great");

        var reply = await Route().HandleAsync(Message("survey status", "U0STAFF"), CancellationToken.None);

        Assert.Contains("sent 2, answered 1 (50%), commented 1, expired 0", reply!.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_Status_SaysWhoStartedTheRunByName()
    {
        var from = new Requester(ChatPlatform.Slack, "U0STAFF", "T0HOME", false, "Ana Lopez");
        await Route().HandleAsync(new IncomingMessage(ChatPlatform.Slack, Guid.NewGuid().ToString("N"), "C0GROWTH", null, from, "survey nps <@U1>", _world.Time.GetUtcNow()), CancellationToken.None);

        var reply = await Route().HandleAsync(Message("survey status", "U0STAFF"), CancellationToken.None);

        Assert.Contains("UTC by Ana Lopez:", reply!.FallbackText, StringComparison.Ordinal);
        Assert.DoesNotContain("by Slack:U0STAFF", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_Link_MakesThePersonAskable()
    {
        await Route().HandleAsync(Message("survey link <@U7> C3", "U0STAFF"), CancellationToken.None);

        Assert.Equal("C3", _world.Store.FindRecipient(ChatPlatform.Slack, "U7")!.CustomerId);
    }

    [Fact]
    public void Route_ClaimsOnlySurveyCommands()
    {
        Assert.True(Route().Claims(Message("/survey status", "U0STAFF")));
        Assert.False(Route().Claims(Message("surveys this month", "U0STAFF")));
        Assert.False(Route().Claims(Message("nps this month", "U0STAFF")));
    }

    public void Dispose() => _world.Dispose();

    private SurveyCommandRoute Route()
    {
        var options = new AccessOptions();
        options.SlackHomeTeamIds.Add("T0HOME");
        return new SurveyCommandRoute(_world.Campaigns, _world.Store, new AccessPolicy(options), "Acme");
    }

    private IncomingMessage Message(string text, string user, bool guest = false) =>
        new(ChatPlatform.Slack, Guid.NewGuid().ToString("N"), "C0GROWTH", null, new Requester(ChatPlatform.Slack, user, "T0HOME", guest), text, _world.Time.GetUtcNow());
}
