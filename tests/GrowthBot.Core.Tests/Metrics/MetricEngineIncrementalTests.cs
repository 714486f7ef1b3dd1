using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Metrics.Index;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Tests.Metrics;

/// <summary>
/// A small batch updates the revenue index incrementally (the customers it touches are re-walked
/// beside the built index) instead of rebuilding it. Property: after any sequence of batches,
/// every answer equals that of an engine rebuilt from the final rows. Seeded random sequences
/// (many cases, each reproducible from its seed) stand in for a property-testing library.
/// </summary>
public sealed class MetricEngineIncrementalTests
{
    private static readonly DateTime Start = RandomHistory.Start;

    private static readonly MetricId[] RevenueMetrics = MetricCatalog.All
        .Where(metric => (MetricFormulaMap.SourcesOf(metric.Id) & (FactSources.RevenueFlow | FactSources.RevenueCohort)) != 0 && !MetricFormulaMap.SourcesOf(metric.Id).HasFlag(FactSources.Spend))
        .Select(metric => metric.Id)
        .ToArray();

    public static TheoryData<int> Cases()
    {
        var cases = new TheoryData<int>();
        for (var seed = 1; seed <= 160; seed++) cases.Add(seed);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_AnySequenceOfBatches_AnswersAsARebuildFromTheFinalRows(int seed)
    {
        var random = new Random(seed);
        var model = new Model();
        using var engine = new MetricEngine(new MetricEngineOptions());
        // Never rebuild, rebuild now and then, or rebuild on almost every batch.
        engine.ChangedCustomersLimit = (seed % 3) switch { 0 => int.MaxValue, 1 => 6, _ => 1 };

        // Sometimes start from a built index, sometimes from nothing.
        if (seed % 2 == 0)
        {
            var initial = RandomHistory.Generate(seed, customers: 30);
            var first = new GrowthDataBatch();
            first.Customers.AddRange(initial.Customers);
            first.Subscriptions.AddRange(initial.Subscriptions);
            engine.ChangedCustomersLimit = 0;
            engine.Apply(first);
            engine.ChangedCustomersLimit = (seed % 3) switch { 0 => int.MaxValue, 1 => 6, _ => 1 };
            model.Apply(first);
        }

        // Rebuilds past the limit run beside the writer (or, for some seeds, on its thread); waiting
        // for one now and then makes the next batch adopt it, else batches go on beside it.
        engine.RebuildBesideWriter = seed % 4 != 3;
        var waits = new Random(seed * 7919);
        var steps = random.Next(1, 25);
        for (var step = 0; step < steps; step++)
        {
            var (changed, replaced) = model.NextBatch(random);
            if (waits.Next(2) == 0) engine.PendingRevenueRebuild?.Wait();
            engine.Apply(changed, replaced);
            model.Apply(changed);
            if (step == steps / 2) AssertSameAsRebuild(engine, model, $"seed {seed}, after step {step}");
        }
        AssertSameAsRebuild(engine, model, $"seed {seed}, at the end");
    }

    [Fact]
    public void Apply_OneChangeForAKnownCustomer_DoesNotRebuildTheIndex()
    {
        var generated = RandomHistory.Generate(5, customers: 40);
        var history = new GrowthDataBatch();
        history.Customers.AddRange(generated.Customers);
        history.Subscriptions.AddRange(generated.Subscriptions);
        using var engine = new MetricEngine(new MetricEngineOptions());
        engine.ChangedCustomersLimit = 0;
        engine.Apply(history);
        engine.ChangedCustomersLimit = null;
        var rebuilds = 0;
        engine.RevenueRebuildStarting = () => rebuilds++;

        var change = new GrowthDataBatch();
        change.Subscriptions.Add(new SubscriptionChange("c1", Start.AddDays(200), 990m));
        engine.Apply(change);

        Assert.Equal(0, rebuilds);
        var model = new Model();
        model.Apply(history);
        model.Apply(change);
        AssertSameAsRebuild(engine, model, "one change");
    }

    [Fact]
    public void Apply_MoreChangedCustomersThanTheLimit_RebuildsAndStillAnswersTheSame()
    {
        var history = RandomHistory.Generate(6, customers: 40);
        using var engine = new MetricEngine(new MetricEngineOptions());
        engine.ChangedCustomersLimit = 3;
        var rebuilds = 0;
        engine.RevenueRebuildStarting = () => rebuilds++;
        var model = new Model();
        foreach (var customer in history.Subscriptions.GroupBy(change => change.CustomerId).Take(8))
        {
            var batch = new GrowthDataBatch();
            batch.Subscriptions.AddRange(customer);
            engine.Apply(batch);
            model.Apply(batch);
        }

        Assert.True(rebuilds > 0);
        AssertSameAsRebuild(engine, model, "after rebuilds");
    }

    [Fact]
    public async Task Apply_PastTheLimitOfChangedCustomers_RebuildsBesideTheWriterWhileBatchesGoOnAndAdoptsIt()
    {
        var history = RandomHistory.Generate(8, customers: 40);
        var first = new GrowthDataBatch();
        first.Customers.AddRange(history.Customers);
        using var engine = new MetricEngine(new MetricEngineOptions());
        engine.Apply(first);
        var model = new Model();
        model.Apply(first);
        engine.ChangedCustomersLimit = 3;
        using var building = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        engine.RevenueRebuildBuilding = () =>
        {
            building.Set();
            release.Wait(TimeSpan.FromSeconds(60));
        };
        // One row per batch (a webhook's), so no batch is large enough to rebuild on its own.
        var customers = history.Subscriptions.GroupBy(change => change.CustomerId).Take(9).Select(rows => rows.First()).ToList();
        void ApplyCustomer(int i)
        {
            var batch = new GrowthDataBatch();
            batch.Subscriptions.Add(customers[i]);
            // Each batch must come back while the rebuild is held: on the writer's thread it would wait for it.
            Assert.True(Task.Run(() => engine.Apply(batch)).Wait(TimeSpan.FromSeconds(20)), $"batch {i} waited for the rebuild");
            model.Apply(batch);
        }

        for (var i = 0; i < 4; i++) ApplyCustomer(i);
        Assert.True(building.Wait(TimeSpan.FromSeconds(20)), "no rebuild started past the limit");
        for (var i = 4; i < 8; i++) ApplyCustomer(i);
        Assert.Equal(8, engine.ChangedCustomerCount);
        AssertSameAsRebuild(engine, model, "while the rebuild runs");

        release.Set();
        await engine.PendingRevenueRebuild!;
        engine.RevenueRebuildBuilding = null;
        ApplyCustomer(8);

        // The adopted index holds the first four customers; the five changed since are kept beside it.
        Assert.Equal(5, engine.ChangedCustomerCount);
        AssertSameAsRebuild(engine, model, "after the rebuild was adopted");
    }

    [Fact]
    public async Task Answer_WhileALargeBatchRebuildsTheRevenueIndex_IsAnsweredFromThePreviousState()
    {
        var history = RandomHistory.Generate(7, customers: 60);
        var before = new GrowthDataBatch();
        before.Customers.AddRange(history.Customers);
        before.Subscriptions.AddRange(history.Subscriptions.Where(change => change.At < Start.AddDays(200)));
        var after = new GrowthDataBatch();
        after.Subscriptions.AddRange(history.Subscriptions.Where(change => change.At >= Start.AddDays(200)));
        using var engine = new MetricEngine(new MetricEngineOptions());
        engine.Apply(before);
        var question = new MetricQuery(MetricId.Mrr, Start.AddDays(300), Start.AddDays(330));
        var mrrBefore = engine.Answer(question).Result;

        // The writer stops inside the rebuild until the question has been answered. If the
        // rebuild held the write lock, the question could not be answered and the wait runs out.
        using var rebuilding = new ManualResetEventSlim();
        using var answered = new ManualResetEventSlim();
        engine.ChangedCustomersLimit = 0;
        engine.RevenueRebuildStarting = () =>
        {
            rebuilding.Set();
            answered.Wait(TimeSpan.FromSeconds(30));
        };
        var apply = Task.Run(() => engine.Apply(after));
        Assert.True(rebuilding.Wait(TimeSpan.FromSeconds(30)), "the batch never started rebuilding");
        var during = Task.Run(() => engine.Answer(question));
        var first = await Task.WhenAny(during, Task.Delay(TimeSpan.FromSeconds(20)));
        answered.Set();
        await apply;

        Assert.True(first == during, "a question waited for the batch's rebuild");
        Assert.Equal(mrrBefore, (await during).Result);
        var model = new Model();
        model.Apply(before);
        model.Apply(after);
        AssertSameAsRebuild(engine, model, "after the batch");
    }

    /// <summary>
    /// Every revenue answer (whole and by segment and channel) equals a rebuilt engine's. The
    /// rebuilt engine gets all the final rows in one batch; for the breakdowns it also gets every
    /// customer version the incremental one saw first, because a segment name once seen stays a
    /// (possibly empty) group, whatever the index does.
    /// </summary>
    public static TheoryData<int> TimelineCases() => new() { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

    [Theory]
    [MemberData(nameof(TimelineCases))]
    public void Apply_OrdersTicketsAndResponsesOneAtATime_AnswerAsOneBatch(int seed)
    {
        // Mostly in time order (live invoices and answers are appended), some late (merged in), some replaced.
        var history = RandomHistory.Generate(seed, customers: 40);
        using var whole = new MetricEngine(new MetricEngineOptions());
        using var live = new MetricEngine(new MetricEngineOptions());
        var customers = new GrowthDataBatch();
        customers.Customers.AddRange(history.Customers);
        live.Apply(customers);
        var random = new Random(seed);
        var orders = history.Orders.OrderBy(order => order.OrderedAt).ToList();
        var tickets = history.Tickets.OrderBy(ticket => ticket.ResolvedAt ?? DateTime.MaxValue).ToList();
        var responses = history.Responses.OrderBy(response => response.RespondedAt).ToList();
        for (var i = 0; i < orders.Count; i++)
        {
            if (i + 1 < orders.Count && random.NextDouble() < 0.2) (orders[i], orders[i + 1]) = (orders[i + 1], orders[i]);
        }
        var final = new GrowthDataBatch();
        final.Customers.AddRange(history.Customers);
        foreach (var (order, index) in orders.Select((order, index) => (order, index)))
        {
            var batch = new GrowthDataBatch();
            batch.Orders.Add(order);
            live.Apply(batch);
            if (index % 7 == 3)
            {
                // The same order re-sent with a later date: it replaces the version just applied.
                var moved = order with { OrderedAt = order.OrderedAt.AddDays(random.Next(1, 40)) };
                var replacement = new GrowthDataBatch();
                replacement.Orders.Add(moved);
                var replaced = new GrowthDataBatch();
                replaced.Orders.Add(order);
                live.Apply(replacement, replaced);
                final.Orders.Add(moved);
            }
            else
            {
                final.Orders.Add(order);
            }
        }
        foreach (var ticket in tickets)
        {
            var batch = new GrowthDataBatch();
            batch.Tickets.Add(ticket);
            live.Apply(batch);
        }
        foreach (var response in responses.AsEnumerable().Reverse().Take(5).Concat(responses.Skip(5).Take(responses.Count - 10)))
        {
            var batch = new GrowthDataBatch();
            batch.Responses.Add(response);
            live.Apply(batch);
        }
        final.Tickets.AddRange(tickets);
        final.Responses.AddRange(responses.AsEnumerable().Reverse().Take(5).Concat(responses.Skip(5).Take(responses.Count - 10)));
        whole.Apply(final);

        foreach (var (from, to) in RandomHistory.Periods())
        {
            foreach (var metric in MetricCatalog.All.Where(metric => (MetricFormulaMap.SourcesOf(metric.Id) & (FactSources.Orders | FactSources.Tickets | FactSources.Surveys)) != 0))
            {
                var query = new MetricQuery(metric.Id, from, to);
                Assert.True(whole.Answer(query).Result == live.Answer(query).Result, $"seed {seed}: {metric.Name} {from:yyyy-MM-dd}..{to:yyyy-MM-dd}: live {live.Answer(query).Result} but one batch {whole.Answer(query).Result}");
            }
        }
    }

    private static void AssertSameAsRebuild(MetricEngine engine, Model model, string when)
    {
        using var rebuilt = new MetricEngine(new MetricEngineOptions());
        rebuilt.ChangedCustomersLimit = 0;
        var seen = new GrowthDataBatch();
        seen.Customers.AddRange(model.CustomerVersions);
        rebuilt.Apply(seen);
        rebuilt.Apply(model.Batch());
        Assert.Equal(rebuilt.Statistics, engine.Statistics);
        Assert.Equal(rebuilt.LastDataAt(DataSource.Billing), engine.LastDataAt(DataSource.Billing));
        foreach (var (from, to) in Periods())
        {
            foreach (var metric in RevenueMetrics)
            {
                foreach (var by in new[] { Breakdown.None, Breakdown.Segment, Breakdown.Channel })
                {
                    var query = new MetricQuery(metric, from, to, by);
                    var expected = rebuilt.Answer(query);
                    var actual = engine.Answer(query);
                    Assert.True(expected.Result == actual.Result, $"{when}: {metric} by {by} {from:yyyy-MM-dd HH:mm}..{to:yyyy-MM-dd HH:mm}: incremental {actual.Result} but rebuilt {expected.Result}");
                    Assert.True(Same(expected.Groups, actual.Groups), $"{when}: {metric} by {by} {from:yyyy-MM-dd HH:mm}..{to:yyyy-MM-dd HH:mm}: incremental groups {Show(actual.Groups)} but rebuilt {Show(expected.Groups)}");
                }
            }
        }
    }

    private static bool Same(IReadOnlyList<MetricGroup>? left, IReadOnlyList<MetricGroup>? right) =>
        left is null ? right is null : right is not null && left.SequenceEqual(right);

    private static string Show(IReadOnlyList<MetricGroup>? groups) => groups is null ? "none" : string.Join("; ", groups.Select(group => $"{group.Name}: {group.Result}"));

    private static IEnumerable<(DateTime From, DateTime To)> Periods()
    {
        for (var month = -1; month < 18; month += 2) yield return (Start.AddMonths(month), Start.AddMonths(month + 1));
        yield return (Start.AddMonths(2), Start.AddMonths(8));
        yield return (Start.AddDays(17).AddHours(5), Start.AddDays(190).AddHours(3));
        yield return (Start.AddYears(-1), Start.AddYears(3));
    }

    /// <summary>What the store would hold: one row per (customer, moment), the latest winning, and the latest version of each customer.</summary>
    private sealed class Model
    {
        private readonly Dictionary<(string Customer, DateTime At), decimal> _rows = [];
        private readonly Dictionary<string, Customer> _customers = new(StringComparer.Ordinal);

        /// <summary>Every version of every customer, in arrival order.</summary>
        public List<Customer> CustomerVersions { get; } = [];

        public void Apply(GrowthDataBatch batch)
        {
            CustomerVersions.AddRange(batch.Customers);
            foreach (var customer in batch.Customers) _customers[customer.Id] = customer;
            foreach (var change in batch.Subscriptions) _rows[(change.CustomerId, change.At)] = change.Mrr;
        }

        public GrowthDataBatch Batch()
        {
            var batch = new GrowthDataBatch();
            batch.Customers.AddRange(_customers.Values);
            batch.Subscriptions.AddRange(_rows.Select(row => new SubscriptionChange(row.Key.Customer, row.Key.At, row.Value)));
            return batch;
        }

        /// <summary>A webhook-sized batch of one of the awkward kinds, and the versions it replaces.</summary>
        public (GrowthDataBatch Changed, GrowthDataBatch? Replaced) NextBatch(Random random)
        {
            var changed = new GrowthDataBatch();
            GrowthDataBatch? replaced = null;
            var customer = $"c{random.Next(0, 40)}";
            var rowsOf = _rows.Keys.Where(key => key.Customer == customer).Select(key => key.At).Order().ToList();
            var roll = random.NextDouble();
            if (roll < 0.25)
            {
                // A change at a new moment, possibly long in the past.
                changed.Subscriptions.Add(new SubscriptionChange(customer, Moment(random), Mrr(random)));
            }
            else if (roll < 0.4 && rowsOf.Count > 0)
            {
                // Same timestamp as an existing row: the new value replaces it.
                changed.Subscriptions.Add(new SubscriptionChange(customer, rowsOf[random.Next(rowsOf.Count)], Mrr(random)));
            }
            else if (roll < 0.5)
            {
                // Deleted (or cancelled): MRR 0 from some moment, then maybe back (a reactivation).
                var at = Moment(random);
                changed.Subscriptions.Add(new SubscriptionChange(customer, at, 0m));
                if (random.NextDouble() < 0.6) changed.Subscriptions.Add(new SubscriptionChange(customer, at.AddDays(random.Next(1, 90)), random.Next(1, 40) * 10m));
            }
            else if (roll < 0.6)
            {
                // Two changes at the same moment in one batch: the later one wins.
                var at = Moment(random);
                changed.Subscriptions.Add(new SubscriptionChange(customer, at, Mrr(random)));
                changed.Subscriptions.Add(new SubscriptionChange(customer, at, Mrr(random)));
            }
            else if (roll < 0.75)
            {
                // The customer's record replaced: a new segment or channel moves their rows to another cell.
                var updated = new Customer(customer, $"Customer {customer}", RandomHistory.Segments[random.Next(3)], RandomHistory.Channels[random.Next(3)], Start.AddDays(random.Next(0, 300)), null);
                changed.Customers.Add(updated);
                if (_customers.TryGetValue(customer, out var old))
                {
                    replaced = new GrowthDataBatch();
                    replaced.Customers.Add(old);
                }
            }
            else if (roll < 0.9)
            {
                // Several customers at once, some rows in the past.
                for (var i = random.Next(2, 7); i > 0; i--)
                {
                    changed.Subscriptions.Add(new SubscriptionChange($"c{random.Next(0, 40)}", Moment(random), Mrr(random)));
                }
            }
            else
            {
                // A larger import: many customers' rows.
                for (var i = random.Next(10, 40); i > 0; i--)
                {
                    changed.Subscriptions.Add(new SubscriptionChange($"c{random.Next(0, 50)}", Moment(random), Mrr(random)));
                }
            }
            return (changed, replaced);
        }

        private static DateTime Moment(Random random) => Start.AddHours(random.Next(-24 * 30, 24 * 500));

        private static decimal Mrr(Random random) => random.NextDouble() < 0.25 ? 0m : random.Next(1, 60) * 10m;
    }
}
