using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;

namespace GrowthBot.Core.Tests.Alerts;

/// <summary>Acknowledge, Snooze and Explain on an alert's post.</summary>
public sealed class AlertButtonsTests : IDisposable
{
    private readonly AlertWorld _world = new();

    public void Dispose() => _world.Dispose();

    private async Task<(string Id, ChatMessage Post)> Fired()
    {
        _world.Answers(SurveyKind.Nps, 0, 40);
        var id = await _world.SetAlert("alert nps below 0");
        await _world.Check();
        return (id, Assert.Single(_world.Slack.Sent).Message);
    }

    [Fact]
    public async Task Acknowledge_RecordsWhoAndReplacesThePostShowingIt()
    {
        var (id, post) = await Fired();

        var reply = await _world.Press(AlertWorld.ButtonsOf(post).Single(button => button.Label == "Acknowledge"));

        Assert.True(reply!.ReplacesOriginal);
        Assert.Contains("Acknowledged by Ana at Mon Dec 7, 10:00.", reply.FallbackText, StringComparison.Ordinal);
        Assert.DoesNotContain(AlertWorld.ButtonsOf(reply), button => button.Label == "Acknowledge");
        var state = _world.Alert(id).State;
        Assert.Equal("U0ANA", state.AcknowledgedBy);
        Assert.Equal(_world.Time.GetUtcNow(), state.AcknowledgedAt);
    }

    [Fact]
    public async Task Acknowledge_IsClearedAtTheReArm_SoTheNextCrossingAsksAgain()
    {
        var (id, post) = await Fired();
        await _world.Press(AlertWorld.ButtonsOf(post).Single(button => button.Label == "Acknowledge"));

        _world.Answers(SurveyKind.Nps, 10, 120, firstCustomer: 100);
        await _world.Check();

        Assert.Null(_world.Alert(id).State.AcknowledgedBy);
    }

    [Theory]
    [InlineData("Snooze 1 day", 1)]
    [InlineData("Snooze 1 week", 7)]
    public async Task Snooze_StoresUntilWhen(string label, int days)
    {
        var (id, post) = await Fired();

        var reply = await _world.Press(AlertWorld.ButtonsOf(post).Single(button => button.Label == label));

        Assert.True(reply!.ReplacesOriginal);
        Assert.Equal(_world.Time.GetUtcNow().AddDays(days), _world.Alert(id).State.SnoozedUntil);
        Assert.Contains($"Snoozed until {(days == 1 ? "Tue Dec 8" : "Mon Dec 14")}, 10:00 by Ana.", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_GivesTheQuestionsOwnExplanation()
    {
        var (_, post) = await Fired();

        var reply = await _world.Press(AlertWorld.ButtonsOf(post).Single(button => button.Label == "Explain"));
        var asked = await _world.Questions.HandleAsync(new IncomingMessage(ChatPlatform.Slack, "d1", AlertWorld.Channel, null, AlertWorld.Staff, "explain nps in the last 7 days", _world.Time.GetUtcNow()), CancellationToken.None);

        Assert.StartsWith("Net Promoter Score — the last 7 days", reply!.FallbackText, StringComparison.Ordinal);
        // From the numerator on, the very lines a typed "explain" gives.
        var explained = reply.FallbackText.Split('\n').SkipWhile(line => !line.StartsWith("Numerator", StringComparison.Ordinal)).Take(4).ToList();
        Assert.Equal(["Numerator: -40", "Denominator: 40", "Sample size: 40", "Margin of error (95%): ±10.34"], explained);
        Assert.All(explained, line => Assert.Contains(line, asked!.FallbackText, StringComparison.Ordinal));
        Assert.Contains("How it was computed: Net Promoter Score = (promoters (9–10) 0 − detractors (0–6) 40) ÷ answers 40 × 100 = -100.", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Buttons_PressedByNonStaff_AreRefusedAndChangeNothing()
    {
        var (id, post) = await Fired();
        var guest = new Requester(ChatPlatform.Slack, "U0GUEST", "T0HOME", IsGuest: true);

        foreach (var button in AlertWorld.ButtonsOf(post))
        {
            var reply = await _world.Press(button, guest);
            Assert.DoesNotContain("-100", reply!.FallbackText, StringComparison.Ordinal);
        }
        Assert.Null(_world.Alert(id).State.AcknowledgedBy);
        Assert.Null(_world.Alert(id).State.SnoozedUntil);
    }

    [Fact]
    public async Task Buttons_OfARemovedAlert_SaySo()
    {
        var (id, post) = await Fired();
        await _world.Type($"alert off {id}");

        var reply = await _world.Press(AlertWorld.ButtonsOf(post).Single(button => button.Label == "Acknowledge"));

        Assert.StartsWith("This alert was removed", reply!.FallbackText, StringComparison.Ordinal);
    }
}
