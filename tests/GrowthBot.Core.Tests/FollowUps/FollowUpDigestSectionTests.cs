using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Digests;
using GrowthBot.Core.FollowUps;
using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Tests.FollowUps;

/// <summary>The digest's follow-up line: opened and closed in the period, median time to close.</summary>
public sealed class FollowUpDigestSectionTests
{
    private static DigestRequest Week(params MetricId[] metrics) =>
        new("Customer Success", metrics, new DigestPeriod(DigestCadence.Weekly, new DateTime(2026, 11, 23), TimeZoneInfo.Utc), new Dictionary<MetricId, decimal>());

    [Fact]
    public async Task Blocks_CountOpenedAndClosedThisWeek_WithTheMedianTimeToClose()
    {
        using var world = new FollowUpWorld();
        var section = new FollowUpDigestSection(world.Store);
        world.Answer("r1", SurveyKind.Nps, "globex", 3);
        world.Answer("r2", SurveyKind.Csat, "initech", 1);
        world.Time.Advance(TimeSpan.FromHours(1));
        world.Answer("r3", SurveyKind.Ces, "umbrella", 1);
        var ids = world.Store.All.OrderBy(c => c.OpenedAt).ThenBy(c => c.CustomerId).Select(c => c.Id).ToList();
        world.Time.Advance(TimeSpan.FromHours(1));
        await world.PressAsync(FollowUpMessages.OutcomeAction, ids[0], FollowUpWorld.Staff(), "done"); // 2 h after opening
        world.Time.Advance(TimeSpan.FromHours(4));
        await world.PressAsync(FollowUpMessages.OutcomeAction, ids[2], FollowUpWorld.Staff(), "done"); // 5 h
        world.Time.Advance(TimeSpan.FromDays(10));
        await world.PressAsync(FollowUpMessages.OutcomeAction, ids[1], FollowUpWorld.Staff(), "done"); // next week: not this week's

        var blocks = section.Blocks(Week(MetricId.Nps, MetricId.CustomerChurn));

        // Closed this week after 2 h and 5 h: the median of two is their mean, 3.5 h, shown in whole hours.
        Assert.Equal("Follow-ups this week: 3 opened, 2 closed, median time to close 3 h.", Assert.IsType<ContextBlock>(Assert.Single(blocks)).Text);
    }

    [Fact]
    public void Blocks_DigestWithoutSurveyScores_HasNone_AndAQuietWeekSaysSo()
    {
        using var world = new FollowUpWorld();
        var section = new FollowUpDigestSection(world.Store);

        Assert.Empty(section.Blocks(Week(MetricId.CustomerChurn, MetricId.Mrr)));
        Assert.Equal("Follow-ups this week: none opened, none closed.", Assert.IsType<ContextBlock>(Assert.Single(section.Blocks(Week(MetricId.Csat)))).Text);
    }

    [Fact]
    public void Median_OddAndEvenCounts()
    {
        Assert.Equal(TimeSpan.FromHours(2), FollowUpDigestSection.Median([TimeSpan.FromHours(5), TimeSpan.FromHours(2), TimeSpan.FromHours(1)]));
        Assert.Equal(TimeSpan.FromHours(3.5), FollowUpDigestSection.Median([TimeSpan.FromHours(5), TimeSpan.FromHours(2)]));
    }
}
