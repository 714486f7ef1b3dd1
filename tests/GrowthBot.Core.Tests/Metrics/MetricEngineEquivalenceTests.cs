using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Metrics.Index;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Tests.Metrics;

/// <summary>
/// The engine's fast index must give exactly what the formulas' definitions give when computed
/// the slow, obvious way over the raw rows.
/// </summary>
public sealed class MetricEngineEquivalenceTests
{
    public static TheoryData<int> Seeds => new() { 1, 2, 3, 4, 5, 6, 7, 8 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Answer_EveryMetricAndPeriod_EqualsTheDefinitionOverRawRows(int seed)
    {
        var batch = RandomHistory.Generate(seed);
        using var engine = new MetricEngine(new MetricEngineOptions { GrossMargin = 0.8m, ActivationWindowDays = 14 });
        engine.Apply(batch);

        foreach (var (from, to) in RandomHistory.Periods())
        {
            var expected = ReferenceFacts(batch, from, to, _ => true);
            foreach (var metric in MetricCatalog.All)
            {
                var answer = engine.Answer(new MetricQuery(metric.Id, from, to));
                var reference = WithoutMadeUpValues(metric.Id, answer, batch, to,
                    MetricFormulaMap.Compute(metric.Id, expected, Periods.CalendarMonths(from, to, TimeZoneInfo.Utc), 0.8m));
                Assert.True(reference == answer.Result, $"{metric.Name} {from:yyyy-MM-dd}..{to:yyyy-MM-dd}: engine {answer.Result} but definition {reference}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Answer_BySegmentAndChannel_EachGroupEqualsTheDefinitionOverItsCustomers(int seed)
    {
        var batch = RandomHistory.Generate(seed);
        using var engine = new MetricEngine(new MetricEngineOptions());
        engine.Apply(batch);
        var segmentOf = batch.Customers.ToDictionary(customer => customer.Id, customer => customer.Segment);
        var channelOf = batch.Customers.ToDictionary(customer => customer.Id, customer => customer.AcquisitionChannel);
        var (from, to) = (RandomHistory.Start.AddMonths(3), RandomHistory.Start.AddMonths(9));

        foreach (var metric in MetricCatalog.All.Where(metric => metric.Id is not (MetricId.Cac or MetricId.LtvCac)))
        {
            var answer = engine.Answer(new MetricQuery(metric.Id, from, to, Breakdown.Segment));
            Assert.NotNull(answer.Groups);
            foreach (var group in answer.Groups)
            {
                var facts = ReferenceFacts(batch, from, to, id => (segmentOf.GetValueOrDefault(id) ?? "(unknown)") == group.Name);
                Assert.Equal(MetricFormulaMap.Compute(metric.Id, facts, Periods.CalendarMonths(from, to, TimeZoneInfo.Utc), 1m), group.Result);
            }
        }

        var cac = engine.Answer(new MetricQuery(MetricId.Cac, from, to, Breakdown.Channel));
        foreach (var group in cac.Groups!)
        {
            var facts = ReferenceFacts(batch, from, to, id => (channelOf.GetValueOrDefault(id) ?? "(unknown)") == group.Name, group.Name);
            var expected = MetricFormulaMap.Compute(MetricId.Cac, facts, Periods.CalendarMonths(from, to, TimeZoneInfo.Utc), 1m);
            // No spend is ever recorded for customers without a channel: their CAC is unknown, not 0.
            if (group.Name == "(unknown)" && facts.AcquisitionSpend == 0) expected = MetricResult.Undefined(null, expected.Denominator, expected.SampleSize);
            Assert.Equal(expected, group.Result);
        }
    }

    [Fact]
    public void Apply_InSeveralBatches_GivesTheSameAnswersAsOneBatch()
    {
        var batch = RandomHistory.Generate(11);
        using var whole = new MetricEngine(new MetricEngineOptions());
        whole.Apply(batch);
        using var pieces = new MetricEngine(new MetricEngineOptions());
        // Subscriptions before their customers, responses in reverse order: arrival order must not matter.
        var first = new GrowthDataBatch();
        first.Subscriptions.AddRange(batch.Subscriptions);
        first.Responses.AddRange(Enumerable.Reverse(batch.Responses));
        pieces.Apply(first);
        var second = new GrowthDataBatch();
        second.Customers.AddRange(batch.Customers);
        second.Orders.AddRange(batch.Orders);
        second.Tickets.AddRange(batch.Tickets);
        second.Spend.AddRange(batch.Spend);
        pieces.Apply(second);
        pieces.Apply(new GrowthDataBatch(), new GrowthDataBatch()); // a re-import the store found unchanged changes nothing

        foreach (var (from, to) in RandomHistory.Periods())
        {
            foreach (var metric in MetricCatalog.All)
            {
                Assert.Equal(whole.Answer(new MetricQuery(metric.Id, from, to)).Result, pieces.Answer(new MetricQuery(metric.Id, from, to)).Result);
            }
        }
    }

    [Fact]
    public void Answer_AfterNewSubscriptionsAndCustomerMoves_NeverServesFactsRememberedFromBefore()
    {
        var batch = RandomHistory.Generate(31);
        var laterSubscriptions = batch.Subscriptions.Where((_, i) => i % 3 == 0).ToList();
        var earlier = new GrowthDataBatch();
        earlier.Customers.AddRange(batch.Customers);
        earlier.Subscriptions.AddRange(batch.Subscriptions.Except(laterSubscriptions));
        using var engine = new MetricEngine(new MetricEngineOptions());
        engine.Apply(earlier);
        var cohortMetrics = MetricCatalog.All.Where(metric => MetricFormulaMap.SourcesOf(metric.Id) is var sources && sources.HasFlag(FactSources.RevenueCohort) && !sources.HasFlag(FactSources.Spend)).ToList();
        foreach (var (from, to) in RandomHistory.Periods())
        {
            foreach (var metric in cohortMetrics) engine.Answer(new MetricQuery(metric.Id, from, to, Breakdown.Segment));
        }

        // Every period's starting-base facts are now remembered; new movements and a customer
        // moving to another segment must still show in every answer.
        var later = new GrowthDataBatch();
        later.Subscriptions.AddRange(laterSubscriptions);
        var moved = batch.Customers[0] with { Segment = "Enterprise" };
        later.Customers.Add(moved);
        var replaced = new GrowthDataBatch();
        replaced.Customers.Add(batch.Customers[0]);
        engine.Apply(later, replaced);

        var final = new GrowthDataBatch();
        final.Customers.AddRange(batch.Customers.Skip(1).Prepend(moved));
        final.Subscriptions.AddRange(batch.Subscriptions);
        using var fresh = new MetricEngine(new MetricEngineOptions());
        fresh.Apply(final);
        foreach (var (from, to) in RandomHistory.Periods())
        {
            foreach (var metric in cohortMetrics)
            {
                var expected = fresh.Answer(new MetricQuery(metric.Id, from, to, Breakdown.Segment));
                var actual = engine.Answer(new MetricQuery(metric.Id, from, to, Breakdown.Segment));
                Assert.Equal(expected.Result, actual.Result);
                Assert.Equal(expected.Groups, actual.Groups);
            }
        }
    }

    [Fact]
    public void Apply_ChangedRowsWithTheVersionsTheyReplace_AnswersAsIfOnlyTheNewVersionsExisted()
    {
        var original = RandomHistory.Generate(21);
        using var engine = new MetricEngine(new MetricEngineOptions());
        engine.Apply(original);

        // The store reports: these rows changed, and these are the versions they replaced.
        var changed = new GrowthDataBatch();
        var replaced = new GrowthDataBatch();
        var final = RandomHistory.Generate(21);
        for (var i = 0; i < final.Orders.Count; i += 3)
        {
            replaced.Orders.Add(final.Orders[i]);
            final.Orders[i] = final.Orders[i] with { OrderedAt = final.Orders[i].OrderedAt.AddDays(40) };
            changed.Orders.Add(final.Orders[i]);
        }
        for (var i = 0; i < final.Tickets.Count; i += 2)
        {
            replaced.Tickets.Add(final.Tickets[i]);
            final.Tickets[i] = final.Tickets[i] with { Contacts = final.Tickets[i].Contacts == 1 ? 3 : 1 };
            changed.Tickets.Add(final.Tickets[i]);
        }
        for (var i = 0; i < final.Responses.Count; i += 2)
        {
            replaced.Responses.Add(final.Responses[i]);
            final.Responses[i] = final.Responses[i] with { Score = SurveyScales.Of(final.Responses[i].Survey).Max };
            changed.Responses.Add(final.Responses[i]);
        }
        for (var i = 0; i < final.Customers.Count; i += 4)
        {
            replaced.Customers.Add(final.Customers[i]);
            final.Customers[i] = final.Customers[i] with { SignedUpAt = final.Customers[i].SignedUpAt.AddDays(-20), Segment = "Enterprise" };
            changed.Customers.Add(final.Customers[i]);
        }
        for (var i = 0; i < final.Spend.Count; i += 5)
        {
            replaced.Spend.Add(final.Spend[i]);
            final.Spend[i] = final.Spend[i] with { Amount = final.Spend[i].Amount + 100 };
            changed.Spend.Add(final.Spend[i]);
        }
        engine.Apply(changed, replaced);

        using var fresh = new MetricEngine(new MetricEngineOptions());
        fresh.Apply(final);
        foreach (var (from, to) in RandomHistory.Periods())
        {
            foreach (var metric in MetricCatalog.All)
            {
                Assert.Equal(fresh.Answer(new MetricQuery(metric.Id, from, to)).Result, engine.Answer(new MetricQuery(metric.Id, from, to)).Result);
            }
        }
    }

    /// <summary>
    /// The definition's value, except where the engine must not give one: before any billing row,
    /// and for a period that starts after its data ends (see <see cref="DataGap"/>); there the
    /// value is undefined and the basis stays.
    /// </summary>
    private static MetricResult WithoutMadeUpValues(MetricId metric, MetricAnswer answer, GrowthDataBatch batch, DateTime to, MetricResult reference)
    {
        var billing = (MetricFormulaMap.SourcesOf(metric) & (FactSources.RevenueFlow | FactSources.RevenueCohort)) != 0;
        var beforeBilling = billing && !batch.Subscriptions.Any(change => change.At < to);
        var afterData = answer.DataGap is { } gap && answer.From > gap.LastDataAt && metric is not (MetricId.Mrr or MetricId.Arpa or MetricId.PayingCustomers);
        return beforeBilling || afterData ? MetricResult.Undefined(reference.Numerator, reference.Denominator, reference.SampleSize) : reference;
    }

    /// <summary>Facts for the customers matching <paramref name="includes"/>, computed straight from the rows.</summary>
    internal static GroupFacts ReferenceFacts(GrowthDataBatch batch, DateTime from, DateTime to, Func<string, bool> includes, string? spendChannel = null)
    {
        var facts = new GroupFacts
        {
            Revenue = RevenueLedger.Facts(batch.Subscriptions.Where(change => includes(change.CustomerId)), from, to),
        };
        foreach (var response in batch.Responses.Where(r => includes(r.CustomerId) && r.RespondedAt >= from && r.RespondedAt < to))
        {
            var tally = response.Survey switch { SurveyKind.Nps => facts.NpsTally, SurveyKind.Csat => facts.CsatTally, _ => facts.CesTally };
            tally[response.Score]++;
        }
        facts.AcquisitionSpend = EngineUnits.ToMoney(batch.Spend
            .Where(spend => spend.Date >= from && spend.Date < to && (spendChannel is null || spend.Channel == spendChannel))
            .Sum(spend => spend.Amount));
        var ordersByCustomer = batch.Orders.Where(o => includes(o.CustomerId) && o.OrderedAt >= from && o.OrderedAt < to).GroupBy(o => o.CustomerId).ToList();
        facts.CustomersWithOrders = ordersByCustomer.Count;
        var boughtBefore = batch.Orders.Where(o => o.OrderedAt < from).Select(o => o.CustomerId).ToHashSet(StringComparer.Ordinal);
        facts.ReturningBuyers = ordersByCustomer.Count(group => boughtBefore.Contains(group.Key));
        var resolved = batch.Tickets.Where(t => includes(t.CustomerId) && t.ResolvedAt >= from && t.ResolvedAt < to).ToList();
        facts.TicketsResolved = resolved.Count;
        facts.TicketsResolvedOnFirstContact = resolved.Count(t => t.Contacts == 1);
        var signups = batch.Customers.Where(c => includes(c.Id) && c.SignedUpAt >= from && c.SignedUpAt < to).ToList();
        facts.SignedUp = signups.Count;
        facts.Activated = signups.Count(c => EngagementFormulas.ActivatedWithin(c.SignedUpAt, c.ActivatedAt, TimeSpan.FromDays(14)));
        return facts;
    }
}
