using System.Globalization;
using GrowthBot.Core.Alerts;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Tests.Alerts;

/// <summary>
/// The check after a data change reads only the alerts that change can move; it must end exactly
/// where a check of every alert at the same moment ends. Two identical worlds take the same random
/// changes: one runs the selective check, the other the full one, and after every change the
/// alerts' states and everything posted must be the same.
/// </summary>
public sealed class AlertSelectiveCheckTests
{
    private static readonly MetricId[] Metrics =
    [
        MetricId.Nps, MetricId.Csat, MetricId.Ces, MetricId.Mrr, MetricId.CustomerChurn, MetricId.Nrr, MetricId.RevenueGrowth,
        MetricId.PayingCustomers, MetricId.Fcr, MetricId.RepeatPurchase,
    ];

    private static readonly string?[] Periods = [null, null, "this month", "last 30 days"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task CheckChanged_RandomChanges_EndsWhereAFullCheckEnds(int seed)
    {
        var options = new AlertOptions { MinimumSample = 5, HistoryPeriods = 4 };
        using var selective = new AlertWorld(options);
        using var full = new AlertWorld(options);
        var random = new Random(seed);
        var history = History(random, selective.Time.GetUtcNow().UtcDateTime);
        selective.Importer.Write(history);
        full.Importer.Write(history);
        foreach (var alert in Alerts(random, selective.Time.GetUtcNow()))
        {
            selective.Book.Add(alert);
            full.Book.Add(alert);
        }
        await selective.Monitor.CheckAsync(CancellationToken.None);
        await full.Monitor.CheckAsync(CancellationToken.None);
        AssertSame(selective, full, "after the first check");

        var skipped = 0;
        for (var step = 0; step < 40; step++)
        {
            var change = Change(random, selective.Time.GetUtcNow().UtcDateTime, step);
            selective.Importer.Write(change);
            full.Importer.Write(change);
            var read = await selective.Monitor.CheckChangedAsync(CancellationToken.None);
            await full.Monitor.CheckAsync(CancellationToken.None);
            AssertSame(selective, full, $"after change {step} ({Describe(change)})");
            skipped += full.Book.All().Count - read.Alerts;
        }
        // The point of it: most changes move only some of the alerts.
        Assert.True(skipped > 0, "the selective check read every alert every time");
    }

    [Fact]
    public async Task CheckChanged_SurveyAnswer_ReadsOnlyTheSurveyAlerts()
    {
        using var world = new AlertWorld(new AlertOptions { MinimumSample = 5 });
        var id = 0;
        foreach (var metric in new[] { MetricId.Nps, MetricId.Csat, MetricId.Mrr, MetricId.Fcr })
        {
            world.Book.Add(new Alert(new AlertRule($"a{++id}", metric, AlertCondition.Above, 0, ChangeUnit.Points, Breakdown.None, null,
                ChatPlatform.Slack, AlertWorld.Channel, null, "U0ANA", "Ana", world.Time.GetUtcNow()), AlertState.Armed));
        }
        await world.Check();

        world.Answers(SurveyKind.Nps, 9, 3);
        var afterAnswer = await world.Monitor.CheckChangedAsync(CancellationToken.None);
        var afterNothing = await world.Monitor.CheckChangedAsync(CancellationToken.None);

        // NPS and CSAT are computed from survey answers (the kind may change with a re-sent answer); MRR and FCR are not.
        Assert.Equal(2, afterAnswer.Alerts);
        Assert.Equal(0, afterNothing.Alerts);
    }

    private static void AssertSame(AlertWorld selective, AlertWorld full, string when)
    {
        var left = selective.Book.All().Select(Comparable).ToList();
        var right = full.Book.All().Select(Comparable).ToList();
        for (var i = 0; i < right.Count; i++) Assert.True(right[i] == left[i], $"{when}: alert {right[i].Id} differs\nselective: {left[i]}\nfull:      {right[i]}");
        Assert.Equal(full.Slack.Sent.Select(sent => sent.Message.FallbackText), selective.Slack.Sent.Select(sent => sent.Message.FallbackText));
        Assert.Equal(full.Slack.Updated.Select(updated => (updated.Posted.MessageId, updated.Message.FallbackText)),
            selective.Slack.Updated.Select(updated => (updated.Posted.MessageId, updated.Message.FallbackText)));
    }

    /// <summary>An alert as compared: when it was last read is the one thing a skipped alert may differ in.</summary>
    private static (string Id, AlertState State) Comparable(Alert alert) => (alert.Id, alert.State with { LastCheckedAt = null });

    private static GrowthDataBatch History(Random random, DateTime now)
    {
        var batch = new GrowthDataBatch();
        for (var customer = 0; customer < 300; customer++)
        {
            var mrr = 50m + random.Next(0, 20) * 10;
            batch.Subscriptions.Add(new SubscriptionChange($"c{customer}", now.AddDays(-random.Next(60, 400)), mrr));
            if (random.Next(4) == 0) batch.Subscriptions.Add(new SubscriptionChange($"c{customer}", now.AddDays(-random.Next(1, 59)), random.Next(3) == 0 ? 0 : mrr + 20));
        }
        for (var i = 0; i < 600; i++)
        {
            var kind = (SurveyKind)random.Next(3);
            batch.Responses.Add(new SurveyResponse($"h{i}", kind, $"c{random.Next(300)}", Score(random, kind), null, now.AddHours(-random.Next(1, 24 * 90))));
        }
        for (var i = 0; i < 300; i++)
        {
            var opened = now.AddHours(-random.Next(2, 24 * 90));
            batch.Tickets.Add(new Ticket($"t{i}", $"c{random.Next(300)}", opened, opened.AddHours(1), random.Next(1, 3)));
            batch.Orders.Add(new Order($"o{i}", $"c{random.Next(300)}", now.AddHours(-random.Next(1, 24 * 90)), 20m));
        }
        return batch;
    }

    private static IEnumerable<Alert> Alerts(Random random, DateTimeOffset now)
    {
        for (var i = 0; i < 60; i++)
        {
            var metric = Metrics[random.Next(Metrics.Length)];
            var condition = (AlertCondition)random.Next(5);
            var definition = MetricCatalog.Get(metric);
            decimal? threshold = condition switch
            {
                AlertCondition.Unusual => null,
                AlertCondition.Drops or AlertCondition.Rises => random.Next(0, 5),
                _ => definition.Unit switch
                {
                    MetricUnit.NpsScore => random.Next(-20, 60),
                    MetricUnit.MeanScore => random.Next(1, 5),
                    MetricUnit.Percent => random.Next(0, 100),
                    _ => random.Next(0, 300) * 100,
                },
            };
            var by = (Breakdown)random.Next(3);
            yield return new Alert(
                new AlertRule($"x{i:D5}", metric, condition, threshold, random.Next(4) == 0 ? ChangeUnit.Percent : ChangeUnit.Points, by,
                    Periods[random.Next(Periods.Length)], ChatPlatform.Slack, AlertWorld.Channel, null, "U0ANA", "Ana", now.AddSeconds(-i)),
                AlertState.Armed);
        }
    }

    /// <summary>One write: answers, a plan change, tickets, orders, or a customer who moves segment (which moves every split).</summary>
    private static GrowthDataBatch Change(Random random, DateTime now, int step)
    {
        var batch = new GrowthDataBatch();
        // Dated inside the windows, just before them, or long ago.
        var at = now.AddHours(-(random.Next(3) switch { 0 => random.Next(1, 48), 1 => random.Next(24 * 7, 24 * 20), _ => random.Next(24 * 40, 24 * 200) }));
        switch (random.Next(6))
        {
            case 0:
            case 1:
                var kind = (SurveyKind)random.Next(3);
                for (var i = 0; i < random.Next(1, 25); i++) batch.Responses.Add(new SurveyResponse($"s{step}-{i}", kind, $"c{random.Next(300)}", Score(random, kind), null, at));
                break;
            case 2:
                for (var i = 0; i < random.Next(1, 20); i++) batch.Subscriptions.Add(new SubscriptionChange($"c{random.Next(300)}", at.AddMinutes(i), random.Next(3) == 0 ? 0 : random.Next(1, 40) * 10));
                break;
            case 3:
                for (var i = 0; i < random.Next(1, 20); i++) batch.Tickets.Add(new Ticket($"n{step}-{i}", $"c{random.Next(300)}", at.AddHours(-1), at, random.Next(1, 3)));
                break;
            case 4:
                for (var i = 0; i < random.Next(1, 20); i++) batch.Orders.Add(new Order($"p{step}-{i}", $"c{random.Next(300)}", at, 10m));
                break;
            default:
                var who = random.Next(300);
                batch.Customers.Add(new Customer($"c{who}", $"Customer {who}", random.Next(2) == 0 ? "Enterprise" : "Mid-market", "organic", new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), null));
                break;
        }
        return batch;
    }

    private static int Score(Random random, SurveyKind kind) => kind switch
    {
        SurveyKind.Nps => random.Next(0, 11),
        SurveyKind.Csat => random.Next(1, 6),
        _ => random.Next(1, 8),
    };

    private static string Describe(GrowthDataBatch batch) => string.Create(CultureInfo.InvariantCulture,
        $"{batch.Responses.Count} answers, {batch.Subscriptions.Count} plan changes, {batch.Tickets.Count} tickets, {batch.Orders.Count} orders, {batch.Customers.Count} customers");
}
