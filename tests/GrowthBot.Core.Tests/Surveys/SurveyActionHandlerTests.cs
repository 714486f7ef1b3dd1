using GrowthBot.Core.Data;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Core.Tests.Surveys;

/// <summary>Survey presses that must be refused with a friendly message and no data touched.</summary>
public sealed class SurveyActionHandlerTests : IDisposable
{
    private readonly SurveyWorld _world = new();

    [Fact]
    public async Task ForgedValue_IsRefused()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];
        var forged = SurveyButtonCodec.FromText("someone-elses-key-0123456789").Sign(SurveyMessages.ScoreAction, invitation.RunId, invitation.Id, 10);

        var reply = await _world.PressAsync(invitation, SurveyMessages.ScoreAction, value: forged);

        AssertRefused(reply, "couldn't verify that button", invitation);
    }

    [Fact]
    public async Task EditedScore_BreaksTheSignature_AndIsRefused()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];
        var edited = _world.Codec.Sign(SurveyMessages.ScoreAction, invitation.RunId, invitation.Id, 3).Replace("|3|", "|10|", StringComparison.Ordinal);

        AssertRefused(await _world.PressAsync(invitation, SurveyMessages.ScoreAction, value: edited), "couldn't verify", invitation);
    }

    [Fact]
    public async Task ValueOfAnotherButton_IsRefused()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];
        var skipValue = _world.Codec.Sign(SurveyMessages.SkipAction, invitation.RunId, invitation.Id);

        AssertRefused(await _world.PressAsync(invitation, SurveyMessages.ScoreAction, value: skipValue), "couldn't verify", invitation);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(-1)]
    [InlineData(100)]
    public async Task SignedScoreOutsideTheScale_IsRefused(int score)
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];

        AssertRefused(await _world.PressAsync(invitation, SurveyMessages.ScoreAction, score), "isn't on this survey's scale (0–10)", invitation);
    }

    [Fact]
    public async Task RunThatDoesNotExist_IsRefused()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];
        var ghost = _world.Codec.Sign(SurveyMessages.ScoreAction, "nps-19990101-0000-dead", invitation.Id, 9);

        AssertRefused(await _world.PressAsync(invitation, SurveyMessages.ScoreAction, value: ghost), "can't find that survey", invitation);
    }

    [Fact]
    public async Task InvitationOfAnotherRun_IsRefused()
    {
        var first = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];
        var second = (await _world.SendAsync(SurveyKind.Ces, "U2"))["U2"];
        var mixed = _world.Codec.Sign(SurveyMessages.ScoreAction, second.RunId, first.Id, 5);

        AssertRefused(await _world.PressAsync(first, SurveyMessages.ScoreAction, value: mixed), "can't find that survey", first);
    }

    [Fact]
    public async Task SomeoneWhoWasNotInvited_IsRefused()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];

        AssertRefused(await _world.PressAsync(invitation, SurveyMessages.ScoreAction, 10, user: "U2"), "sent to someone else", invitation);
    }

    [Fact]
    public async Task SameScoreTwice_KeepsOneResponse()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];

        await _world.PressAsync(invitation, SurveyMessages.ScoreAction, 9);
        await _world.PressAsync(invitation, SurveyMessages.ScoreAction, 9);

        Assert.Single(_world.Responses.Responses);
        Assert.Equal(1, _world.Nps().Result.SampleSize);
    }

    [Fact]
    public async Task ReplayedDelivery_IsNotAppliedOrAnsweredTwice()
    {
        var invitation = (await _world.SendAsync(SurveyKind.Nps, "U1"))["U1"];
        var nine = _world.Action(SurveyMessages.ScoreAction, _world.Codec.Sign(SurveyMessages.ScoreAction, invitation.RunId, invitation.Id, 9), "U1");
        var three = _world.Action(SurveyMessages.ScoreAction, _world.Codec.Sign(SurveyMessages.ScoreAction, invitation.RunId, invitation.Id, 3), "U1");

        Assert.NotNull(await _world.Handler.HandleActionAsync(nine, CancellationToken.None));
        Assert.NotNull(await _world.Handler.HandleActionAsync(three, CancellationToken.None));
        var writes = _world.Responses.Writes;
        var replay = await _world.Handler.HandleActionAsync(nine, CancellationToken.None);

        Assert.Null(replay);
        Assert.Equal(writes, _world.Responses.Writes);
        Assert.Equal(3, _world.Responses.Responses[invitation.ResponseId].Score);
    }

    [Fact]
    public async Task ConcurrentPresses_AreAllRecorded()
    {
        var sent = await _world.SendAsync(SurveyKind.Nps, "U1", "U2", "U3");

        await Task.WhenAll(sent.Values.Select((invitation, index) => _world.PressAsync(invitation, SurveyMessages.ScoreAction, 8 + index)));

        Assert.Equal(3, _world.Responses.Responses.Count);
        Assert.All(sent.Values, invitation => Assert.Equal(InvitationState.Scored, _world.Current(invitation).State));
    }

    public void Dispose() => _world.Dispose();

    private void AssertRefused(GrowthBot.Core.Conversations.ChatMessage? reply, string says, SurveyInvitation invitation)
    {
        Assert.NotNull(reply);
        Assert.Contains(says, reply.FallbackText, StringComparison.Ordinal);
        Assert.False(reply.ReplacesOriginal);
        Assert.Empty(_world.Responses.Responses);
        Assert.Equal(InvitationState.Invited, _world.Current(invitation).State);
    }
}
