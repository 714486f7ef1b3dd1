using System.Diagnostics;
using System.Globalization;
using System.Text;
using GrowthBot.Bench.Slack;
using GrowthBot.Bench.Teams;

// The Teams load benchmark: authenticated message activities at the real host on loopback, answers at a fake connector.
const string Usage =
    "dotnet run -c Release --project bench/GrowthBot.Bench.Teams -- [--rate 300[,600]] [--seconds 30] [--conversations 500]\n" +
    "    [--duplicate-fraction 0.1] [--customers 2000] [--warmup 3000] [--warmup-rate 150] [--drain-seconds 60] [--max-in-flight 4000]\n" +
    "    [--host PATH/growthbot.dll] [--out DIR] [--seed N]";

var root = RepositoryRoot() ?? Directory.GetCurrentDirectory();
var rates = new List<int> { 300 };
int seconds = 30, conversations = 500, customers = 2000, warmup = 3000, warmupRate = 150, drainSeconds = 60, maxInFlight = 4000, seed = 20261126;
var duplicateFraction = 0.1;
var hostDll = Path.Combine(root, "src", "GrowthBot.Host", "bin", "Release", "net10.0", "growthbot.dll");
var outDirectory = Path.Combine(root, "bench", "out", "teams");
try
{
    for (var i = 0; i < args.Length; i++)
    {
        var name = args[i];
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.\n{Usage}");
        int Whole(int min, int max) => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value : throw new ArgumentException($"{name} must be a whole number from {min} to {max}.");
        switch (name)
        {
            case "--rate" or "--rates":
                rates = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(text => int.Parse(text, CultureInfo.InvariantCulture))];
                break;
            case "--seconds": seconds = Whole(1, 600); break;
            case "--conversations": conversations = Whole(1, 100_000); break;
            case "--duplicate-fraction": duplicateFraction = double.Parse(Value(), CultureInfo.InvariantCulture); break;
            case "--customers": customers = Whole(0, 1_000_000); break;
            case "--warmup": warmup = Whole(0, 100_000); break;
            case "--warmup-rate": warmupRate = Whole(1, 20_000); break;
            case "--drain-seconds": drainSeconds = Whole(1, 3600); break;
            case "--max-in-flight": maxInFlight = Whole(1, 60_000); break;
            case "--host": hostDll = Path.GetFullPath(Value()); break;
            case "--out": outDirectory = Path.GetFullPath(Value()); break;
            case "--seed": seed = Whole(0, int.MaxValue); break;
            default: throw new ArgumentException($"Unknown option '{name}'.\n{Usage}");
        }
    }
    if (rates.Any(rate => rate < 1 || rate > 20_000)) throw new ArgumentException("--rate values must be from 1 to 20000.");
}
catch (Exception exception) when (exception is ArgumentException or FormatException)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

if (!File.Exists(hostDll))
{
    Console.Error.WriteLine($"The host is not built: {hostDll} is missing. Build it first: dotnet build -c Release src/GrowthBot.Host");
    return 2;
}

Directory.CreateDirectory(outDirectory);
var work = Directory.CreateTempSubdirectory("growthbot-bench-teams-");
var clock = Stopwatch.StartNew();
void Progress(string line) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed:mm\\:ss}] {line}"));
var rows = new List<string>();
var allMet = true;
try
{
    Progress($"Teams load benchmark: host {hostDll}, {Environment.ProcessorCount} cores, out {outDirectory}");
    string? template = null;
    if (customers > 0)
    {
        template = Path.Combine(work.FullName, "template.db");
        Progress($"importing the demo history ({customers:N0} customers) with `growthbot demo` into a template store…");
        await DemoStore.WriteAsync(hostDll, template, customers);
    }

    var run = 0;
    foreach (var rate in rates)
    {
        run++;
        Progress($"run {run}: {rate}/s for {seconds} s, {conversations} personal chats, {duplicateFraction:P0} redelivered");
        await using var bot = await BenchBotFramework.StartAsync();
        var storePath = Path.Combine(work.FullName, string.Create(CultureInfo.InvariantCulture, $"run-{run}.db"));
        if (template is not null) DemoStore.CopyForRun(template, storePath);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            // A Production host with a chat platform refuses to start without it.
            ["Company__Name"] = "Bench Co",
            ["Storage__Path"] = storePath,
            ["Teams__AppId"] = BenchBotFramework.AppId,
            ["Teams__AppPassword"] = BenchBotFramework.AppPassword,
            ["Teams__OpenIdMetadataUrl"] = new Uri(bot.BaseAddress, "/v1/.well-known/openidconfiguration").ToString(),
            ["Teams__TokenEndpoint"] = new Uri(bot.BaseAddress, "/token").ToString(),
            ["Access__TeamsHomeTenantIds__0"] = BenchBotFramework.Tenant,
            // Four Information lines per connector call from IHttpClientFactory would measure the console, not the bot.
            ["Logging__LogLevel__System.Net.Http.HttpClient"] = "Warning",
        };
        var logPath = Path.Combine(outDirectory, string.Create(CultureInfo.InvariantCulture, $"host-{run}-{rate}.log"));
        using var host = HostProcess.Start(hostDll, environment, logPath);
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, ConnectTimeout = TimeSpan.FromSeconds(5), UseProxy = false };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            await host.WaitHealthyAsync(client, TimeSpan.FromSeconds(90));
            var messagesUri = new Uri(host.BaseAddress, "/api/messages");
            var load = new OpenLoopDriver(client, maxInFlight);
            var token = bot.Token();

            if (warmup > 0)
            {
                var warm = TeamsLoad.Activities("warm", warmup, conversations, bot.ServiceUrl);
                await load.RunAsync(OpenLoopDriver.Plan(warmup, warmupRate, 0, seed), TeamsLoad.Requests(warm, messagesUri, token), TimeSpan.FromSeconds(warmup / (double)warmupRate + 30));
                await WaitForAsync(() => bot.Replies >= warmup, TimeSpan.FromSeconds(drainSeconds));
                Progress($"  warm-up: {warmup} activities at {warmupRate}/s, {bot.Replies} answered");
            }
            var repliesBefore = bot.Replies;
            var cpuBefore = host.Usage().Cpu;

            var count = rate * seconds;
            var activities = TeamsLoad.Activities(string.Create(CultureInfo.InvariantCulture, $"run{run}"), count, conversations, bot.ServiceUrl);
            var plan = OpenLoopDriver.Plan(count, rate, duplicateFraction, seed);
            var started = Stopwatch.GetTimestamp();
            var outcomes = await load.RunAsync(plan, TeamsLoad.Requests(activities, messagesUri, token), TimeSpan.FromSeconds(seconds * 3 + 30));
            var sentDone = Stopwatch.GetTimestamp();

            var acknowledged = plan.Select((send, k) => (send, outcome: outcomes[k])).Where(pair => !pair.send.IsRepeat && pair.outcome.Status == 200).Select(pair => pair.send.Item).Distinct().ToList();
            await WaitForAsync(() => acknowledged.All(index => bot.RepliesTo(activities[index].Id) > 0), TimeSpan.FromSeconds(drainSeconds));
            // A moment more, so a second answer to a redelivered activity would have arrived too.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var cpu = host.Usage().Cpu - cpuBefore;

            var acks = new Distribution(outcomes.Where(outcome => outcome.Status == 200).Select(outcome => outcome.AckTicks * 1000.0 / Stopwatch.Frequency));
            var lag = new Distribution(outcomes.Where(outcome => outcome.StartedAt != 0).Select(outcome => outcome.LagTicks * 1000.0 / Stopwatch.Frequency));
            var firstSend = new Dictionary<int, long>();
            for (var k = 0; k < plan.Count; k++)
            {
                if (!plan[k].IsRepeat && outcomes[k].StartedAt != 0) firstSend[plan[k].Item] = outcomes[k].StartedAt;
            }
            var answers = new Distribution(firstSend.Select(pair => (pair.Key, at: bot.FirstReplyAt(activities[pair.Key].Id)))
                .Where(pair => pair.at is not null).Select(pair => (pair.at!.Value - firstSend[pair.Key]) * 1000.0 / Stopwatch.Frequency));
            var lost = acknowledged.Count(index => bot.RepliesTo(activities[index].Id) == 0);
            var twice = Enumerable.Range(0, count).Count(index => bot.RepliesTo(activities[index].Id) > 1);
            var non200 = outcomes.Count(outcome => outcome.StartedAt != 0 && outcome.Status != 200);
            var skipped = outcomes.Count(outcome => outcome.Skipped);
            var errors = outcomes.Count(outcome => outcome.Error is not null);
            var lastReply = activities.Select(activity => bot.FirstReplyAt(activity.Id)).Where(at => at is not null).Select(at => at!.Value).DefaultIfEmpty(sentDone).Max();
            var answeredSpan = (lastReply - started) / (double)Stopwatch.Frequency;
            var sustained = (bot.Replies - repliesBefore) / Math.Max(answeredSpan, 1e-3);
            var usage = host.Usage();
            var met = acks.Percentile(99) <= 50 && lost == 0 && twice == 0 && non200 == 0 && skipped == 0 && errors == 0;
            allMet &= rate != 300 || met;

            var row = string.Create(CultureInfo.InvariantCulture,
                $"| {rate}/s × {seconds} s | {count} + {plan.Count - count} redelivered | {Distribution.Ms(acks.Percentile(50))} | {Distribution.Ms(acks.Percentile(99))} | {Distribution.Ms(acks.Max)} | " +
                $"{Distribution.Ms(answers.Percentile(50))} | {Distribution.Ms(answers.Percentile(99))} | {sustained:0} | {lost} | {twice} | {non200 + errors + skipped} | {cpu.TotalSeconds / answeredSpan * 100:0}% | {usage.PeakWorkingSetBytes / 1048576.0:0} MB | {(met ? "met" : "NOT met")} |");
            rows.Add(row);
            Console.WriteLine();
            Console.WriteLine(Header());
            Console.WriteLine(row);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  schedule lag p99 {Distribution.Ms(lag.Percentile(99))} ms; duplicates recognised by the host: {host.DuplicatesRecognised}; member lookups {bot.MemberLookups}; typing indicators {bot.Typing}; app tokens fetched {bot.TokensIssued}; host warnings {host.Warnings}, errors {host.Errors}"));
            foreach (var problem in host.Problems) Console.WriteLine("  " + problem);
            Console.WriteLine();
        }
        finally
        {
            await host.StopAsync();
        }
    }

    var report = new StringBuilder()
        .Append("# Teams load benchmark\n\n")
        .Append(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores; {seconds} s per run after {warmup} warm-up activities; {conversations} personal chats; {duplicateFraction:P0} of activities redelivered; store: {(customers > 0 ? $"demo history, {customers:N0} customers" : "empty")}.\n\n"))
        .Append(Header()).Append('\n');
    foreach (var row in rows) report.Append(row).Append('\n');
    report.Append("\nAck = send → HTTP 200 from /api/messages (token validated, activity recorded in the inbox); answer = send → the reply at the fake connector; " +
        "sustained = answers delivered per second from the first send to the last answer. Target: p99 ack ≤ 50 ms at 300 activities/s, none lost or answered twice.\n");
    await File.WriteAllTextAsync(Path.Combine(outDirectory, "results.md"), report.ToString());
    Progress($"done; results in {Path.Combine(outDirectory, "results.md")}");
    return allMet ? 0 : 1;
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

static string Header() =>
    "| load | activities | ack p50 ms | ack p99 ms | ack max ms | answer p50 ms | answer p99 ms | sustained answers/s | lost | answered twice | refused/failed | host CPU | host peak RSS | target |\n" +
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

static async Task WaitForAsync(Func<bool> condition, TimeSpan limit)
{
    var watch = Stopwatch.StartNew();
    while (!condition() && watch.Elapsed < limit) await Task.Delay(50);
}

static string? RepositoryRoot()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "GrowthBot.sln"))) return folder.FullName;
    }
    for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "GrowthBot.sln"))) return folder.FullName;
    }
    return null;
}
