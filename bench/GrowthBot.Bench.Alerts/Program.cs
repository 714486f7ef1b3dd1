using System.Diagnostics;
using GrowthBot.Bench.Alerts;
using GrowthBot.Bench.Slack;
using GrowthBot.Core.Alerts;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Demo;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Import;
using GrowthBot.Core.Metrics;
using GrowthBot.Storage;
using Microsoft.Extensions.Logging.Abstractions;

// dotnet run -c Release --project bench/GrowthBot.Bench.Alerts -- [--customers 1000000] [--alerts 1000] [--changes 200] [--months 24] [--spread]
var options = AlertBenchOptions.Parse(args);
var stepped = options.SpreadChanges ? new SteppedTime(TimeProvider.System) : null;
var time = stepped ?? TimeProvider.System;
var now = time.GetUtcNow();
Log($"GrowthBot alert bench: {options.Customers:N0} customers, {options.Months} months, {options.Alerts:N0} alerts, {options.Changes:N0} data changes{(options.SpreadChanges ? " one minute apart" : "")}; .NET {Environment.Version}, {Environment.ProcessorCount} cores");

var clock = Stopwatch.StartNew();
var history = DemoHistory.Generate(new DemoHistoryOptions { Customers = options.Customers, Months = options.Months, End = now.UtcDateTime, PlanChangeRate = 1.0, SurveyRate = 0.041 });
Log($"Generated {history.Customers.Count:N0} customers, {history.Subscriptions.Count:N0} subscription changes, {history.Responses.Count:N0} responses in {clock.Elapsed.TotalSeconds:0.0} s");
using var engine = new MetricEngine(new MetricEngineOptions(), TimeZoneInfo.Utc, time);
engine.Apply(history);
var customers = history.Customers.Select(customer => customer.Id).ToArray();
var lastPlan = history.Subscriptions.GroupBy(change => change.CustomerId).ToDictionary(group => group.Key, group => group.MaxBy(change => change.At));
history = null;
Log($"Indexed in {clock.Elapsed.TotalSeconds:0.0} s");

// The alerts live in a real LiteDB store, as in the host; the platform is a sender that only counts.
var folder = Path.Combine(Path.GetTempPath(), "growthbot-bench-alerts-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
try
{
    using var store = new LiteGrowthStore(new StorageOptions { Path = Path.Combine(folder, "bench.db") });
    var book = new AlertBook(new LiteAlertStore(store));
    foreach (var alert in BenchAlerts.Make(options.Alerts, now)) book.Add(alert);
    var sender = new CountingSender();
    var counted = new CountingEngine(engine);
    var importer = new ImportService(new PassThroughStore(), counted);
    var monitor = new AlertMonitor(book, counted, importer, new NoSubscriptions(), new Accountability(), [sender], new AlertOptions { MaxAlerts = 100_000 },
        TimeZoneInfo.Utc, "USD", time, NullLogger<AlertMonitor>.Instance);
    importer.Written += (_, changed) => monitor.DataChanged(changed);

    // The first check after start reads and saves every alert once (none had been checked); warm up with a few more
    // (full checks, as the schedule runs them).
    var first = await monitor.CheckAsync(CancellationToken.None);
    Log($"First check (every alert saved once): {first.Elapsed.TotalMilliseconds:0.0} ms evaluation, {first.EngineQueries:N0} engine queries, {first.Posted} posted");
    for (var i = 0; i < 5; i++) await monitor.CheckAsync(CancellationToken.None);

    var random = new Random(20261207);
    var checks = new List<double>();
    var evaluations = new List<double>();
    var notes = new List<double>();
    var queries = 0;
    var posted = 0;
    long askedDuringWrites = 0;
    var surveyNotes = new List<double>();
    var afterAnswers = new List<double>();
    var afterPlans = new List<double>();
    long read = 0;
    for (var i = 0; i < options.Changes; i++)
    {
        stepped?.Advance(TimeSpan.FromSeconds(61));
        var batch = new GrowthDataBatch();
        var customer = customers[random.Next(customers.Length)];
        var at = time.GetUtcNow().UtcDateTime.AddMinutes(-1);
        if (i % 2 == 0)
        {
            // A survey press: one answer.
            batch.Responses.Add(new SurveyResponse($"bench-{i}", (SurveyKind)(i / 2 % 3), customer, random.Next(0, 11) % (i / 2 % 3 == 0 ? 11 : 8) + (i / 2 % 3 == 0 ? 0 : 1), null, at));
        }
        else if (lastPlan.TryGetValue(customer, out var plan))
        {
            // A webhook: the customer's plan changes.
            batch.Subscriptions.Add(plan with { At = at, Mrr = Math.Max(0, plan.Mrr + random.Next(-20, 40)) });
        }
        else
        {
            batch.Responses.Add(new SurveyResponse($"bench-{i}", SurveyKind.Nps, customer, random.Next(0, 11), null, at));
        }
        var askedBefore = counted.Answers;
        var noted = Stopwatch.GetTimestamp();
        importer.Write(batch); // the store is a pass-through: this is the engine's apply plus the change note
        var note = Stopwatch.GetElapsedTime(noted).TotalMilliseconds;
        notes.Add(note);
        if (batch.Responses.Count > 0) surveyNotes.Add(note);
        // Nothing is evaluated on the writer's thread: the write only flags the change for the background check.
        askedDuringWrites += counted.Answers - askedBefore;
        if (!monitor.ChangesWaiting) throw new InvalidOperationException("a write did not flag the change for the alert check");
        var started = Stopwatch.GetTimestamp();
        // As the host's loop does when a write woke it: the alerts this change can move.
        var report = await monitor.CheckChangedAsync(CancellationToken.None);
        var took = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        checks.Add(took);
        (batch.Responses.Count > 0 ? afterAnswers : afterPlans).Add(took);
        read += report.Alerts;
        evaluations.Add(report.Elapsed.TotalMilliseconds);
        queries += report.EngineQueries;
        posted += report.Posted + report.Updated + report.Resolved;
    }
    var check = new Distribution(checks);
    Log($"Check of {options.Alerts:N0} alerts after each of {checks.Count:N0} changes (evaluation, posts and saves): p50 / p90 / p99 / max {check.Summary()} (target: median ≤ 20 ms)");
    Log($"Evaluation alone: p50 / p90 / p99 / max {new Distribution(evaluations).Summary()}; {queries / (double)Math.Max(1, checks.Count):0.0} engine queries per check; {read / (double)Math.Max(1, checks.Count):0} of {options.Alerts:N0} alerts read per check; {posted} posts or updates in all");
    Log($"After a survey answer: p50 / p90 / p99 / max {new Distribution(afterAnswers).Summary()}; after a plan change: {new Distribution(afterPlans).Summary()}");
    Log($"The write on the request path (engine apply + change note): p50 / p90 / p99 / max {new Distribution(notes).Summary()}; survey answers alone {new Distribution(surveyNotes).Summary()}");
    Log($"Engine queries made during the {notes.Count:N0} writes: {askedDuringWrites} (alert evaluation on the request path: {(askedDuringWrites == 0 ? "none" : "YES")})");
    Log($"Posts sent: {sender.Sent}, updates: {sender.Updated}");
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static void Log(string line) => Console.WriteLine(line);
