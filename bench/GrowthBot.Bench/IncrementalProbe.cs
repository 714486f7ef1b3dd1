using System.Diagnostics;
using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;

namespace GrowthBot.Bench;

/// <summary>What webhook-sized batches cost once the engine holds a whole history.</summary>
internal sealed record IncrementalResult(int Changes, double MedianMs, double P99Ms, double MaxMs, int Rebuilds, double MrrAfterMs, double NrrAfterMs);

/// <summary>
/// Applies single-customer subscription changes, one batch each as a Stripe webhook does, to an
/// engine that holds the whole generated history: known customers, moments anywhere in the last
/// four years (changes dated in the past included), some at 0 (churn), some at an existing
/// moment. Then times a flow and a cohort question with those changes pending beside the index.
/// </summary>
internal static class IncrementalProbe
{
    public static IncrementalResult Run(MetricEngine engine, GrowthDataBatch history, int changes = 1000)
    {
        var random = new Random(20261207);
        var rebuilds = 0;
        engine.RevenueRebuildStarting = () => rebuilds++;
        var samples = new double[changes];
        for (var i = 0; i < changes; i++)
        {
            var customer = history.Customers[random.Next(history.Customers.Count)].Id;
            var at = random.NextDouble() < 0.2
                ? history.Subscriptions[random.Next(history.Subscriptions.Count)].At
                : Questions.Now.AddMinutes(-random.Next(0, 4 * 365 * 24 * 60));
            var mrr = random.NextDouble() < 0.2 ? 0m : random.Next(1, 500) * 10m;
            var batch = new GrowthDataBatch();
            batch.Subscriptions.Add(new SubscriptionChange(customer, at, mrr));
            var start = Stopwatch.GetTimestamp();
            engine.Apply(batch);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        engine.RevenueRebuildStarting = null;
        Array.Sort(samples);

        var (monthFrom, monthTo) = Questions.ThisMonth(Questions.Now);
        var (quarterFrom, quarterTo) = Questions.LastQuarter(Questions.Now);
        var mrrAfter = Timing.Measure(() => (double?)engine.Answer(new MetricQuery(MetricId.Mrr, monthFrom, monthTo)).Result.Value, 2, 15);
        var nrrAfter = Timing.Measure(() => (double?)engine.Answer(new MetricQuery(MetricId.Nrr, quarterFrom, quarterTo)).Result.Value, 2, 15);
        return new IncrementalResult(
            changes,
            samples[changes / 2],
            samples[Math.Clamp((int)Math.Ceiling(0.99 * changes) - 1, 0, changes - 1)],
            samples[^1],
            rebuilds,
            mrrAfter.MedianMs,
            nrrAfter.MedianMs);
    }
}
