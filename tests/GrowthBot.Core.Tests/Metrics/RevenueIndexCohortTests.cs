using GrowthBot.Core.Metrics.Index;

namespace GrowthBot.Core.Tests.Metrics;

/// <summary>
/// A period still running ends "now", which moves every second; its starting-base facts must still
/// be computed once per index, and be the facts of that period.
/// </summary>
public sealed class RevenueIndexCohortTests
{
    [Fact]
    public void CohortFacts_PeriodsEndingAfterTheLastMovement_AreComputedOnceAndMatchTheirOwnScan()
    {
        var (index, directory) = Build();

        var asked = index.CohortFacts(1_000, 10_000);
        var askedLater = index.CohortFacts(1_000, 10_001);
        var farLater = index.CohortFacts(1_000, int.MaxValue);

        // One computation (the cache's array), and what the scan of that very period gives.
        Assert.Same(asked, askedLater);
        Assert.Same(asked, farLater);
        var scratch = new long[directory.Count];
        for (var cell = 0; cell < index.CellCount; cell++) Assert.Equal(index.CellFacts(cell, 1_000, 10_000, scratch), asked[cell]);
    }

    [Fact]
    public void CohortFacts_PeriodsEndingBeforeTheLastMovement_AreTheirOwn()
    {
        var (index, _) = Build();

        var early = index.CohortFacts(1_000, 2_500);
        var later = index.CohortFacts(1_000, 10_000);

        Assert.NotSame(early, later);
        Assert.NotEqual(early.Sum(facts => facts.Churns), later.Sum(facts => facts.Churns));
    }

    [Fact]
    public void CohortFacts_PeriodStartingAfterTheLastMovement_HoldsTheStatesAtItsStart()
    {
        var (index, directory) = Build();

        var after = index.CohortFacts(20_000, 30_000);
        var scratch = new long[directory.Count];

        Assert.Same(after, index.CohortFacts(20_000, 40_000));
        for (var cell = 0; cell < index.CellCount; cell++) Assert.Equal(index.CellFacts(cell, 20_000, 30_000, scratch), after[cell]);
    }

    // Three customers: one paying throughout, one churning at 3,000, one expanding at 5,000 (the last movement).
    private static (RevenueIndex Index, CustomerDirectory Directory) Build()
    {
        var directory = new CustomerDirectory();
        var log = new SubscriptionLog();
        foreach (var (id, rows) in new[]
        {
            ("steady", new (int Moment, long Mrr)[] { (100, 5_000) }),
            ("churner", [(200, 7_000), (3_000, 0)]),
            ("grower", [(300, 2_000), (5_000, 4_000)]),
        })
        {
            var customer = directory.IndexOf(id);
            directory.MarkSubscribed(customer);
            foreach (var (moment, mrr) in rows) log.Add(customer, moment, mrr);
        }
        return (RevenueIndexBuilder.Build(log, directory), directory);
    }
}
