using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using GrowthBot.Bench.Slack;
using GrowthBot.Bench.Webhooks;

// The Stripe webhook ingestion benchmark (issue #15): see bench/README.md.
WebhookBenchOptions options;
try
{
    options = WebhookBenchOptions.Parse(args);
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

const string StripeSecret = "whsec_bench_0123456789abcdef0123456789abcdef";
const string SlackSecret = "bench-signing-secret-0123456789abcdef";
Directory.CreateDirectory(options.OutDirectory);
var work = Directory.CreateTempSubdirectory("growthbot-bench-webhooks-");
var clock = Stopwatch.StartNew();
void Progress(string line) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed:mm\\:ss}] {line}"));
static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

try
{
    Progress(Invariant($"Stripe webhook benchmark: {options.Rate}/s for {options.Seconds} s over {options.StripeCustomers:N0} Stripe customers, {options.QuestionRate} Slack questions/s; {Environment.ProcessorCount} cores, load average {LoadAverage()}"));

    // 1. The store: a demo history of N customers, written once and copied for the run.
    var template = options.Store ?? Path.Combine(work.FullName, "template.db");
    if (!File.Exists(template))
    {
        Progress(Invariant($"writing the demo history ({options.Customers:N0} customers) with `growthbot demo` into {template}…"));
        await DemoStore.WriteAsync(options.HostDll, template, options.Customers);
    }
    else
    {
        Progress($"starting from the existing store {template}");
    }
    var storePath = Path.Combine(work.FullName, "run.db");
    DemoStore.CopyForRun(template, storePath);

    // 2. The host, with the Stripe connector on and Slack pointed at the fake Web API.
    await using var slack = await BenchSlackWebApi.StartAsync();
    var environment = new Dictionary<string, string>
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        // A Production host with a chat platform refuses to start without it.
        ["Company__Name"] = "Bench Co",
        ["Storage__Path"] = storePath,
        ["Stripe__WebhookSecret"] = StripeSecret,
        ["Stripe__ReportingCurrency"] = "usd",
        ["Slack__BotToken"] = SlackEvents.BotToken,
        ["Slack__SigningSecret"] = SlackSecret,
        ["Slack__ApiBaseUrl"] = slack.ApiBaseUrl,
        ["Access__SlackHomeTeamIds__0"] = SlackEvents.TeamId,
    };
    if (options.Gen0Size != "0") environment["DOTNET_GCgen0size"] = options.Gen0Size;
    var logPath = Path.Combine(options.OutDirectory, "host.log");
    using var host = HostProcess.Start(options.HostDll, environment, logPath);
    using var handler = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, ConnectTimeout = TimeSpan.FromSeconds(5), UseProxy = false };
    using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    using var questionHandler = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, ConnectTimeout = TimeSpan.FromSeconds(5), UseProxy = false };
    using var questionClient = new HttpClient(questionHandler) { Timeout = TimeSpan.FromSeconds(10) };
    var startClock = Stopwatch.StartNew();
    await host.WaitHealthyAsync(client, TimeSpan.FromMinutes(10));
    Progress(Invariant($"host pid {host.Id} healthy {startClock.Elapsed.TotalSeconds:F1} s after start (store copied without its engine snapshot, so the engine indexed the store); {Mib(host.Usage().WorkingSetBytes)} resident"));

    var stripeUri = new Uri(host.BaseAddress, "/webhooks/stripe");
    var slackUri = new Uri(host.BaseAddress, "/slack/events");
    var stripeSecret = Encoding.UTF8.GetBytes(StripeSecret);
    var events = new StripeEvents(options.StripeCustomers);
    var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

    // The bench's signature must be the one Stripe.net accepts (the host verifies with Stripe.net too).
    var signUps = events.SignUps(now - (2 * 86_400));
    var probe = signUps[0];
    var probeHeader = StripeEvents.Signature(now, probe.Body, stripeSecret);
    Stripe.EventUtility.ValidateSignature(Encoding.UTF8.GetString(probe.Body), probeHeader, StripeSecret);

    Func<PlannedSend, HttpRequestMessage> StripeRequests(IReadOnlyList<StripeBenchEvent> items) => planned =>
    {
        var body = items[planned.Item].Body;
        var request = new HttpRequestMessage(HttpMethod.Post, stripeUri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.ParseAdd("Stripe/1.0 (+https://stripe.com/docs/webhooks)");
        request.Headers.TryAddWithoutValidation("Stripe-Signature", StripeEvents.Signature(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), body, stripeSecret));
        return request;
    };

    // 3. Warm-up (not measured): the pool's customers sign up (customer.created, customer.subscription.created), and a few questions.
    var warmRate = Math.Min(options.Rate, 500);
    Progress(Invariant($"warm-up: {signUps.Count:N0} sign-up events at {warmRate}/s and 100 questions…"));
    var warmQuestions = SlackEvents.Create(100, "WARM", "C0WARM", 20, 10, now);
    var warmTracks = slack.Expect(warmQuestions);
    var warmSlack = new OpenLoopDriver(questionClient, options.MaxInFlight).RunAsync(
        OpenLoopDriver.Plan(warmQuestions.Count, 20, 0, 1), SlackEventRequests.For(warmQuestions, slackUri, Encoding.UTF8.GetBytes(SlackSecret)), TimeSpan.FromMinutes(2));
    var warm = await new OpenLoopDriver(client, options.MaxInFlight).RunAsync(
        OpenLoopDriver.Plan(signUps.Count, warmRate, 0, 1), StripeRequests(signUps), TimeSpan.FromSeconds((signUps.Count / (double)warmRate) + 60));
    await warmSlack;
    var warmFailed = warm.Count(outcome => outcome.Status != 200);
    if (warmFailed > 0) Progress(Invariant($"  {warmFailed:N0} warm-up events were not acknowledged with 200 (statuses: {Statuses(warm)})"));
    await WaitUntilAsync(() => warmTracks.All(track => track.Posts > 0), TimeSpan.FromSeconds(60));

    // Then the measured mix itself for a while (not measured): without it the run measures tiered
    // JIT compiling the host's hot paths (0.5-0.8 s of JIT a second through the first minute).
    var warmCount = options.Rate * options.WarmupSeconds;
    if (warmCount > 0)
    {
        Progress(Invariant($"warm-up: {warmCount:N0} events of the measured mix at {options.Rate}/s and {options.QuestionRate * options.WarmupSeconds:N0} questions…"));
        var mixQuestions = SlackEvents.Create(options.QuestionRate * options.WarmupSeconds, "WARMMIX", "C0WARM2", 50, 20, now);
        var mixTracks = slack.Expect(mixQuestions);
        var mixSlack = new OpenLoopDriver(questionClient, options.MaxInFlight).RunAsync(
            OpenLoopDriver.Plan(mixQuestions.Count, Math.Max(1, options.QuestionRate), 0, 3), SlackEventRequests.For(mixQuestions, slackUri, Encoding.UTF8.GetBytes(SlackSecret)), TimeSpan.FromSeconds(options.WarmupSeconds + 30));
        var mix = await new OpenLoopDriver(client, options.MaxInFlight).RunAsync(
            OpenLoopDriver.Plan(warmCount, options.Rate, 0, 5), StripeRequests(events.Stream(warmCount, 0, now - 86_400 - options.WarmupSeconds - 1, options.Rate)), TimeSpan.FromSeconds(options.WarmupSeconds + 60));
        await mixSlack;
        var mixFailed = mix.Count(outcome => outcome.Status != 200);
        if (mixFailed > 0) Progress(Invariant($"  {mixFailed:N0} warm-up events were not acknowledged with 200 (statuses: {Statuses(mix)})"));
        await WaitUntilAsync(() => mixTracks.All(track => track.Posts > 0), TimeSpan.FromSeconds(60));
    }

    // 4. The measured run: Stripe events and Slack questions at the same time, each open loop.
    var count = options.Rate * options.Seconds;
    var stream = events.Stream(count, warmCount, now - 86_400, options.Rate);
    // Stripe redelivers an event now and then (a timeout on its side): 1 % of them come twice.
    var plan = OpenLoopDriver.Plan(count, options.Rate, 0.01, 7);
    var questionCount = options.QuestionRate * options.Seconds;
    var questions = SlackEvents.Create(questionCount, "RUN", "C0BENCH", 50, 20, now);
    var questionTracks = slack.Expect(questions);
    var questionPlan = OpenLoopDriver.Plan(questionCount, Math.Max(1, options.QuestionRate), 0, 11);

    using var ownPauses = new OwnGcPauses();
    var usageBefore = host.Usage();
    var loadBefore = LoadAverage();
    var stolenBefore = StolenCpu.Total();
    Progress(Invariant($"sending {plan.Count:N0} Stripe deliveries ({count:N0} events + {plan.Count - count:N0} redeliveries) at {options.Rate}/s and {questionCount:N0} questions…"));
    var webhookDriver = new OpenLoopDriver(client, options.MaxInFlight);
    var questionDriver = new OpenLoopDriver(questionClient, options.MaxInFlight);
    var questionRun = questionCount > 0
        ? questionDriver.RunAsync(questionPlan, SlackEventRequests.For(questions, slackUri, Encoding.UTF8.GetBytes(SlackSecret)), TimeSpan.FromSeconds(options.Seconds + 30))
        : Task.FromResult(Array.Empty<SendOutcome>());
    var outcomes = await webhookDriver.RunAsync(plan, StripeRequests(stream), TimeSpan.FromSeconds(options.Seconds + 60));
    var questionOutcomes = await questionRun;
    var usageAfter = host.Usage();
    var loadAfter = LoadAverage();
    var stolen = StolenCpu.Total() - stolenBefore;
    await WaitUntilAsync(() => questionTracks.Select((track, i) => (track, i)).All(pair => pair.track.Posts > 0 || !Acknowledged(questionOutcomes, questionPlan, pair.i)), TimeSpan.FromSeconds(60));

    string health;
    using (var response = await client.GetAsync(new Uri(host.BaseAddress, "/healthz"))) health = await response.Content.ReadAsStringAsync();
    await host.StopAsync();

    // 5. Figures.
    var sent = outcomes.Where(outcome => outcome.StartedAt > 0).ToList();
    var ok = sent.Where(outcome => outcome.Status == 200).ToList();
    var firstSend = sent.Count == 0 ? 0 : sent.Min(outcome => outcome.StartedAt);
    var lastAck = ok.Count == 0 ? 0 : ok.Max(outcome => outcome.StartedAt + outcome.AckTicks);
    var sustained = ok.Count == 0 ? 0 : ok.Count / ((lastAck - firstSend) / (double)Stopwatch.Frequency);
    var acks = new Distribution(ok.Select(outcome => outcome.AckMs));
    var lag = new Distribution(sent.Select(outcome => outcome.LagTicks * 1000.0 / Stopwatch.Frequency));
    var questionAcks = new Distribution(questionOutcomes.Where(outcome => outcome.Status == 200).Select(outcome => outcome.AckMs));
    var answeredSends = Enumerable.Range(0, questionPlan.Count).Where(k => questionOutcomes[k].Status == 200 && questionTracks[questionPlan[k].Item].Posts > 0).ToList();
    double SendToPostMs(int k) => (questionTracks[questionPlan[k].Item].FirstPostTimestamp - questionOutcomes[k].StartedAt) * 1000.0 / Stopwatch.Frequency;
    var answerLatency = new Distribution(answeredSends.Select(SendToPostMs));
    // The answer's two halves: the ack (verify, record in the inbox, queue) and what follows it (answer, post).
    var afterAck = new Distribution(answeredSends.Select(k => SendToPostMs(k) - questionOutcomes[k].AckMs));
    var answered = questionTracks.Count(track => track.Posts > 0);
    var questionsAcknowledged = Enumerable.Range(0, questionPlan.Count).Count(k => questionOutcomes[k].Status == 200);
    var cpu = (usageAfter.Cpu - usageBefore.Cpu).TotalSeconds;
    var wall = options.Seconds;

    var report = new StringBuilder();
    report.AppendLine(Invariant($"## Stripe webhooks at {options.Customers:N0} customers ({TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC, load average {loadBefore} → {loadAfter}, {Environment.ProcessorCount} cores)"));
    report.AppendLine();
    report.AppendLine(Invariant($"- Stripe deliveries: {plan.Count:N0} planned, {sent.Count:N0} sent, {ok.Count:N0} answered 200 (statuses: {Statuses(outcomes)}); not sent (over --max-in-flight or the time limit): {outcomes.Count(outcome => outcome.StartedAt == 0):N0}"));
    report.AppendLine(Invariant($"- **Sustained: {sustained:N0} events/s** (200s ÷ first send → last 200); schedule lag p99 {Distribution.Ms(lag.Percentile(99))} ms"));
    report.AppendLine(Invariant($"- **Ack p50 / p90 / p99 / max: {acks.Summary()}**"));
    report.AppendLine(Invariant($"- Questions (Slack app_mention, {options.QuestionRate}/s during the run): {questionsAcknowledged:N0} of {questionCount:N0} acknowledged, {answered:N0} answered, Slack ack p50 / p90 / p99 / max {questionAcks.Summary()}"));
    report.AppendLine(Invariant($"- **Question answered (send → chat.postMessage at the fake Slack) p50 / p90 / p99 / max: {answerLatency.Summary()}**"));
    report.AppendLine(Invariant($"  - of which after the ack (answer computed, chat.postMessage sent) p50 / p90 / p99 / max: {afterAck.Summary()}"));
    report.AppendLine(Invariant($"- Host: {cpu:F1} s CPU in the {wall} s run ({cpu / wall / Environment.ProcessorCount:P0} of the machine); resident {Mib(usageAfter.WorkingSetBytes)} after the run, **peak {Mib(usageAfter.PeakWorkingSetBytes)}** (before the run {Mib(usageBefore.WorkingSetBytes)}); {host.Warnings} warnings, {host.Errors} errors in its log ({logPath})"));
    foreach (var problem in host.Problems) report.AppendLine("  - " + problem);
    report.AppendLine(Invariant($"- /healthz after the run: {(health.Length > 600 ? health[..600] + "…" : health)}"));
    report.AppendLine(stolen is { } taken
        ? Invariant($"- CPU time the hypervisor gave to other guests during the run (/proc/stat steal): {taken.TotalSeconds:F1} s{(taken > StolenCpu.Tolerated ? $"; more than {StolenCpu.Tolerated.TotalSeconds:F0} s, so this run's figures are not judged against the targets" : string.Empty)}")
        : "- CPU time stolen by the hypervisor: not known here (no /proc/stat)");
    report.AppendLine(OwnPausesLine(ownPauses.Pauses, outcomes.Concat(questionOutcomes).Where(outcome => outcome.Status == 200).ToList()));
    var webhooksMet = sustained >= 1000 && acks.Percentile(99) <= 50 && ok.Count == sent.Count;
    var questionsMet = answerLatency.Count > 0 && answerLatency.Percentile(99) <= 10 && answered == questionsAcknowledged;
    var judged = stolen is null || stolen <= StolenCpu.Tolerated;
    report.AppendLine(Invariant($"- Target ≥ 1,000 events/s with p99 ack ≤ 50 ms (every delivery 200): {Verdict(webhooksMet, judged)}; questions p99 ≤ 10 ms while it runs: {Verdict(questionsMet, judged)}"));
    Console.WriteLine();
    Console.Write(report);
    await File.WriteAllTextAsync(Path.Combine(options.OutDirectory, "results.md"), report.ToString());
    // Every measured request on the wall clock, to line the slow ones up with the host's GC pauses,
    // store checkpoints or anything else timed elsewhere (dotnet-counters, strace, the host's log).
    await WriteTimelineAsync(Path.Combine(options.OutDirectory, "timeline.csv"), outcomes, questionOutcomes, questionPlan, questionTracks);
    return webhooksMet && questionsMet ? 0 : 1;
}
finally
{
    work.Delete(recursive: true);
}

static async Task WriteTimelineAsync(string path, SendOutcome[] stripe, SendOutcome[] questions, IReadOnlyList<PlannedSend> questionPlan, IReadOnlyList<AnswerTrack> tracks)
{
    // Stopwatch timestamps to Unix milliseconds through one reading of both clocks.
    var nowTicks = Stopwatch.GetTimestamp();
    var nowMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
    double UnixMs(long timestamp) => nowMs - ((nowTicks - timestamp) * 1000.0 / Stopwatch.Frequency);
    var lines = new List<string> { "kind,sent_unix_ms,status,latency_ms" };
    lines.AddRange(stripe.Where(outcome => outcome.StartedAt > 0).Select(outcome => string.Create(CultureInfo.InvariantCulture, $"stripe,{UnixMs(outcome.StartedAt):F1},{outcome.Status},{outcome.AckMs:F2}")));
    for (var k = 0; k < questions.Length && k < questionPlan.Count; k++)
    {
        var outcome = questions[k];
        if (outcome.StartedAt == 0) continue;
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"slack_ack,{UnixMs(outcome.StartedAt):F1},{outcome.Status},{outcome.AckMs:F2}"));
        var track = tracks[questionPlan[k].Item];
        if (track.Posts > 0) lines.Add(string.Create(CultureInfo.InvariantCulture, $"answer,{UnixMs(outcome.StartedAt):F1},200,{(track.FirstPostTimestamp - outcome.StartedAt) * 1000.0 / Stopwatch.Frequency:F2}"));
    }
    await File.WriteAllLinesAsync(path, lines);
}

// How much of the slowest 1 % of acknowledgements the bench itself spent paused for its own GC.
static string OwnPausesLine(IReadOnlyList<(double StartUnixMs, double EndUnixMs)> pauses, List<SendOutcome> answered)
{
    var nowTicks = Stopwatch.GetTimestamp();
    var nowMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
    double UnixMs(long timestamp) => nowMs - ((nowTicks - timestamp) * 1000.0 / Stopwatch.Frequency);
    var slowest = answered.OrderByDescending(outcome => outcome.AckTicks).Take(Math.Max(1, answered.Count / 100)).ToList();
    double waited = 0, inPauses = 0;
    var touched = 0;
    foreach (var outcome in slowest)
    {
        var start = UnixMs(outcome.StartedAt);
        var end = start + outcome.AckMs;
        var overlap = pauses.Sum(pause => Math.Max(0, Math.Min(end, pause.EndUnixMs) - Math.Max(start, pause.StartUnixMs)));
        waited += outcome.AckMs;
        inPauses += overlap;
        if (overlap > 0) touched++;
    }
    var during = pauses.Where(pause => answered.Count > 0 && pause.EndUnixMs >= UnixMs(answered.Min(outcome => outcome.StartedAt))).Select(pause => pause.EndUnixMs - pause.StartUnixMs).ToList();
    return string.Create(CultureInfo.InvariantCulture,
        $"- The bench's own GC pauses during the run: {during.Count}, {during.Sum():F0} ms in all, longest {(during.Count == 0 ? 0 : during.Max()):F1} ms; the slowest 1 % of acknowledgements (Stripe and Slack, {slowest.Count:N0}) spent {(waited == 0 ? 0 : inPauses / waited):P0} of their wait in them ({touched:N0} waited through one)");
}

static bool Acknowledged(SendOutcome[] outcomes, IReadOnlyList<PlannedSend> plan, int item)
{
    for (var k = 0; k < plan.Count; k++)
    {
        if (plan[k].Item == item) return outcomes.Length > k && outcomes[k].Status == 200;
    }
    return false;
}

static string Statuses(IEnumerable<SendOutcome> outcomes) =>
    string.Join(", ", outcomes.GroupBy(outcome => outcome.Status == 0 ? outcome.Error ?? (outcome.Skipped ? "skipped" : "not sent") : outcome.Status.ToString(CultureInfo.InvariantCulture))
        .OrderBy(group => group.Key, StringComparer.Ordinal).Select(group => string.Create(CultureInfo.InvariantCulture, $"{group.Key} × {group.Count():N0}")));

static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N0} MiB");

static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit)
{
    var clock = Stopwatch.StartNew();
    while (!condition() && clock.Elapsed < limit) await Task.Delay(100);
}

static string Verdict(bool met, bool judged) => !judged ? (met ? "met (on a run with too much stolen time to count)" : "not judged (too much stolen time)") : met ? "met" : "NOT met";

static string LoadAverage()
{
    try
    {
        return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "n/a";
    }
}
