using GrowthBot.Core.Alerts;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;

namespace GrowthBot.Storage.Tests;

/// <summary>Alerts (rule and state, acknowledgement and snooze included) survive a reopen exactly; ids are exact.</summary>
public sealed class LiteAlertStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 30, 15, 123, TimeSpan.Zero);
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Alert Full() => new(
        new AlertRule("a1b2c3", MetricId.CustomerChurn, AlertCondition.Above, 3.125m, ChangeUnit.Percent, Breakdown.Segment, "this month",
            ChatPlatform.Slack, "C0GROWTH", "T:T0ONE", "U0ANA", "Ana <b>", Now, "de-DE"),
        new AlertState(true, Now.AddMinutes(1), -12.3456789m,
            new AlertPost(ChatPlatform.Slack, "C0TEAM", "T:T0ONE", "1733563815.000100", "this month so far@2026-12-01T00:00", Now.AddMinutes(1)),
            "U0BOB", "Bob", Now.AddMinutes(2), Now.AddDays(7), "Bob", Now.AddMinutes(3), "only 3 answers"));

    private static readonly Alert Bare = new(
        new AlertRule("d4e5f6", MetricId.Csat, AlertCondition.Unusual, null, ChangeUnit.Points, Breakdown.None, null,
            ChatPlatform.Teams, "19:x@thread.tacv2", null, "29:u", null, Now.AddSeconds(1)),
        AlertState.Armed);

    [Fact]
    public void Alerts_RoundTrip_AndSurviveAReopen()
    {
        using (var store = _temp.Open())
        {
            var alerts = new LiteAlertStore(store);
            alerts.Save(Bare);
            alerts.Save(Full());
        }

        using var reopened = _temp.Open();
        var again = new LiteAlertStore(reopened);

        Assert.Equal(Full(), again.Find("a1b2c3"));
        Assert.Equal(Bare, again.Find("d4e5f6"));
        Assert.Equal(["a1b2c3", "d4e5f6"], again.All().Select(alert => alert.Id));
    }

    [Fact]
    public void Save_ReplacesTheWholeRecord_AndRemoveSaysWhetherThereWasOne()
    {
        using var store = _temp.Open();
        var alerts = new LiteAlertStore(store);
        alerts.Save(Full());

        alerts.Save(Full() with { State = AlertState.Armed });

        Assert.Equal(AlertState.Armed, alerts.Find("a1b2c3")!.State);
        Assert.True(alerts.Remove("a1b2c3"));
        Assert.False(alerts.Remove("a1b2c3"));
        Assert.Null(alerts.Find("a1b2c3"));
        Assert.Empty(alerts.All());
    }

    [Fact]
    public void Find_IsExact_NotCaseInsensitive()
    {
        using var store = _temp.Open();
        var alerts = new LiteAlertStore(store);
        alerts.Save(Full());

        Assert.Null(alerts.Find("A1B2C3"));
        Assert.False(alerts.Remove("A1B2C3"));
        Assert.NotNull(alerts.Find("a1b2c3"));
    }
}
