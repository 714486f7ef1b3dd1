using GrowthBot.Core.Alerts;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Tests.Alerts;

/// <summary>The no-noise rules of alert checks, on a fake clock: crossing, re-arm, snooze, minimum volume, bursts and duplicates.</summary>
public sealed class AlertMonitorTests : IDisposable
{
    private readonly AlertWorld _world = new();

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task Check_ConditionBecomesTrue_PostsOnceWithItsButtons()
    {
        _world.Answers(SurveyKind.Nps, 10, 60);
        var id = await _world.SetAlert("alert nps below 0");
        Assert.Equal(0, (await _world.Check()).Posted);

        _world.Answers(SurveyKind.Nps, 2, 120, firstCustomer: 60);
        var report = await _world.Check();

        Assert.Equal(1, report.Posted);
        var (address, message) = Assert.Single(_world.Slack.Sent);
        Assert.Equal(AlertWorld.Channel, address.ConversationId);
        Assert.StartsWith("Alert: nps below 0", message.FallbackText, StringComparison.Ordinal);
        Assert.Contains("Net Promoter Score is -33.3 in the last 7 days", message.FallbackText, StringComparison.Ordinal);
        Assert.Contains("below the 0 threshold, beyond its ±", message.FallbackText, StringComparison.Ordinal);
        Assert.Contains("margin of error (95%)", message.FallbackText, StringComparison.Ordinal);
        Assert.Equal(["Acknowledge", "Snooze 1 day", "Snooze 1 week", "Explain"], AlertWorld.ButtonsOf(message).Select(button => button.Label));
        Assert.True(_world.Alert(id).State.Firing);

        // Still true at the next checks: nothing more is posted.
        _world.Time.Advance(TimeSpan.FromMinutes(15));
        await _world.Check();
        await _world.Check();
        Assert.Single(_world.Slack.Sent);
    }

    [Fact]
    public async Task Check_FalseAgainThenTrue_ReArmsAndUpdatesThePeriodsFirstPostInsteadOfPostingAgain()
    {
        _world.Answers(SurveyKind.Nps, 2, 120, firstCustomer: 60);
        var id = await _world.SetAlert("alert nps below 0");
        await _world.Check();
        var first = Assert.Single(_world.Slack.Sent);

        _world.Answers(SurveyKind.Nps, 10, 120, firstCustomer: 180);
        var rearmed = await _world.Check();
        Assert.Equal(1, rearmed.Resolved);
        Assert.False(_world.Alert(id).State.Firing);
        var (resolvedPost, resolvedMessage) = Assert.Single(_world.Slack.Updated);
        Assert.Equal("m1", resolvedPost.MessageId);
        Assert.StartsWith("Back to normal: nps below 0", resolvedMessage.FallbackText, StringComparison.Ordinal);

        _world.Answers(SurveyKind.Nps, 0, 120, firstCustomer: 0, daysAgo: 0.5);
        var again = await _world.Check();

        Assert.Equal(0, again.Posted);
        Assert.Equal(1, again.Updated);
        Assert.Single(_world.Slack.Sent);
        Assert.Equal(2, _world.Slack.Updated.Count);
        Assert.StartsWith("Alert: nps below 0", _world.Slack.Updated.Last().Message.FallbackText, StringComparison.Ordinal);
        Assert.True(_world.Alert(id).State.Firing);
    }

    [Fact]
    public async Task Check_CrossingAfterThePeriodOfTheFirstPost_PostsANewMessage()
    {
        _world.Answers(SurveyKind.Nps, 2, 120, firstCustomer: 60);
        await _world.SetAlert("alert nps below 0");
        await _world.Check();
        _world.Answers(SurveyKind.Nps, 10, 120, firstCustomer: 180);
        await _world.Check();

        // Eight days on, the rolling 7 days of the first post are over: a new crossing is a new post.
        _world.Time.Advance(TimeSpan.FromDays(8));
        _world.Answers(SurveyKind.Nps, 1, 150, firstCustomer: 0);
        await _world.Check();

        Assert.Equal(2, _world.Slack.Sent.Count);
    }

    [Fact]
    public async Task Check_WhileSnoozed_PostsNothing_AndFiresWhenTheSnoozeEnds()
    {
        _world.Answers(SurveyKind.Nps, 10, 60);
        var id = await _world.SetAlert("alert nps below 0");
        _world.Book.Update(id, state => state with { SnoozedUntil = _world.Time.GetUtcNow().AddDays(1), SnoozedByName = "Ana" });

        _world.Answers(SurveyKind.Nps, 2, 120, firstCustomer: 60);
        await _world.Check();
        Assert.Empty(_world.Slack.Sent);
        Assert.False(_world.Alert(id).State.Firing);

        _world.Time.Advance(TimeSpan.FromHours(23));
        await _world.Check();
        Assert.Empty(_world.Slack.Sent);

        _world.Time.Advance(TimeSpan.FromHours(1));
        await _world.Check();
        Assert.Single(_world.Slack.Sent);
    }

    [Fact]
    public async Task Check_OneResponseOfOne_DoesNotFire_AndSaysWhy()
    {
        var id = await _world.SetAlert("alert nps below 0");
        _world.Answers(SurveyKind.Nps, 0, 1);

        await _world.Check();

        Assert.Empty(_world.Slack.Sent);
        Assert.Equal("only 1 answer in the period, fewer than 30", _world.Alert(id).State.LastNote);
        Assert.Contains("waiting: only 1 answer in the period, fewer than 30", await _world.Type("alerts"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_JustUnderTheThresholdButWithinTheMarginOfError_DoesNotFire()
    {
        // 60 promoters and 66 detractors: NPS −4.8, but its margin is about ±17, so "below 0" is not shown.
        _world.Answers(SurveyKind.Nps, 10, 60);
        _world.Answers(SurveyKind.Nps, 0, 66, firstCustomer: 60);
        await _world.SetAlert("alert nps below 0");

        await _world.Check();

        Assert.Empty(_world.Slack.Sent);
    }

    [Fact]
    public async Task Check_CrossedAndUncrossedBeforeTheCheck_PostsNothing()
    {
        _world.Answers(SurveyKind.Nps, 10, 60);
        await _world.SetAlert("alert nps below 0");
        await _world.Check();

        // Two writes arrive together; the background check runs once after both.
        _world.Answers(SurveyKind.Nps, 0, 100, firstCustomer: 60);
        _world.Answers(SurveyKind.Nps, 10, 120, firstCustomer: 160);
        Assert.True(_world.Monitor.ChangesWaiting);
        var report = await _world.Check();

        Assert.False(_world.Monitor.ChangesWaiting);
        Assert.Equal(0, report.Posted);
        Assert.Empty(_world.Slack.Sent);
    }

    [Fact]
    public async Task DataChanged_DuplicateArrival_IsNoChange_AndPostsOnce()
    {
        await _world.SetAlert("alert nps below 0");
        var seen = _world.Monitor.ChangesSeen;
        var batch = _world.Answers(SurveyKind.Nps, 0, 40);
        await _world.Check();

        _world.Importer.Write(batch);
        Assert.Equal(seen + 1, _world.Monitor.ChangesSeen);
        Assert.False(_world.Monitor.ChangesWaiting);
        await _world.Check();

        Assert.Single(_world.Slack.Sent);
    }

    [Fact]
    public async Task Check_NothingAPersonCanSeeChanged_SavesNothing()
    {
        _world.Answers(SurveyKind.Nps, 10, 60);
        var id = await _world.SetAlert("alert nps below 0");
        await _world.Check();
        var saves = _world.Store.Saves;

        // A scheduled check, and one after a change that moves another metric: the same value, nothing to write.
        _world.Time.Advance(TimeSpan.FromMinutes(15));
        await _world.Check();
        _world.Answers(SurveyKind.Csat, 5, 10);
        await _world.Check();
        Assert.Equal(saves, _world.Store.Saves);

        // The value moved: saved, so "alerts" shows it.
        _world.Answers(SurveyKind.Nps, 8, 40, firstCustomer: 100);
        await _world.Check();
        Assert.Equal(saves + 1, _world.Store.Saves);
        Assert.Equal(60m, _world.Alert(id).State.LastValue);

        // Moved again within the minute of that save: not written yet (revenue moves with every plan change)...
        _world.Time.Advance(TimeSpan.FromSeconds(30));
        _world.Answers(SurveyKind.Nps, 0, 20, firstCustomer: 140);
        await _world.Check();
        Assert.Equal(saves + 1, _world.Store.Saves);
        Assert.Equal(60m, _world.Alert(id).State.LastValue);

        // ...but at the first check after it.
        _world.Time.Advance(TimeSpan.FromSeconds(30));
        await _world.Check();
        Assert.Equal(saves + 2, _world.Store.Saves);
        // 60 promoters, 40 passives, 20 detractors: (60 − 20) ÷ 120.
        Assert.Equal(33.3m, Math.Round(_world.Alert(id).State.LastValue!.Value, 1));
    }

    [Fact]
    public async Task Check_StillFiringValueMovesWithinAMinuteOfTheLastRefresh_RefreshesThePostOnceThatMinuteIsOver()
    {
        _world.Answers(SurveyKind.Nps, 2, 120, firstCustomer: 60);
        var id = await _world.SetAlert("alert nps below 0");
        await _world.Check();
        Assert.Single(_world.Slack.Sent);

        // Still below 0, but the value moved: not within the minute of the post...
        _world.Time.Advance(TimeSpan.FromSeconds(20));
        _world.Answers(SurveyKind.Nps, 10, 30, firstCustomer: 0, daysAgo: 0.5);
        await _world.Monitor.CheckChangedAsync(CancellationToken.None);
        Assert.Empty(_world.Slack.Updated);
        Assert.Equal(-100m, _world.Alert(id).State.LastValue);

        // ...then once the minute is over, at the next check: the post shows the value it holds now.
        _world.Time.Advance(TimeSpan.FromSeconds(45));
        await _world.Check();
        var (posted, message) = Assert.Single(_world.Slack.Updated);
        Assert.Equal("m1", posted.MessageId);
        Assert.Contains("Net Promoter Score is -60", message.FallbackText, StringComparison.Ordinal);
        Assert.Equal(-60m, _world.Alert(id).State.LastValue);
        Assert.Equal(_world.Time.GetUtcNow(), _world.Alert(id).State.Post!.RefreshedAt);

        // Another move right after: it waits a minute from that refresh.
        _world.Answers(SurveyKind.Nps, 10, 10, firstCustomer: 30, daysAgo: 0.5);
        await _world.Check();
        Assert.Single(_world.Slack.Updated);
    }

    [Fact]
    public async Task DataChanged_OnTheWritersThread_EvaluatesNothing()
    {
        await _world.SetAlert("alert nps below 0");
        var saves = _world.Store.Saves;

        _world.Answers(SurveyKind.Nps, 0, 40);

        // The write only flagged the change: no alert was read, judged or saved on the writer's thread.
        Assert.True(_world.Monitor.ChangesWaiting);
        Assert.Equal(saves, _world.Store.Saves);
        Assert.Empty(_world.Slack.Sent);
    }

    [Fact]
    public async Task Check_DropsBeyondTheMargin_Fires_ButASmallerDropDoesNot()
    {
        // The 7 days before: NPS +100 (60 promoters). Now: 50 promoters, 10 passives → +83.3, a drop of 16.7.
        _world.Answers(SurveyKind.Nps, 10, 60, daysAgo: 10);
        _world.Answers(SurveyKind.Nps, 10, 50, daysAgo: 2, firstCustomer: 100);
        _world.Answers(SurveyKind.Nps, 8, 10, daysAgo: 2, firstCustomer: 150);
        await _world.SetAlert("alert nps drops 20 points");
        await _world.SetAlert("alert nps drops 5 points");

        await _world.Check();

        var (_, message) = Assert.Single(_world.Slack.Sent);
        Assert.StartsWith("Alert: nps drops 5 points", message.FallbackText, StringComparison.Ordinal);
        Assert.Contains("down 16.67 points from the 7 days before", message.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Unusual_FiresOutsideWhatItsHistoryExplains()
    {
        // Eight earlier weeks around 80% satisfied, then 40% this week.
        for (var week = 1; week <= 8; week++)
        {
            _world.Answers(SurveyKind.Csat, 5, 32 + (week % 2), daysAgo: (7 * week) + 2, firstCustomer: week * 10);
            _world.Answers(SurveyKind.Csat, 1, 8, daysAgo: (7 * week) + 2, firstCustomer: (week * 10) + 150);
        }
        var id = await _world.SetAlert("alert csat unusual");
        await _world.Check();
        Assert.Empty(_world.Slack.Sent);
        Assert.Null(_world.Alert(id).State.LastNote is { } note && note.Contains("earlier period", StringComparison.Ordinal) ? note : null);

        _world.Answers(SurveyKind.Csat, 5, 16, daysAgo: 1);
        _world.Answers(SurveyKind.Csat, 1, 24, daysAgo: 1, firstCustomer: 100);
        await _world.Check();

        var (_, message) = Assert.Single(_world.Slack.Sent);
        Assert.Contains("Customer satisfaction (CSAT) is 40% in the last 7 days", message.FallbackText, StringComparison.Ordinal);
        Assert.Contains("unusual: its earlier periods averaged 80", message.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_BySegment_FiresWhenOneSegmentMeetsIt_AndNamesIt()
    {
        // Enterprise customers (every third) are unhappy, SMB ones happy.
        var batch = new GrowthDataBatch();
        var at = _world.Time.GetUtcNow().UtcDateTime.AddDays(-1);
        for (var i = 0; i < 240; i++) batch.Responses.Add(new SurveyResponse($"s{i}", SurveyKind.Csat, $"c{i}", i % 3 == 0 ? 1 : 5, null, at));
        _world.Importer.Write(batch);
        await _world.SetAlert("alert csat below 70 by segment");

        await _world.Check();

        var (_, message) = Assert.Single(_world.Slack.Sent);
        Assert.Contains("Segments that meet it: Enterprise 0%", message.FallbackText, StringComparison.Ordinal);
        Assert.DoesNotContain("SMB 100%", message.FallbackText.Split("Segments that meet it:")[1].Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_RevenueGrowthBySegment_FiresNamingTheSegmentWhoseGrowthWentNegative()
    {
        // Hand-worked: all 300 customers pay $100 from 20 days ago (Enterprise: every third, 100 of them,
        // $10,000; SMB: 200, $20,000). Three days ago 10 Enterprise customers churn (−$1,000: −10%) and
        // 20 SMB customers go from $100 to $150 (+$1,000: +5%). The whole stays at $30,000 (0%, not below
        // 0), so only Enterprise meets "below 0". The 7 days before: no movement, 0% everywhere.
        // Channels (even ids organic, odd paid) each lose 5 × $100 and gain 10 × $50: 0%, no move.
        var start = new GrowthDataBatch();
        var twentyDaysAgo = _world.Time.GetUtcNow().UtcDateTime.AddDays(-20);
        for (var i = 0; i < 300; i++) start.Subscriptions.Add(new SubscriptionChange($"c{i}", twentyDaysAgo, 100m));
        _world.Importer.Write(start);
        var moves = new GrowthDataBatch();
        var threeDaysAgo = _world.Time.GetUtcNow().UtcDateTime.AddDays(-3);
        foreach (var i in Enumerable.Range(0, 300).Where(i => i % 3 == 0).Take(10)) moves.Subscriptions.Add(new SubscriptionChange($"c{i}", threeDaysAgo, 0m));
        foreach (var i in Enumerable.Range(0, 300).Where(i => i % 3 != 0).Take(20)) moves.Subscriptions.Add(new SubscriptionChange($"c{i}", threeDaysAgo, 150m));
        _world.Importer.Write(moves);
        var id = await _world.SetAlert("alert mrr-growth below 0 by segment");

        var report = await _world.Check();

        Assert.Equal(1, report.Posted);
        var (_, message) = Assert.Single(_world.Slack.Sent);
        var text = message.FallbackText;
        Assert.StartsWith("Alert: revenue-growth below 0% by segment", text, StringComparison.Ordinal);
        // The whole did not cross: the post says which segment did.
        Assert.Contains("Revenue growth rate is 0% in the last 7 days", text, StringComparison.Ordinal);
        Assert.Contains("; by segment, Enterprise is below the 0% threshold.", text, StringComparison.Ordinal);
        Assert.Contains("Segments that meet it: Enterprise -10%\n", text, StringComparison.Ordinal);
        // Contributors: each segment's change, weighted by its share of the customers (1/3 and 2/3), moved it
        // by 3.3 points either way; the channels did not move.
        var moved = text.Split("Moved most by: ")[1].Split('\n')[0];
        Assert.Equal(["Enterprise (segment) 0% → -10%", "SMB (segment) 0% → 5%"], moved.Split("; ").Order(StringComparer.Ordinal));
        Assert.True(_world.Alert(id).State.Firing);
    }

    [Fact]
    public async Task Post_SurveyAlert_StatesOneMarginOfError_TheOneTheVerdictAllowedFor()
    {
        // Every answer a detractor: the plain formula's margin is ±0.0, but no sample promises that, so the
        // verdict allows for the adjusted one. The post gives that one margin, once, not both.
        _world.Answers(SurveyKind.Nps, 2, 40);
        await _world.SetAlert("alert nps below 0");

        await _world.Check();

        var text = Assert.Single(_world.Slack.Sent).Message.FallbackText;
        Assert.Equal(1, text.Count(character => character == '±'));
        Assert.DoesNotContain("±0.0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("at 95%", text, StringComparison.Ordinal);
        Assert.Contains("Based on: -40 of 40, n = 40", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_SurveyDrop_NamesTheMarginOfTheChange()
    {
        _world.Answers(SurveyKind.Nps, 10, 60, daysAgo: 9);
        _world.Answers(SurveyKind.Nps, 2, 60, firstCustomer: 60);
        await _world.SetAlert("alert nps drops 5 points");

        await _world.Check();

        var text = Assert.Single(_world.Slack.Sent).Message.FallbackText;
        Assert.Contains("watched for, more than the ±", text, StringComparison.Ordinal);
        Assert.Contains("margin of error of a change (95%)", text, StringComparison.Ordinal);
        Assert.Equal(1, text.Count(character => character == '±'));
    }

    [Fact]
    public async Task Post_NamesTheBiggestContributors()
    {
        _world.Answers(SurveyKind.Csat, 5, 120, daysAgo: 9);
        // This week Enterprise customers (every third id) answer 1, the rest 5.
        var batch = new GrowthDataBatch();
        var at = _world.Time.GetUtcNow().UtcDateTime.AddDays(-1);
        for (var i = 0; i < 120; i++) batch.Responses.Add(new SurveyResponse($"w{i}", SurveyKind.Csat, $"c{i}", i % 3 == 0 ? 1 : 5, null, at));
        _world.Importer.Write(batch);
        await _world.SetAlert("alert csat drops 10 points");

        await _world.Check();

        var (_, message) = Assert.Single(_world.Slack.Sent);
        Assert.Contains("Moved most by: Enterprise (segment) 100% → 0%", message.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_GoesToTheChannelThatFollowsTheMetricsTeam()
    {
        var teams = new Accountability().TeamsFor(MetricId.Nps);
        _world.Subscriptions.Save(new DigestSubscription("s1", ChatPlatform.Slack, "C0TEAM", teams[0], [], DigestSchedule.Default, "UTC", "U0BOB", _world.Time.GetUtcNow()));
        _world.Answers(SurveyKind.Nps, 0, 40);
        await _world.SetAlert("alert nps below 0");

        await _world.Check();

        Assert.Equal("C0TEAM", Assert.Single(_world.Slack.Sent).Address.ConversationId);
    }

    [Fact]
    public async Task Post_ToAConversationOutsidersRead_IsHeldBack()
    {
        var teams = new Accountability().TeamsFor(MetricId.Nps);
        _world.Subscriptions.Save(new DigestSubscription("s1", ChatPlatform.Slack, "C0SHARED", teams[0], [], DigestSchedule.Default, "UTC", "U0BOB", _world.Time.GetUtcNow()));
        _world.Audience.Outside["C0SHARED"] = "it is shared with another organisation";
        _world.Answers(SurveyKind.Nps, 0, 40);
        var id = await _world.SetAlert("alert nps below 0");

        await _world.Check();

        Assert.Empty(_world.Slack.Sent);
        Assert.Equal("not posted: it is shared with another organisation", _world.Alert(id).State.LastNote);
    }

    [Fact]
    public async Task Post_FailsTransiently_IsTriedAgainAtTheNextCheck()
    {
        _world.Answers(SurveyKind.Nps, 0, 40);
        var id = await _world.SetAlert("alert nps below 0");
        _world.Slack.Failures.Enqueue(new ChatDeliveryException(ChatDeliveryFailure.Transient, "rate limited"));

        await _world.Check();
        Assert.Empty(_world.Slack.Sent);
        Assert.False(_world.Alert(id).State.Firing);

        await _world.Check();
        Assert.Single(_world.Slack.Sent);
    }

    [Fact]
    public async Task ExecuteAsync_ChecksAfterADataChange_AndOnTheSchedule()
    {
        using var world = new AlertWorld(new AlertOptions { CheckInterval = TimeSpan.FromMinutes(15) });
        var first = await world.SetAlert("alert nps below 0");
        var second = await world.SetAlert("alert csat below 50");
        await world.Monitor.StartAsync(CancellationToken.None);

        // A data change wakes the loop: CSAT 0% fires at once.
        world.Answers(SurveyKind.Csat, 1, 40);
        await WaitFor(() => world.Alert(second).State.Firing);
        Assert.Single(world.Slack.Sent);

        // NPS is 0 now (40 detractors yesterday, 40 promoters 6.5 days ago): not below 0. The promoters go in
        // first: the loop may check between the two writes, and the detractors alone would fire it (-100).
        world.Answers(SurveyKind.Nps, 10, 40, daysAgo: 6.5, firstCustomer: 100);
        world.Answers(SurveyKind.Nps, 0, 40, daysAgo: 1);
        await WaitFor(() => world.Alert(first).State.LastCheckedAt is not null && !world.Monitor.ChangesWaiting);
        await Task.Delay(100);
        Assert.Single(world.Slack.Sent);

        // No data arrives, but a day later the promoters have left the 7 days: the scheduled check fires it.
        world.Time.Advance(TimeSpan.FromDays(1));
        await WaitFor(() => world.Slack.Sent.Count == 2);
        Assert.StartsWith("Alert: nps below 0", world.Slack.Sent.Last().Message.FallbackText, StringComparison.Ordinal);
        await world.Monitor.StopAsync(CancellationToken.None);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
