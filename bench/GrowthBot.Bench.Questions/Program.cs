using GrowthBot.Bench.Slack;
using System.Diagnostics;
using System.Globalization;
using GrowthBot.Bench.Questions;
using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Demo;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;

// dotnet run -c Release --project bench/GrowthBot.Bench.Questions -- [--customers 1000000] [--runs 30] [--warmups 3] [--months 48]
var options = BenchOptions.Parse(args);
var now = new DateTimeOffset(2025, 11, 26, 10, 0, 0, TimeSpan.Zero);
Log($"GrowthBot question bench: {options.Customers:N0} customers, {options.Months} months, {options.Warmups} warm-ups + {options.Runs} timed runs per question, " +
    $".NET {Environment.Version}, {Environment.ProcessorCount} cores");

var clock = Stopwatch.StartNew();
var batch = DemoHistory.Generate(new DemoHistoryOptions
{
    Customers = options.Customers,
    Months = options.Months,
    End = now.UtcDateTime,
    PlanChangeRate = 1.0,
    SurveyRate = 0.041,
});
Log($"Generated {batch.Customers.Count:N0} customers, {batch.Subscriptions.Count:N0} subscription changes, {batch.Responses.Count:N0} responses, " +
    $"{batch.Orders.Count:N0} orders, {batch.Tickets.Count:N0} tickets in {clock.Elapsed.TotalSeconds:0.0} s");

// The company's zone and the bench's clock, as the host gives them: LTV counts Berlin's calendar months,
// activation leaves out sign-ups whose window is still open at the bench's now.
using var engine = new MetricEngine(new MetricEngineOptions(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), new FixedClock(now));
clock.Restart();
engine.Apply(batch);
batch = null;
GC.Collect();
Log($"Engine built in {clock.Elapsed.TotalSeconds:0.0} s");

var handler = QuestionHandler.Create(engine, new Accountability(), new MetricEngineOptions(),
    new CompanyOptions { Name = "Bench Inc", TimeZone = "Europe/Berlin" }, new AccessPolicy(new AccessOptions()), new FixedClock(now));
var staff = new Requester(ChatPlatform.CommandLine, "bench", null, false);

// The engine remembers each period's starting-base facts, so the first ask of a period pays
// for the scan and later asks of it do not: the first ask is reported on its own.
var rows = new List<(BenchQuestion Question, List<double> Total, List<double> Engine, int EngineCalls, double First)>();
var conversation = 0;
foreach (var question in BenchQuestions.All)
{
    var totals = new List<double>();
    var engineTimes = new List<double>();
    var calls = 0;
    var first = double.NaN;
    for (var run = 0; run < options.Warmups + options.Runs; run++)
    {
        var conversationId = $"c{conversation++}";
        if (question.Before is { } before) handler.Reply(Message(conversationId, before));
        var started = Stopwatch.GetTimestamp();
        var reply = handler.Reply(Message(conversationId, question.Text));
        var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var (engineTime, engineCalls) = ReplayEngine(engine, reply);
        if (run == 0) first = total;
        if (run < options.Warmups) continue;
        totals.Add(total);
        engineTimes.Add(engineTime);
        calls = engineCalls;
    }
    rows.Add((question, totals, engineTimes, calls, first));
    Log($"{question.Text,-45} first {first,7:0.00} ms  median {new Distribution(totals).Percentile(50),7:0.00} ms  p99 {new Distribution(totals).Percentile(99),7:0.00} ms  ({calls} engine queries)");
}

var all = rows.SelectMany(row => row.Total).ToList();
Console.WriteLine();
Console.WriteLine("| question | engine queries | first ask ms | median ms | p95 ms | p99 ms | max ms | engine alone, median ms |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
foreach (var (question, total, engineTimes, calls, first) in rows)
{
    var text = question.Before is null ? question.Text : $"{question.Text} (after \"{question.Before}\")";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {text} | {calls} | {first:0.00} | {new Distribution(total).Percentile(50):0.00} | {new Distribution(total).Percentile(95):0.00} | {new Distribution(total).Percentile(99):0.00} | {total.Max():0.00} | {new Distribution(engineTimes).Percentile(50):0.00} |"));
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| **all {all.Count} asks** | | {rows.Max(row => row.First):0.00} (slowest) | {new Distribution(all).Percentile(50):0.00} | {new Distribution(all).Percentile(95):0.00} | {new Distribution(all).Percentile(99):0.00} | {all.Max():0.00} | |"));
return 0;

IncomingMessage Message(string conversationId, string text) =>
    new(ChatPlatform.CommandLine, conversationId, conversationId, null, staff, text, now);

// The same engine queries the answer needed, timed alone: what the question feature adds is the difference.
static (double Milliseconds, int Calls) ReplayEngine(MetricEngine engine, QuestionReply reply)
{
    var queries = new List<MetricQuery>();
    var by = reply.Question.By;
    foreach (var answer in reply.Answers.Where(answer => answer.Answer is not null))
    {
        queries.Add(new MetricQuery(answer.Metric.Id, answer.Answer!.From, answer.Answer.To, by));
        if (answer.Answer.Previous is { } previous) queries.Add(new MetricQuery(answer.Metric.Id, previous.From, previous.To, by));
        foreach (var step in answer.Series ?? []) queries.Add(new MetricQuery(answer.Metric.Id, step.From, step.To));
    }
    var started = Stopwatch.GetTimestamp();
    foreach (var query in queries) engine.Answer(query);
    return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, queries.Count);
}

static void Log(string line) => Console.Error.WriteLine(line);

/// <summary>Command-line options of the bench.</summary>
internal sealed record BenchOptions(int Customers, int Months, int Runs, int Warmups)
{
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(1_000_000, 48, 30, 3);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--customers" => options with { Customers = value },
                "--months" => options with { Months = value },
                "--runs" => options with { Runs = value },
                "--warmups" => options with { Warmups = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}; use --customers, --months, --runs, --warmups."),
            };
        }
        return options;
    }
}
