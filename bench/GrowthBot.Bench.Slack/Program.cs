using System.Diagnostics;
using System.Globalization;
using System.Text;
using GrowthBot.Bench.Slack;

SlackBenchOptions options;
try
{
    options = SlackBenchOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

if (!File.Exists(options.HostDll))
{
    Console.Error.WriteLine($"The host is not built: {options.HostDll} is missing. Build it first: dotnet build -c Release src/GrowthBot.Host");
    return 2;
}

Directory.CreateDirectory(options.OutDirectory);
var work = Directory.CreateTempSubdirectory("growthbot-bench-slack-");
var clock = Stopwatch.StartNew();
void Progress(string line) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed:mm\\:ss}] {line}"));

var results = new List<ScenarioResult>();
try
{
    Progress($"Slack load benchmark: host {options.HostDll}, {Environment.ProcessorCount} cores, out {options.OutDirectory}");
    string? template = null;
    if (options.Customers > 0)
    {
        template = Path.Combine(work.FullName, "template.db");
        Progress($"importing the demo history ({options.Customers:N0} customers) with `growthbot demo` into a template store…");
        await DemoStore.WriteAsync(options.HostDll, template, options.Customers);
    }
    else
    {
        Progress("empty store (--customers 0): every question gets the \"no data yet\" answer");
    }

    var run = 0;
    foreach (var transport in options.Transports)
    foreach (var pacing in options.Pacings)
    {
        foreach (var rate in options.Rates)
        {
            foreach (var variant in options.Variants)
            {
                run++;
                Progress(string.Create(CultureInfo.InvariantCulture,
                    $"run {run}: {transport}, {rate}/s for {options.Seconds} s, {variant.ToString().ToLowerInvariant()}, Slack__MinimumChannelInterval {pacing:0.###} s, {options.Channels} channels"));
                var result = await Scenario.RunAsync(options, transport, rate, variant, pacing, template, work.FullName, run, Console.Out);
                results.Add(result);
                Console.WriteLine();
                Console.Write(result.Details());
                Console.WriteLine();
                await File.WriteAllTextAsync(Path.Combine(options.OutDirectory, "results.md"), Report(options, results));
            }
        }
    }

    Console.WriteLine(ScenarioResult.TableHeader);
    foreach (var result in results) Console.WriteLine(result.TableRow());
    Console.WriteLine();
    Console.WriteLine("Target (issue 3): p99 ack ≤ 50 ms at 300 events/s, no event lost or answered twice.");
    foreach (var result in results.Where(r => r.Rate == 300))
    {
        Console.WriteLine($"  {result.Name}: {(result.MeetsTarget ? "met" : "NOT met")}");
    }
    Progress($"done; results in {Path.Combine(options.OutDirectory, "results.md")}");
    return results.All(result => result.MeetsTarget) ? 0 : 1;
}
finally
{
    try
    {
        work.Delete(recursive: true);
    }
    catch (IOException exception)
    {
        Console.Error.WriteLine($"Could not remove {work.FullName}: {exception.Message}");
    }
}

static string Report(SlackBenchOptions options, IReadOnlyList<ScenarioResult> results)
{
    var text = new StringBuilder();
    text.Append("# Slack load benchmark\n\n");
    text.Append(string.Create(CultureInfo.InvariantCulture,
        $"{Environment.ProcessorCount} cores; {options.Seconds} s per run; {options.Channels} channels, {options.Users} users; " +
        $"store: {(options.Customers > 0 ? $"demo history, {options.Customers:N0} customers" : "empty")}; " +
        $"retry variant resends {options.RetryFraction:P0} of events with X-Slack-Retry-Num: 1.\n\n"));
    text.Append(ScenarioResult.TableHeader).Append('\n');
    foreach (var result in results) text.Append(result.TableRow()).Append('\n');
    text.Append("\nAck = send → HTTP 200 from the host (Socket Mode: envelope sent → its envelope_id acknowledged on the WebSocket); answer = send → chat.postMessage at the fake Web API; " +
        "drain = last answer after the last send. Target: p99 ack ≤ 50 ms at 300 events/s, no event lost or answered twice.\n\n");
    foreach (var result in results) text.Append(result.Details()).Append('\n');
    return text.ToString();
}
