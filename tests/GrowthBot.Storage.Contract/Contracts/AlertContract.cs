using GrowthBot.Core.Alerts;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using GrowthBot.Storage.Contract.Support;

namespace GrowthBot.Storage.Contract.Contracts;

/// <summary>Alerts (rule and state, acknowledgement and snooze included) survive a reopen exactly; ids are exact; times are kept to the millisecond.</summary>
public abstract class AlertContract(IStoreProvider provider) : StoreContract(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 30, 15, 123, TimeSpan.Zero);

    private static Alert Full() => new(
        new AlertRule("a1b2c3", MetricId.CustomerChurn, AlertCondition.Above, 3.125m, ChangeUnit.Percent, Breakdown.Segment, "this month",
            ChatPlatform.Slack, "C0GROWTH", "T:T0ONE", "U0ANA", "Ana <b>", Now, "de-DE"),
        new AlertState(true, Now.AddMinutes(1), -12.3456789m,
            new AlertPost(ChatPlatform.Slack, "C0TEAM", "T:T0ONE", "1733563815.000100", "this month so far@2026-12-01T00:00", Now.AddMinutes(1), Now.AddMinutes(4)),
            "U0BOB", "Bob", Now.AddMinutes(2), Now.AddDays(7), "Bob", Now.AddMinutes(3), "only 3 answers"));

    private static readonly Alert Bare = new(
        new AlertRule("d4e5f6", MetricId.Csat, AlertCondition.Unusual, null, ChangeUnit.Points, Breakdown.None, null,
            ChatPlatform.Teams, "19:x@thread.tacv2", null, "29:u", null, Now.AddSeconds(1)),
        AlertState.Armed);

    [Fact]
    public void Alerts_RoundTrip_AndSurviveAReopen()
    {
        using (var store = Open())
        {
            store.Alerts.Save(Bare);
            store.Alerts.Save(Full());
        }

        using var reopened = Open();
        var again = reopened.Alerts;

        Assert.Equal(Full(), again.Find("a1b2c3"));
        Assert.Equal(Bare, again.Find("d4e5f6"));
        Assert.Equal(["a1b2c3", "d4e5f6"], again.All().Select(alert => alert.Id));
    }

    [Fact]
    public void OwedPost_RoundTrips_AndOnlyOneOfTwoHostsTakesItOver()
    {
        // A crossing recorded by a host that died before posting it: firing, no post, owed by that host until its lease ended.
        var owed = Bare with { State = new AlertState(Firing: true, FiredAt: Now, LastValue: -3m, OwedBy: "host-a", OwedUntil: Now.AddMinutes(2)) };
        using (var store = Open()) store.Alerts.Save(owed);
        using var reopened = Open();
        var read = reopened.Alerts.Find("d4e5f6")!;
        Assert.Equal(owed, read);
        Assert.True(read.State.PostOverdue(Now.AddMinutes(2)));
        Assert.False(read.State.PostOverdue(Now.AddMinutes(2).AddMilliseconds(-1)));

        // Two hosts read it overdue and each claims it by compare-and-set: one wins.
        var byB = read with { State = read.State with { OwedBy = "host-b", OwedUntil = Now.AddMinutes(4) } };
        var byC = read with { State = read.State with { OwedBy = "host-c", OwedUntil = Now.AddMinutes(4) } };
        Assert.True(reopened.Alerts.TryReplace(byB));
        Assert.False(reopened.Alerts.TryReplace(byC));
        Assert.Equal("host-b", reopened.Alerts.Find("d4e5f6")!.State.OwedBy);
    }

    [Fact]
    public void Save_ReplacesTheWholeRecord_AndRemoveSaysWhetherThereWasOne()
    {
        using var store = Open();
        var alerts = store.Alerts;
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
        using var store = Open();
        var alerts = store.Alerts;
        alerts.Save(Full());

        Assert.Null(alerts.Find("A1B2C3"));
        Assert.False(alerts.Remove("A1B2C3"));
        Assert.NotNull(alerts.Find("a1b2c3"));
    }

    [Fact]
    public void All_SameCreationTime_IsOrderedById()
    {
        using var store = Open();
        var rule = Bare.Rule with { CreatedAt = Now };
        foreach (var id in new[] { "b00000", "c00000", "a00000" }) store.Alerts.Save(Bare with { Rule = rule with { Id = id } });

        Assert.Equal(["a00000", "b00000", "c00000"], store.Alerts.All().Select(alert => alert.Id));
    }

    [Fact]
    public void Save_SubMillisecondInstantsAndAnOffset_ComeBackInUtcCutToTheMillisecond()
    {
        using var store = Open();
        var reading = new DateTimeOffset(2026, 12, 7, 10, 30, 15, 123, TimeSpan.FromHours(1)).AddTicks(4_567);
        var alert = Bare with
        {
            Rule = Bare.Rule with { CreatedAt = reading },
            State = AlertState.Armed with { FiredAt = reading, LastCheckedAt = reading, SnoozedUntil = reading, LastValue = 0.1000m },
        };

        store.Alerts.Save(alert);

        var found = store.Alerts.Find(alert.Id)!;
        var expected = new DateTimeOffset(2026, 12, 7, 9, 30, 15, 123, TimeSpan.Zero);
        Assert.Equal((expected.Ticks, TimeSpan.Zero), (found.Rule.CreatedAt.Ticks, found.Rule.CreatedAt.Offset));
        Assert.Equal([expected, expected, expected], [found.State.FiredAt!.Value, found.State.LastCheckedAt!.Value, found.State.SnoozedUntil!.Value]);
        Assert.Equal("0.1000", found.State.LastValue!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
    [Fact]
    public void Save_CountsVersions_FromOneForANewAlert()
    {
        using var store = Open();
        store.Alerts.Save(Bare);
        Assert.Equal(1, store.Alerts.Find(Bare.Id)!.Version);

        // Whatever version the caller holds, a save is one more than what is stored.
        store.Alerts.Save(Bare with { Version = 40 });

        Assert.Equal(2, store.Alerts.Find(Bare.Id)!.Version);
        Assert.Equal(2, Assert.Single(store.Alerts.All()).Version);
    }

    [Fact]
    public void TryReplace_VersionStillAsRead_ReplacesAndCountsOneMore()
    {
        using var store = Open();
        store.Alerts.Save(Bare);
        var read = store.Alerts.Find(Bare.Id)!;

        Assert.True(store.Alerts.TryReplace(read with { State = read.State with { Firing = true } }));

        var after = store.Alerts.Find(Bare.Id)!;
        Assert.True(after.State.Firing);
        Assert.Equal(read.Version + 1, after.Version);
    }

    [Fact]
    public void TryReplace_SavedByAnotherSinceItWasRead_ChangesNothingAndSaysSo()
    {
        using var store = Open();
        store.Alerts.Save(Bare);
        var first = store.Alerts.Find(Bare.Id)!;
        var second = store.Alerts.Find(Bare.Id)!;

        // Two hosts read the same armed alert; both try to record the crossing: one wins.
        Assert.True(store.Alerts.TryReplace(first with { State = first.State with { Firing = true, LastNote = "first" } }));
        Assert.False(store.Alerts.TryReplace(second with { State = second.State with { Firing = true, LastNote = "second" } }));

        Assert.Equal("first", store.Alerts.Find(Bare.Id)!.State.LastNote);
        Assert.False(store.Alerts.TryReplace(Full() with { Version = 0 }), "an alert that is not stored is not replaced");
        Assert.Null(store.Alerts.Find(Full().Id));
    }

    [Fact]
    public void TryReplace_AfterAReopen_ComparesWithTheStoredVersion()
    {
        using (var store = Open())
        {
            store.Alerts.Save(Bare);
            store.Alerts.Save(Bare);
        }

        using var reopened = Open();
        var read = reopened.Alerts.Find(Bare.Id)!;
        Assert.Equal(2, read.Version);
        Assert.False(reopened.Alerts.TryReplace(read with { Version = 1 }));
        Assert.True(reopened.Alerts.TryReplace(read));
        Assert.Equal(3, reopened.Alerts.Find(Bare.Id)!.Version);
    }
    [Fact]
    public void TryReplaceAll_ReplacesThoseStillAsRead_AndSaysWhichForEach()
    {
        using var store = Open();
        store.Alerts.Save(Bare);
        store.Alerts.Save(Full());
        var bare = store.Alerts.Find(Bare.Id)!;
        var full = store.Alerts.Find(Full().Id)!;
        store.Alerts.Save(full); // saved by another since it was read

        var replaced = store.Alerts.TryReplaceAll(
        [
            bare with { State = bare.State with { LastValue = 1.5m } },
            full with { State = full.State with { LastValue = 2.5m } },
            Bare with { Rule = Bare.Rule with { Id = "ffffff" } },
        ]);

        Assert.Equal([true, false, false], replaced);
        Assert.Equal((1.5m, 2L), (store.Alerts.Find(Bare.Id)!.State.LastValue, store.Alerts.Find(Bare.Id)!.Version));
        Assert.Equal(-12.3456789m, store.Alerts.Find(Full().Id)!.State.LastValue);
        Assert.Null(store.Alerts.Find("ffffff"));
    }
}
