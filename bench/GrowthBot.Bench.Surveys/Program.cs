using GrowthBot.Bench.Slack;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GrowthBot.Bench.Surveys;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Surveys;
using GrowthBot.Formulas;
using GrowthBot.Storage;

SurveyBenchOptions options;
try
{
    options = SurveyBenchOptions.Parse(args);
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

const string SigningKey = "bench-survey-signing-key-0123456789";
const string SlackSecret = "bench-slack-signing-secret-0123456789";
Directory.CreateDirectory(options.OutDirectory);
var work = Directory.CreateTempSubdirectory("growthbot-bench-surveys-");
var clock = Stopwatch.StartNew();
void Progress(string line) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed:mm\\:ss}] {line}"));

try
{
    await using var slack = await BenchSlack.StartAsync();
    var storePath = Path.Combine(work.FullName, "growthbot.db");
    var environment = new Dictionary<string, string>
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        // A Production host with a chat platform refuses to start without it.
        ["Company__Name"] = "Bench Co",
        ["Storage__Path"] = storePath,
        ["Slack__BotToken"] = "xoxb-bench",
        ["Slack__SigningSecret"] = SlackSecret,
        ["Slack__ApiBaseUrl"] = new Uri(slack.BaseAddress, "/api/").ToString(),
        ["Slack__MinimumChannelInterval"] = "00:00:00",
        ["Surveys__SigningKey"] = SigningKey,
        ["Surveys__SendInterval"] = "00:00:00",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
    };
    if (options.CheckpointPages is { } pages) environment["Storage__CheckpointPages"] = pages.ToString(CultureInfo.InvariantCulture);
    // The host refuses a campaign for customers the store does not hold: write them before it starts.
    using (var seed = new LiteGrowthStore(new StorageOptions { Path = storePath }))
    {
        var customers = new GrowthDataBatch();
        var signedUp = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var person = 0; person < options.People; person++) customers.Customers.Add(new Customer($"C-{person}", $"Bench customer {person}", "SMB", "organic", signedUp, null));
        seed.Write(customers);
    }
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(60) };
    using var host = BenchHost.Start(options.HostDll, environment, Path.Combine(options.OutDirectory, "host.log"));
    await host.WaitHealthyAsync(http);
    Progress($"host up at {host.BaseAddress} ({Environment.ProcessorCount} cores); starting an NPS campaign to {options.People:N0} people");

    var recipients = Enumerable.Range(0, options.People).Select(person => new { customerId = $"C-{person}", platform = "slack", userId = PressDriver.User(person) }).ToList();
    using var started = await http.PostAsJsonAsync(new Uri(host.BaseAddress, "internal/surveys/campaigns"), new { kind = "nps", startedBy = "bench", recipients });
    started.EnsureSuccessStatusCode();
    var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
    while (true)
    {
        var status = await http.GetFromJsonAsync<JsonElement>(new Uri(host.BaseAddress, $"internal/surveys/campaigns/{runId}"));
        if (status.GetProperty("doneSending").GetBoolean())
        {
            Progress($"campaign {runId}: {status.GetProperty("sent").GetInt32():N0} invitations sent, {status.GetProperty("failed").GetInt32()} failed");
            break;
        }
        await Task.Delay(500);
    }

    var driver = new PressDriver(http, new Uri(host.BaseAddress, "slack/interactivity"), runId, SurveyButtonCodec.FromText(SigningKey), SlackSecret,
        new Uri(slack.BaseAddress, "/respond"), options.MaxInFlight);
    var warmup = driver.Plan(0, options.Warmup, options.People);
    if (warmup.Count > 0)
    {
        Progress($"warm-up: {warmup.Count:N0} presses at {options.WarmupRate}/s (not counted)");
        await driver.RunAsync(warmup, options.WarmupRate);
    }
    var measured = driver.Plan(options.Warmup, options.Rate * options.Seconds, options.People);
    Progress($"measured: {measured.Count:N0} presses at {options.Rate}/s for {options.Seconds} s");
    var cpuBefore = host.Cpu;
    var benchCpuBefore = OwnCpu();
    var loadBefore = LoadAverage();
    var runClock = Stopwatch.StartNew();
    await driver.RunAsync(measured, options.Rate);
    var elapsed = runClock.Elapsed;
    var hostCpu = host.Cpu - cpuBefore;
    var benchCpu = OwnCpu() - benchCpuBefore;
    var loadAfter = LoadAverage();
    Progress("stopping the host (SIGTERM) and reading the store");
    await host.StopAsync();

    using var store = new LiteGrowthStore(new StorageOptions { Path = storePath });
    var stored = new Scores();
    store.ReadAll(stored);
    var all = warmup.Concat(measured).ToList();
    var lost = 0;
    foreach (var person in all.GroupBy(press => press.InvitationId))
    {
        var lastAcked = person.Where(press => press.Status == 200).Select(press => press.Index).DefaultIfEmpty(-1).Max();
        if (lastAcked < 0) continue;
        var possible = person.Where(press => press.Index >= lastAcked).Select(press => press.Score).ToHashSet();
        if (!stored.ById.TryGetValue("survey-" + person.Key, out var score) || !possible.Contains(score)) lost++;
    }

    var acked = measured.Where(press => press.Status == 200).ToList();
    var acks = new Distribution(acked.Select(press => press.AckMs));
    // From the first press sent to the last acknowledgement: what the host kept up with, not the driver's start-up and wind-down.
    var firstSent = measured.Where(press => press.Outcome.StartedAt != 0).Select(press => press.Outcome.StartedAt).DefaultIfEmpty(0).Min();
    var lastAck = acked.Select(press => press.Outcome.StartedAt + press.Outcome.AckTicks).DefaultIfEmpty(0).Max();
    var span = acked.Count > 1 ? Stopwatch.GetElapsedTime(firstSent, lastAck).TotalSeconds : elapsed.TotalSeconds;
    var sustained = acked.Count / span;
    var refused = measured.Count(press => press.Status is not 200 and not 0);
    var failed = measured.Count(press => !press.Skipped && press.Status == 0);
    var skipped = measured.Count(press => press.Skipped);
    var met = sustained >= 2000 && acks.Percentile(99) <= 50 && lost == 0 && acked.Count == measured.Count;
    var report = new StringBuilder()
        .Append("# Survey load benchmark\n\n")
        .Append(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores; campaign of {options.People:N0} invitations; warm-up {options.Warmup:N0} presses at {options.WarmupRate}/s; ")
        .Append(CultureInfo.InvariantCulture, $"measured {measured.Count:N0} presses offered at {options.Rate}/s over {elapsed.TotalSeconds:0.0} s.\n\n")
        .Append("| offered/s | acknowledged | sustained/s | ack p50 / p90 / p99 / max | refused | no answer | not sent (cap) | lost | host CPU | bench CPU | load average | response_url posts |\n")
        .Append("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
        .Append(CultureInfo.InvariantCulture, $"| {options.Rate} | {acked.Count:N0} | {sustained:0} | {acks.Summary()} | {refused} | {failed} | {skipped} | {lost} | {hostCpu.TotalSeconds:0.0} s ({hostCpu.TotalSeconds / elapsed.TotalSeconds / Environment.ProcessorCount:P0} of the machine) | {benchCpu.TotalSeconds / elapsed.TotalSeconds:0.00} cores | {loadBefore} → {loadAfter} | {slack.Responses:N0} |\n\n")
        .Append("Ack = request sent → HTTP 200 (each 200 is sent only after the answer is committed to LiteDB). Lost = a person whose last acknowledged ")
        .Append("score is not what the store holds after a clean stop (warm-up presses included). Target (issue 6): ≥ 2,000/s sustained, p99 ack ≤ 50 ms, none lost: ")
        .Append(met ? "**met**.\n" : "**not met**.\n");
    await File.WriteAllTextAsync(Path.Combine(options.OutDirectory, "results.md"), report.ToString());
    Console.WriteLine();
    Console.Write(report.ToString());
    Console.WriteLine($"host errors logged: {host.Errors}; results in {Path.Combine(options.OutDirectory, "results.md")}");
    return met ? 0 : 1;
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

static TimeSpan OwnCpu()
{
    using var self = Process.GetCurrentProcess();
    return self.TotalProcessorTime;
}

static string LoadAverage()
{
    var fields = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ') : [];
    return fields.Length >= 3 ? $"{fields[0]} {fields[1]} {fields[2]}" : "n/a";
}

/// <summary>Collects the stored survey responses' scores by id.</summary>
internal sealed class Scores : IGrowthDataSink
{
    public Dictionary<string, int> ById { get; } = new(StringComparer.Ordinal);

    public void Add(Customer customer) { }

    public void Add(SubscriptionChange change) { }

    public void Add(Order order) { }

    public void Add(SpendEntry spend) { }

    public void Add(Ticket ticket) { }

    public void Add(SurveyResponse response) => ById[response.Id] = response.Score;
}
