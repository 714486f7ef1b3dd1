using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Metrics.Index;

namespace GrowthBot.Core.Tests.Metrics;

/// <summary>
/// Repeat purchase needs, per order, whether its customer ordered before it. Small batches update
/// those flags from the first changed position (an invoice dated before the newest order is
/// inserted, not appended) instead of a pass over every order. Property: after any seeded random
/// sequence of order batches (appended, dated in the past, at a moment other orders share,
/// replacing an order by id), every order answer, whole and by segment, equals that of an engine
/// given the final rows at once.
/// </summary>
public sealed class MetricEngineOrderBatchesTests
{
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly MetricId[] OrderMetrics = [.. MetricCatalog.All
        .Where(metric => MetricFormulaMap.SourcesOf(metric.Id).HasFlag(FactSources.Orders))
        .Select(metric => metric.Id)];

    public static TheoryData<int> Cases()
    {
        var cases = new TheoryData<int>();
        for (var seed = 1; seed <= 60; seed++) cases.Add(seed);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_AnySequenceOfOrderBatches_AnswersAsTheFinalRowsAtOnce(int seed)
    {
        var random = new Random(seed);
        var customers = Enumerable.Range(0, 3 + random.Next(30))
            .Select(i => new Customer($"c{i}", $"Customer {i}", i % 2 == 0 ? "SMB" : "Enterprise", "organic", Start, null))
            .ToList();
        var orders = new Dictionary<string, Order>();
        using var live = new MetricEngine(new MetricEngineOptions());
        var first = new GrowthDataBatch();
        first.Customers.AddRange(customers);
        live.Apply(first);

        // Few distinct moments (whole days), so orders often share one.
        DateTime AnyMoment() => Start.AddDays(random.Next(60));
        var newest = Start;
        for (var batch = 0; batch < 40; batch++)
        {
            var changed = new GrowthDataBatch();
            var replaced = new GrowthDataBatch();
            var size = random.Next(4) == 0 ? 50 + random.Next(200) : 1 + random.Next(4);
            for (var i = 0; i < size; i++)
            {
                var customer = customers[random.Next(customers.Count)].Id;
                // Mostly a live invoice (at or after the newest order), else one dated in the past, or a replaced order.
                var at = random.Next(3) switch { 0 => AnyMoment(), _ => newest.AddDays(random.Next(2)) };
                var id = random.Next(6) == 0 && orders.Count > 0 ? orders.Keys.ElementAt(random.Next(orders.Count)) : $"o{batch}-{i}";
                if (changed.Orders.Any(order => order.Id == id)) continue;
                var order = new Order(id, customer, at, 10 + random.Next(90));
                if (orders.TryGetValue(id, out var earlier)) replaced.Orders.Add(earlier);
                orders[id] = order;
                changed.Orders.Add(order);
                if (at > newest) newest = at;
            }
            live.Apply(changed, replaced);

            using var whole = new MetricEngine(new MetricEngineOptions());
            var all = new GrowthDataBatch();
            all.Customers.AddRange(customers);
            all.Orders.AddRange(orders.Values);
            whole.Apply(all);
            foreach (var metric in OrderMetrics)
            {
                foreach (var (from, to) in new[] { (Start, Start.AddDays(70)), (Start.AddDays(10), Start.AddDays(30)), (Start.AddDays(29), Start.AddDays(31)) })
                {
                    var query = new MetricQuery(metric, from, to);
                    Assert.True(whole.Answer(query).Result == live.Answer(query).Result, $"seed {seed}, batch {batch}, {metric} {from:MM-dd}..{to:MM-dd}");
                    var bySegment = query with { By = Breakdown.Segment };
                    Assert.Equal(whole.Answer(bySegment).Groups!.Select(group => (group.Name, group.Result)), live.Answer(bySegment).Groups!.Select(group => (group.Name, group.Result)));
                }
            }
        }
    }
}
