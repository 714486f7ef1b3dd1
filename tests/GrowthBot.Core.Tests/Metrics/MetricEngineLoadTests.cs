using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Metrics.Index;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Tests.Metrics;

/// <summary>
/// <see cref="MetricEngine.Load"/> builds the revenue index while the rows after the subscriptions
/// are still being read. Whatever order a store sends its rows in (the port promises none), the
/// loaded engine answers exactly as one that applied the same rows as a batch.
/// </summary>
public sealed class MetricEngineLoadTests
{
    public static TheoryData<int, string> Cases()
    {
        var cases = new TheoryData<int, string>();
        foreach (var order in new[] { StoreOrder, OthersFirst, LateSubscriptions, LateCustomer, Shuffled })
        {
            for (var seed = 1; seed <= 6; seed++) cases.Add(seed, order);
        }
        return cases;
    }

    /// <summary>Customers, subscriptions, then everything else (LiteDB's order: the index is built during the read).</summary>
    private const string StoreOrder = "store";

    /// <summary>Orders, spend, tickets and responses before customers and subscriptions.</summary>
    private const string OthersFirst = "others-first";

    /// <summary>The store's order, with a few subscription rows after the first orders (the early build is discarded).</summary>
    private const string LateSubscriptions = "late-subscriptions";

    /// <summary>The store's order, with one customer (a segment change for the index) after the first orders.</summary>
    private const string LateCustomer = "late-customer";

    private const string Shuffled = "shuffled";

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_RowsInAnyOrder_AnswersAsTheSameRowsApplied(int seed, string order)
    {
        var batch = WithEveryKind(RandomHistory.Generate(seed, customers: 60), seed);
        using var applied = new MetricEngine(new MetricEngineOptions()) { ChangedCustomersLimit = 0 };
        applied.Apply(batch);

        using var loaded = new MetricEngine(new MetricEngineOptions());
        loaded.Load(new OrderedStore(Sequence(batch, order, new Random(seed))));

        Assert.Equal(applied.Statistics, loaded.Statistics);
        foreach (var (from, to) in RandomHistory.Periods())
        {
            foreach (var metric in MetricCatalog.All)
            {
                foreach (var by in new[] { Breakdown.None, Breakdown.Segment, Breakdown.Channel })
                {
                    if (by == Breakdown.Segment && MetricFormulaMap.SourcesOf(metric.Id).HasFlag(FactSources.Spend)) continue;
                    var query = new MetricQuery(metric.Id, from, to, by);
                    var expected = applied.Answer(query);
                    var actual = loaded.Answer(query);
                    Assert.True(expected.Result == actual.Result, $"{order} {seed}: {metric.Id} by {by} {from:yyyy-MM-dd}..{to:yyyy-MM-dd}: loaded {actual.Result}, applied {expected.Result}");
                    Assert.True(expected.Groups is null ? actual.Groups is null : actual.Groups is not null && expected.Groups.SequenceEqual(actual.Groups),
                        $"{order} {seed}: {metric.Id} by {by} groups differ");
                }
            }
        }
    }

    private static GrowthDataBatch WithEveryKind(GrowthDataBatch batch, int seed)
    {
        var random = new Random(seed * 31);
        var start = RandomHistory.Start;
        for (var i = 0; i < 80; i++)
        {
            var customer = $"c{random.Next(0, 70)}";
            var at = start.AddHours(random.Next(0, 24 * 700));
            batch.Orders.Add(new Order($"o{i}", customer, at, random.Next(1, 90) * 5m));
            batch.Tickets.Add(new Ticket($"t{i}", customer, at, random.Next(3) == 0 ? null : at.AddHours(random.Next(1, 90)), random.Next(1, 4)));
            batch.Responses.Add(new SurveyResponse($"r{i}", (SurveyKind)random.Next(3), customer, random.Next(0, 11), null, at));
        }
        for (var month = 0; month < 24; month++)
        {
            batch.Spend.Add(new SpendEntry(start.AddMonths(month), RandomHistory.Channels[month % 3], SpendCategory.Marketing, 1000m + month));
        }
        return batch;
    }

    private static List<Action<IGrowthDataSink>> Sequence(GrowthDataBatch batch, string order, Random random)
    {
        var customers = batch.Customers.Select(row => (Action<IGrowthDataSink>)(sink => sink.Add(row))).ToList();
        var subscriptions = batch.Subscriptions.Select(row => (Action<IGrowthDataSink>)(sink => sink.Add(row))).ToList();
        var others = batch.Orders.Select(row => (Action<IGrowthDataSink>)(sink => sink.Add(row)))
            .Concat(batch.Spend.Select(row => (Action<IGrowthDataSink>)(sink => sink.Add(row))))
            .Concat(batch.Tickets.Select(row => (Action<IGrowthDataSink>)(sink => sink.Add(row))))
            .Concat(batch.Responses.Select(row => (Action<IGrowthDataSink>)(sink => sink.Add(row))))
            .ToList();
        switch (order)
        {
            case StoreOrder:
                return [.. customers, .. subscriptions, .. others];
            case OthersFirst:
                return [.. others, .. customers, .. subscriptions];
            case LateSubscriptions:
                return [.. customers, .. subscriptions[..^5], .. others[..10], .. subscriptions[^5..], .. others[10..]];
            case LateCustomer:
                return [.. customers[1..], .. subscriptions, .. others[..10], customers[0], .. others[10..]];
            default:
                return [.. customers.Concat(subscriptions).Concat(others).OrderBy(_ => random.Next())];
        }
    }

    /// <summary>A store that sends its rows in exactly the given order.</summary>
    private sealed class OrderedStore(List<Action<IGrowthDataSink>> rows) : IGrowthStore
    {
        public bool IsEmpty => rows.Count == 0;

        public long Generation => 1;

        public void ReadAll(IGrowthDataSink sink)
        {
            foreach (var row in rows) row(sink);
        }

        public StoreWriteResult Write(GrowthDataBatch batch, IProgress<int>? rowsWritten = null, StoreChanges? changes = null) =>
            throw new NotSupportedException("The loaded engine only reads.");
    }
}
