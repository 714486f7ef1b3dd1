using System.Diagnostics;
using System.Globalization;
using System.Text;
using GrowthBot.Bench.Cluster;
using GrowthBot.Tests.Postgres;

ClusterBenchOptions options;
try
{
    options = ClusterBenchOptions.Parse(args);
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
var work = Directory.CreateTempSubdirectory("growthbot-bench-cluster-");
var clock = Stopwatch.StartNew();
void Progress(string line) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed:mm\\:ss}] {line}"));
var results = new List<TopologyResult>();
PostgresServer? postgres = null;
try
{
    Progress($"cluster benchmark: {Environment.ProcessorCount} cores; {options.EventRate} events/s and {options.PressRate} presses/s for {options.Seconds} s each on {string.Join(", ", options.Topologies.Select(ClusterBenchOptions.Name))}");
    if (options.Topologies.Any(topology => topology != Topology.LiteDb))
    {
        postgres = await PostgresServer.StartNewAsync();
        Progress($"PostgreSQL {postgres.Version} on 127.0.0.1:{postgres.Port}");
    }
    var scenario = new ClusterScenario(options, postgres, work.FullName, Progress);
    foreach (var topology in options.Topologies) results.Add(await scenario.RunAsync(topology));

    var report = new StringBuilder()
        .Append("# Cluster benchmark\n\n")
        .Append(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores; {options.EventRate} Slack events/s ({options.RetryFraction:P0} sent twice, as Slack retries) and {options.PressRate} survey presses/s, ")
        .Append(CultureInfo.InvariantCulture, $"{options.Seconds} s each after a warm-up of {options.Warmup}; {options.People:N0} invitations. Load average at the end: {LoadAverage()}.\n\n")
        .Append(TopologyResult.Header).Append('\n');
    foreach (var result in results) report.Append(result.Row()).Append('\n');
    report.Append("\nAck = request sent → HTTP 200 (through nginx for two hosts). Events/s and presses/s = acknowledgements per second from the first send to the last acknowledgement. ")
        .Append("Lost event = acknowledged, never answered; doubled = answered more than once. Lost press = acknowledged, and the store holds another score once the hosts stopped.\n\n");
    foreach (var result in results.Where(result => result.Follow is not null)) report.Append(result.Follow!.Describe(options)).Append(".\n");
    foreach (var result in results.Where(result => result.Takeover is not null)) report.Append(result.Takeover!.Describe(options)).Append(".\n");
    foreach (var result in results.Where(result => result.Events.Failures.Length > 0 || result.Presses.Failures.Length > 0 || result.HostErrors > 0))
    {
        report.Append(CultureInfo.InvariantCulture, $"\n{ClusterBenchOptions.Name(result.Topology)}: events not acknowledged: {Or(result.Events.Failures)}; presses not acknowledged: {Or(result.Presses.Failures)}; host errors logged: {result.HostErrors}.");
    }
    await File.WriteAllTextAsync(Path.Combine(options.OutDirectory, "results.md"), report.ToString());
    Console.WriteLine();
    Console.WriteLine(report.ToString());
    Progress($"done; results in {Path.Combine(options.OutDirectory, "results.md")}");
    var clean = results.All(result => result.Events.Lost == 0 && result.Events.Doubled == 0 && result.Presses.Lost == 0 &&
        (result.Follow is null || (result.Follow.AtRest.Missed == 0 && result.Follow.UnderLoad.Missed == 0)) &&
        (result.Takeover is null || (result.Takeover.DigestPosts == 1 && result.Takeover.Doubled == 0 && result.Takeover.Answered == result.Takeover.Stuck)));
    return clean ? 0 : 1;
}
finally
{
    if (postgres is not null) await postgres.DisposeAsync();
    try
    {
        work.Delete(recursive: true);
    }
    catch (IOException exception)
    {
        Console.Error.WriteLine($"Could not remove {work.FullName}: {exception.Message}");
    }
}

static string Or(string text) => text.Length == 0 ? "none" : text;

static string LoadAverage()
{
    var fields = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ') : [];
    return fields.Length >= 3 ? $"{fields[0]} {fields[1]} {fields[2]}" : "n/a";
}
