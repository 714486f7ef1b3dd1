using GrowthBot.Core.Alerts;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Tests.Alerts;

/// <summary>Setting, listing and removing alerts in chat, and what each kind of mistake is told.</summary>
public sealed class AlertCommandsTests : IDisposable
{
    private readonly AlertWorld _world = new();

    public void Dispose() => _world.Dispose();

    [Theory]
    [InlineData("alert churn above 3%", MetricId.CustomerChurn, AlertCondition.Above, "3", ChangeUnit.Percent, Breakdown.None, null)]
    [InlineData("alert nps drops 5 points", MetricId.Nps, AlertCondition.Drops, "5", ChangeUnit.Points, Breakdown.None, null)]
    [InlineData("alert mrr-growth below 0 by segment", MetricId.RevenueGrowth, AlertCondition.Below, "0", ChangeUnit.Points, Breakdown.Segment, null)]
    [InlineData("alert csat unusual", MetricId.Csat, AlertCondition.Unusual, null, ChangeUnit.Points, Breakdown.None, null)]
    [InlineData("Alert when NPS drops by 10 % this month", MetricId.Nps, AlertCondition.Drops, "10", ChangeUnit.Percent, Breakdown.None, "when NPS this month")]
    [InlineData("alert mrr falls 1.5k", MetricId.Mrr, AlertCondition.Drops, "1.5", ChangeUnit.Points, Breakdown.None, null)]
    [InlineData("alert ces goes below 4.5 by channel", MetricId.Ces, AlertCondition.Below, "4.5", ChangeUnit.Points, Breakdown.Channel, null)]
    public async Task Alert_AsTyped_IsSetAsMeant(string text, MetricId metric, AlertCondition condition, string? threshold, ChangeUnit unit, Breakdown by, string? period)
    {
        var reply = await _world.Type(text);

        Assert.StartsWith("Alert ", reply, StringComparison.Ordinal);
        var rule = Assert.Single(_world.Book.All()).Rule;
        Assert.Equal(metric, rule.Metric);
        Assert.Equal(condition, rule.Condition);
        if (metric != MetricId.Mrr) Assert.Equal(threshold is null ? null : decimal.Parse(threshold, System.Globalization.CultureInfo.InvariantCulture), rule.Threshold);
        Assert.Equal(unit, rule.Unit);
        Assert.Equal(by, rule.By);
        Assert.Equal(period, rule.PeriodText);
        Assert.Equal(AlertWorld.Channel, rule.ConversationId);
        Assert.Equal("U0ANA", rule.CreatedBy);
    }

    [Fact]
    public async Task Alert_OnAThousand_MeansTheAmount()
    {
        await _world.Type("alert mrr falls 1.5k");
        Assert.Equal(1500m, Assert.Single(_world.Book.All()).Rule.Threshold);
        await _world.Type("alert mrr below 1.5k");
        Assert.Equal(1500m, _world.Book.All()[1].Rule.Threshold);
    }

    [Theory]
    [InlineData("alert foo above 3", "I don't know which metric \"foo\" is.")]
    [InlineData("alert churn above lots", "Above what? Give a number after it")]
    [InlineData("alert nps above 150", "A threshold for Net Promoter Score must be between -100 and +100.")]
    [InlineData("alert nps drops 0 points", "A change to watch for must be more than 0 and at most 200 points")]
    [InlineData("alert ces drops 9 points", "at most 6 points")]
    [InlineData("alert churn whenever", "I couldn't find the condition in \"churn whenever\"")]
    [InlineData("alert nps and csat below 30", "One metric per alert, please: I read nps and csat.")]
    [InlineData("alert nps below 0 by plan", "I can split by segment or by channel, not by \"plan\".")]
    [InlineData("alert nps below 0 purple", "I didn't understand \"purple\"")]
    public async Task Alert_Mistyped_GetsAFriendlyReplySayingWhatWorks(string text, string expected)
    {
        var reply = await _world.Type(text);

        Assert.Contains(expected, reply, StringComparison.Ordinal);
        Assert.Empty(_world.Book.All());
    }

    [Fact]
    public async Task Alert_Reply_SaysWhereItPostsAndWhereTheMetricStandsNow()
    {
        _world.Answers(SurveyKind.Nps, 10, 40);

        var reply = await _world.Type("alert nps below 0");

        Assert.Contains("nps below 0, over the last 7 days against the 7 before", reply, StringComparison.Ordinal);
        Assert.Contains("post here once when it starts to hold", reply, StringComparison.Ordinal);
        Assert.Contains("Right now it is +100, so it does not hold.", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alert_FromSomeoneWhoIsNotStaff_IsRefusedLikeAMetricQuestion()
    {
        var guest = new Requester(ChatPlatform.Slack, "U0GUEST", "T0HOME", IsGuest: true);
        var outsider = new Requester(ChatPlatform.Slack, "U0OUT", "T0OTHER", false);
        await _world.Type("alert nps below 0");

        foreach (var who in new[] { guest, outsider })
        {
            Assert.Contains("metrics", await _world.Type("alert churn above 3%", who), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("nps below 0", await _world.Type("alerts", who), StringComparison.Ordinal);
            Assert.DoesNotContain("Removed", await _world.Type("alert off " + _world.Book.All()[0].Id, who), StringComparison.Ordinal);
        }
        Assert.Single(_world.Book.All());
    }

    [Fact]
    public async Task Alert_InAConversationOutsidersRead_IsRefused()
    {
        _world.Audience.Outside[AlertWorld.Channel] = "it is shared with another organisation";

        var reply = await _world.Type("alert nps below 0");

        Assert.StartsWith("I can't set alerts here: it is shared with another organisation", reply, StringComparison.Ordinal);
        Assert.Empty(_world.Book.All());
    }

    [Fact]
    public async Task Alerts_ListsStateAcknowledgementAndSnooze()
    {
        _world.Answers(SurveyKind.Nps, 0, 40);
        var firing = await _world.SetAlert("alert nps below 0");
        var quiet = await _world.SetAlert("alert csat below 10");
        await _world.Check();
        var post = Assert.Single(_world.Slack.Sent).Message;
        await _world.Press(AlertWorld.ButtonsOf(post).Single(button => button.Label == "Acknowledge"));
        _world.Book.Update(quiet, state => state with { SnoozedUntil = _world.Time.GetUtcNow().AddDays(7), SnoozedByName = "Bo" });

        var list = await _world.Type("alerts");

        Assert.Contains($"{firing}: nps below 0 — firing since Mon Dec 7, 10:00 at -100. Acknowledged by Ana at Mon Dec 7, 10:00. Set by Ana.", list, StringComparison.Ordinal);
        Assert.Contains($"{quiet}: csat below 10% — armed (waiting: no value for the period). Snoozed until Mon Dec 14, 10:00 by Bo. Set by Ana.", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertOff_RemovesIt_AndAnUnknownIdIsSaidToBeUnknown()
    {
        var id = await _world.SetAlert("alert nps below 0");

        Assert.Contains("There is no alert \"zzzzzz\"", await _world.Type("alert off zzzzzz"), StringComparison.Ordinal);
        Assert.StartsWith($"Removed alert {id} (nps below 0).", await _world.Type($"alert off {id}"), StringComparison.Ordinal);
        Assert.Empty(_world.Book.All());
        Assert.StartsWith("No alerts are set.", await _world.Type("alerts"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alert_BeyondTheMostAllowed_IsRefused()
    {
        using var world = new AlertWorld(new AlertOptions { MaxAlerts = 1 });
        await world.SetAlert("alert nps below 0");

        Assert.StartsWith("There are already 1 alerts, the most allowed", await world.Type("alert csat below 50"), StringComparison.Ordinal);
    }

    [Fact]
    public void HelpLines_NameTheCommands()
    {
        Assert.Contains(_world.Commands.HelpLines, line => line.StartsWith("alert METRIC", StringComparison.Ordinal));
        Assert.Contains(_world.Commands.HelpLines, line => line.StartsWith("alerts", StringComparison.Ordinal));
    }
}
