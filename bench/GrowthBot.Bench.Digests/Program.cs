using GrowthBot.Slack.Installations;
using GrowthBot.Bench.Slack;
using System.Diagnostics;
using System.Globalization;
using GrowthBot.Bench.Digests;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Demo;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Host.Digests;
using GrowthBot.Slack;
using GrowthBot.Slack.WebApi;
using GrowthBot.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// dotnet run -c Release --project bench/GrowthBot.Bench.Digests -- [--customers 1000000] [--channels 1000] [--deliver 1000] [--parallelism 8] [--latency-ms 30]
var options = DigestBenchOptions.Parse(args);
var time = TimeProvider.System;
var now = time.GetUtcNow();
Log($"GrowthBot digest bench: {options.Customers:N0} customers, {options.Months} months, {options.Channels:N0} subscribed channels, " +
    $"delivering to {options.Deliver:N0} with parallelism {options.Parallelism} and {options.LatencyMs} ms Slack latency; .NET {Environment.Version}, {Environment.ProcessorCount} cores");

var before = GC.GetTotalMemory(true);
var clock = Stopwatch.StartNew();
var batch = DemoHistory.Generate(new DemoHistoryOptions { Customers = options.Customers, Months = options.Months, End = now.UtcDateTime, PlanChangeRate = 1.0, SurveyRate = 0.041 });
Log($"Generated {batch.Customers.Count:N0} customers, {batch.Subscriptions.Count:N0} subscription changes, {batch.Responses.Count:N0} responses in {clock.Elapsed.TotalSeconds:0.0} s");
using var engine = new MetricEngine(new MetricEngineOptions());
engine.Apply(batch);
var comments = new InMemoryComments(batch.Responses);
batch = null;
var afterEngine = GC.GetTotalMemory(true);
Log($"Engine and comment index: {(afterEngine - before) / 1048576.0:N0} MB managed");

var accountability = new Accountability();
var zones = new[] { "UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo" };
var subscriptions = Enumerable.Range(0, options.Channels).Select(i => new DigestSubscription(
    $"s{i:D5}", ChatPlatform.Slack, $"C{i:D6}",
    i % 5 == 4 ? null : (Team)(i % 5),
    i % 5 == 4 ? [MetricId.Nps, MetricId.Csat, MetricId.CustomerChurn, MetricId.Mrr] : [],
    DigestSchedule.Default, zones[i / 5 % zones.Length], "U0BENCH", now.AddDays(-30))).ToList();

// 1. Compose, each digest from scratch (no answers shared between digests): the worst case per digest.
var charts = new TimedCharts(new ScottPlotTrendChart());
var digestOptions = new DigestOptions { GracePeriod = TimeSpan.FromDays(7), Parallelism = options.Parallelism, RetryDelay = TimeSpan.FromSeconds(1) };
var composer = new DigestComposer(engine, comments, charts, digestOptions, "USD", time);
var composeTimes = new List<double>();
var targets = new Dictionary<MetricId, decimal> { [MetricId.Nps] = 40, [MetricId.CustomerChurn] = 2 };
var warmups = Math.Min(20, subscriptions.Count);
for (var i = 0; i < warmups + subscriptions.Count; i++)
{
    var subscription = subscriptions[i % subscriptions.Count];
    var request = Request(subscription);
    var started = Stopwatch.GetTimestamp();
    composer.Compose(request);
    if (i >= warmups) composeTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    if (i == warmups - 1) charts.Clear();
}
var chartTimes = charts.Milliseconds.ToList();
var afterCompose = GC.GetTotalMemory(false);
Log($"Composed {composeTimes.Count:N0} digests from scratch: median {new Distribution(composeTimes).Percentile(50):0.0} ms, p99 {new Distribution(composeTimes).Percentile(99):0.0} ms; " +
    $"chart alone median {new Distribution(chartTimes).Percentile(50):0.0} ms, p99 {new Distribution(chartTimes).Percentile(99):0.0} ms, {charts.Bytes / Math.Max(1, chartTimes.Count) / 1024.0:0.0} KB each");

// 2. Compose all of them as one sweep does: engine answers shared within the run.
var cache = new MetricAnswerCache(engine);
clock.Restart();
foreach (var subscription in subscriptions) composer.Compose(Request(subscription), cache);
var sharedTotal = clock.Elapsed.TotalMilliseconds;
Log($"Composed all {subscriptions.Count:N0} with shared answers in {sharedTotal / 1000:0.0} s ({sharedTotal / subscriptions.Count:0.0} ms each, charts included)");

// 3. Deliver through the real Slack adapter to a loopback Slack that keeps Slack's pace per channel.
await using var slack = await LoopbackSlack.StartAsync(TimeSpan.FromMilliseconds(options.LatencyMs));
var folder = Path.Combine(Path.GetTempPath(), "growthbot-bench-digests-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
double deliverSeconds;
int sent;
using (var store = new LiteGrowthStore(new StorageOptions { Path = Path.Combine(folder, "bench.db") }))
{
    var digests = new LiteDigestStore(store);
    foreach (var subscription in subscriptions.Take(options.Deliver)) digests.Save(subscription);
    foreach (var (metric, target) in targets) digests.SetTarget(metric, target);
    var slackOptions = Options.Create(new SlackOptions { BotToken = "xoxb-bench", SigningSecret = "bench", ApiBaseUrl = slack.ApiBaseUrl, MinimumChannelInterval = TimeSpan.FromSeconds(1) });
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    var client = new SlackWebApiClient(http, slackOptions, time, NullLogger<SlackWebApiClient>.Instance);
    var delivery = new DigestDelivery(digests, composer, engine, accountability, [new SlackChatSender(SlackInstallations.SingleToken(client, slackOptions), slackOptions, NullLogger<SlackChatSender>.Instance)], Options.Create(digestOptions), time,
        NullLogger<DigestDelivery>.Instance);
    clock.Restart();
    sent = await delivery.SweepAsync(CancellationToken.None);
    deliverSeconds = clock.Elapsed.TotalSeconds;
    var again = await delivery.SweepAsync(CancellationToken.None);
    Log($"A second sweep sent {again} more (exactly once).");
}
Directory.Delete(folder, recursive: true);

// Each digest is a post and a paced upload to its channel: at Slack's ~1 message per second per channel,
// one channel cannot take less than 1 s; with P channels at once, N digests cannot take less than N/P seconds.
var pacingBound = Math.Ceiling((double)options.Deliver / options.Parallelism) * 1.0;
Log($"Delivered {sent:N0} digests in {deliverSeconds:0.0} s ({sent / deliverSeconds:0.0}/s); posts {slack.Posts:N0}, uploads {slack.Uploads:N0}, " +
    $"channels posted twice {slack.ChannelsPostedTwice}, shortest gap between paced calls to one channel {slack.ShortestGapPerChannel?.TotalMilliseconds:0} ms; " +
    $"pacing bound at parallelism {options.Parallelism}: {pacingBound:0} s");
var process = Process.GetCurrentProcess();
process.Refresh();

Console.WriteLine();
Console.WriteLine("| measure | value |");
Console.WriteLine("|---|---:|");
Row("customers / responses in the engine", $"{options.Customers:N0} / {engine.Statistics.Responses:N0}");
Row("compose one digest from scratch, median / p99", $"{new Distribution(composeTimes).Percentile(50):0.0} / {new Distribution(composeTimes).Percentile(99):0.0} ms");
Row("… of which the chart, median / p99", $"{new Distribution(chartTimes).Percentile(50):0.0} / {new Distribution(chartTimes).Percentile(99):0.0} ms");
Row($"compose all {subscriptions.Count:N0} with answers shared in the run", $"{sharedTotal / 1000:0.0} s ({sharedTotal / subscriptions.Count:0.0} ms each)");
Row($"deliver {options.Deliver:N0} (post + chart upload), parallelism {options.Parallelism}", $"{deliverSeconds:0.0} s; pacing bound {pacingBound:0} s");
Row("duplicates / shortest per-channel gap", $"{slack.ChannelsPostedTwice} / {slack.ShortestGapPerChannel?.TotalMilliseconds:0} ms");
Row("managed memory: engine + comments / after composing", $"{(afterEngine - before) / 1048576.0:N0} MB / {afterCompose / 1048576.0:N0} MB");
Row("peak working set", $"{process.PeakWorkingSet64 / 1048576.0:N0} MB");
return 0;

DigestRequest Request(DigestSubscription subscription)
{
    var zone = subscription.Zone();
    var due = DigestCalendar.Last(subscription.Schedule, zone, now);
    return new DigestRequest(subscription.Subject, subscription.MetricsToReport(accountability), DigestCalendar.PeriodFor(subscription.Schedule, zone, due), targets, DigestMode.Scheduled, due);
}

static void Row(string name, string value) => Console.WriteLine($"| {name} | {value} |");

static void Log(string line) => Console.Error.WriteLine(line);

/// <summary>Command-line options of the bench.</summary>
internal sealed record DigestBenchOptions(int Customers, int Months, int Channels, int Deliver, int Parallelism, int LatencyMs)
{
    public static DigestBenchOptions Parse(string[] args)
    {
        var options = new DigestBenchOptions(1_000_000, 48, 1_000, -1, 8, 30);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--customers" => options with { Customers = value },
                "--months" => options with { Months = value },
                "--channels" => options with { Channels = value },
                "--deliver" => options with { Deliver = value },
                "--parallelism" => options with { Parallelism = value },
                "--latency-ms" => options with { LatencyMs = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}; use --customers, --months, --channels, --deliver, --parallelism, --latency-ms."),
            };
        }
        return options.Deliver < 0 || options.Deliver > options.Channels ? options with { Deliver = options.Channels } : options;
    }
}
