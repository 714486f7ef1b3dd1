using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.FollowUps;

namespace GrowthBot.Core.Tests.FollowUps;

/// <summary>Which answers open a case, where it goes, and one case per customer per day.</summary>
public sealed class FollowUpOpenerTests
{
    [Theory]
    [InlineData(SurveyKind.Nps, 6, true)]
    [InlineData(SurveyKind.Nps, 0, true)]
    [InlineData(SurveyKind.Nps, 7, false)]
    [InlineData(SurveyKind.Csat, 2, true)]
    [InlineData(SurveyKind.Csat, 3, false)]
    [InlineData(SurveyKind.Ces, 3, true)]
    [InlineData(SurveyKind.Ces, 4, false)]
    public void Answer_UnhappyOrNot_OpensACaseOnlyBelowTheLine(SurveyKind survey, int score, bool opens)
    {
        using var world = new FollowUpWorld();

        world.Answer("r1", survey, "globex", score);

        Assert.Equal(opens ? 1 : 0, world.Store.All.Count);
    }

    [Fact]
    public void Answer_Detractor_IsStoredForItsSurveysChannel_AndNotPostedOnTheWritePath()
    {
        using var world = new FollowUpWorld();

        world.Answer("r1", SurveyKind.Nps, "globex", 3, "Too slow");
        world.Answer("r2", SurveyKind.Ces, "initech", 2);

        var nps = world.Store.All.Single(c => c.Survey == SurveyKind.Nps);
        Assert.Equal(new ChatAddress(ChatPlatform.Slack, FollowUpWorld.Channel), nps.Destination);
        Assert.Equal(FollowUpPostState.Pending, nps.PostState);
        Assert.Equal(new ChatAddress(ChatPlatform.Teams, "19:support@thread.tacv2"), world.Store.All.Single(c => c.Survey == SurveyKind.Ces).Destination);
        Assert.Empty(world.Slack.Sent);
        Assert.Empty(world.Teams.Sent);
    }

    [Fact]
    public void Answer_SeveralTimesInADay_OpensOneCase_AndTheNextDayAnother()
    {
        using var world = new FollowUpWorld();

        world.Answer("r1", SurveyKind.Nps, "globex", 3, "Too slow");
        world.Time.Advance(TimeSpan.FromHours(2));
        world.Answer("r2", SurveyKind.Csat, "globex", 1, "Still slow");
        world.Answer("r2", SurveyKind.Csat, "globex", 1, "Still slow"); // the same answer written again changes nothing
        world.Time.Advance(TimeSpan.FromHours(1));
        world.Answer("r3", SurveyKind.Nps, "globex", 2);

        var only = Assert.Single(world.Store.All);
        Assert.Equal("Too slow", only.Comment);
        Assert.Equal(2, only.LaterAnswers);

        world.Time.Advance(TimeSpan.FromDays(1));
        world.Answer("r4", SurveyKind.Nps, "globex", 2);
        Assert.Equal(2, world.Store.All.Count);
    }

    [Fact]
    public void Answer_Days_AreTheCompanysDays()
    {
        // 22:30 and 23:30 UTC on Nov 23 are 23:30 on the 23rd and 00:30 on the 24th in Berlin: two days, two cases.
        using var world = new FollowUpWorld(zone: "Europe/Berlin");
        world.Time.SetUtcNow(new DateTimeOffset(2026, 11, 23, 23, 45, 0, TimeSpan.Zero));

        world.Answer("r1", SurveyKind.Nps, "globex", 3, at: new DateTimeOffset(2026, 11, 23, 22, 30, 0, TimeSpan.Zero));
        world.Answer("r2", SurveyKind.Nps, "globex", 3, at: new DateTimeOffset(2026, 11, 23, 23, 30, 0, TimeSpan.Zero));

        Assert.Equal([new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 24)], world.Store.All.Select(c => c.Day).Order());
    }

    [Fact]
    public void Answer_FromAnImportOfHistory_OpensNoCase()
    {
        using var world = new FollowUpWorld();

        world.Answer("r1", SurveyKind.Nps, "globex", 1, at: world.Time.GetUtcNow() - FollowUpOpener.MaxAge - TimeSpan.FromMinutes(1));

        Assert.Empty(world.Store.All);
    }

    [Fact]
    public void Answer_ToASurveyWithNoChannel_OpensNoCase()
    {
        using var world = new FollowUpWorld(new FollowUpOptions { Nps = "slack:C0SUCCESS" });

        world.Answer("r1", SurveyKind.Csat, "globex", 1);

        Assert.Empty(world.Store.All);
    }
}
