using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace GrowthBot.Bench.Slack;

/// <summary>
/// One run: a fresh fake Web API, a fresh copy of the store, a fresh host process; warm-up, the
/// measured open-loop load, then the drain until every acknowledged event has its answer.
/// </summary>
internal static class Scenario
{
    public const string SigningSecret = "bench-signing-secret-0123456789abcdef";

    private static readonly TimeSpan SettleAfterDrain = TimeSpan.FromSeconds(2);

    public static async Task<ScenarioResult> RunAsync(SlackBenchOptions options, SlackTransport transport, int rate, LoadVariant variant, double pacing, string? templateStore, string workDirectory, int runNumber, TextWriter progress)
    {
        await using var slack = await BenchSlackWebApi.StartAsync();
        var storePath = Path.Combine(workDirectory, string.Create(CultureInfo.InvariantCulture, $"run-{runNumber}.db"));
        if (templateStore is not null) DemoStore.CopyForRun(templateStore, storePath);
        var logPath = Path.Combine(options.OutDirectory, string.Create(CultureInfo.InvariantCulture,
            $"host-{runNumber}-{transport.ToString().ToLowerInvariant()}-{rate}-{variant.ToString().ToLowerInvariant()}-pacing{pacing.ToString("0.###", CultureInfo.InvariantCulture)}.log"));

        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            // A Production host with a chat platform refuses to start without it.
            ["Company__Name"] = "Bench Co",
            ["Storage__Path"] = storePath,
            ["Slack__BotToken"] = SlackEvents.BotToken,
            ["Slack__SigningSecret"] = SigningSecret,
            ["Slack__ApiBaseUrl"] = slack.ApiBaseUrl,
            ["Slack__MinimumChannelInterval"] = TimeSpan.FromSeconds(pacing).ToString("c", CultureInfo.InvariantCulture),
            ["Access__SlackHomeTeamIds__0"] = SlackEvents.TeamId,
        };
        if (transport == SlackTransport.SocketMode) environment["Slack__AppToken"] = SlackEvents.AppToken;
        // IHttpClientFactory logs four Information lines per Web API call under System.Net.Http.HttpClient, which
        // the shipped appsettings.json leaves at Information; --quiet-http-log measures the host without them.
        if (options.QuietHttpLog) environment["Logging__LogLevel__System.Net.Http.HttpClient"] = "Warning";

        using var host = HostProcess.Start(options.HostDll, environment, logPath);
        using var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            UseProxy = false,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using var readingAcks = new CancellationTokenSource();
        try
        {
            await host.WaitHealthyAsync(client, TimeSpan.FromSeconds(90));
            await WaitUntilAsync(() => slack.CallCount("auth.test") > 0, TimeSpan.FromSeconds(15), "the host never called auth.test");
            var eventsUri = new Uri(host.BaseAddress, "/slack/events");
            var secret = Encoding.UTF8.GetBytes(SigningSecret);
            var unixNow = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

            // The same plan goes out either as signed HTTP requests or as envelopes on the host's Socket Mode connection.
            using var socketDriver = transport == SlackTransport.SocketMode ? new SocketModeDriver(await slack.SocketAsync(TimeSpan.FromSeconds(30))) : null;
            if (socketDriver is not null)
            {
                _ = socketDriver.ReadAcksAsync(readingAcks.Token);
            }
            Task<SendOutcome[]> Send(OpenLoopDriver http, IReadOnlyList<PlannedSend> sends, IReadOnlyList<BenchEvent> items, TimeSpan limit) =>
                socketDriver is not null ? socketDriver.RunAsync(sends, items, limit) : http.RunAsync(sends, SlackEventRequests.For(items, eventsUri, secret), limit);

            // Warm-up on channels of its own: JIT, connection pools, users.info cache, LiteDB pages.
            var warmClock = Stopwatch.StartNew();
            if (options.Warmup > 0)
            {
                var warm = SlackEvents.Create(options.Warmup, "WARM", "C0WARM", options.Channels, options.Users, unixNow - 1);
                var warmTracks = slack.Expect(warm);
                var warmDriver = new OpenLoopDriver(client, options.MaxInFlight);
                var warmRate = Math.Min(options.WarmupRate, rate);
                await Send(warmDriver, OpenLoopDriver.Plan(warm.Count, warmRate, 0, options.Seed), warm, TimeSpan.FromSeconds((options.Warmup / (double)warmRate) + 30));
                await WaitUntilAsync(() => warmTracks.All(track => track.Posts > 0), TimeSpan.FromSeconds(60), "the warm-up events were not all answered");
            }
            var warmupSeconds = warmClock.Elapsed.TotalSeconds;

            var count = rate * options.Seconds;
            var hotEvery = options.HotShare > 0 ? Math.Max(1, (int)Math.Round(1 / options.HotShare)) : 0;
            var events = SlackEvents.Create(count, "RUN", "C0BENCH", options.Channels, options.Users, unixNow, hotEvery);
            var tracks = slack.Expect(events);
            var plan = OpenLoopDriver.Plan(count, rate, variant == LoadVariant.Retry ? options.RetryFraction : 0, options.Seed + runNumber);
            var driver = new OpenLoopDriver(client, options.MaxInFlight);

            var loadBefore = LoadAverage();
            var usageBefore = host.Usage();
            var benchCpuBefore = OwnCpu();
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  host pid {host.Id} on 127.0.0.1:{host.Port}, warm-up {warmupSeconds:0.0} s; sending {plan.Count:N0} requests ({count:N0} events) at {rate}/s…"));

            var acknowledged = new bool[count];
            using var sampling = new CancellationTokenSource();
            var backlog = new List<long>();
            var sampler = SampleBacklogAsync(() => socketDriver?.AcknowledgedOriginals ?? driver.AcknowledgedOriginals, slack, backlog, sampling.Token);

            var outcomes = await Send(driver, plan, events, TimeSpan.FromSeconds(options.Seconds + 30));
            for (var k = 0; k < plan.Count; k++)
            {
                if (outcomes[k].Status == (int)HttpStatusCode.OK) acknowledged[plan[k].Item] = true;
            }
            var acknowledgedCount = acknowledged.Count(ok => ok);
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  sent; {tracks.Count(track => track.Posts > 0):N0} of {acknowledgedCount:N0} acknowledged events answered so far, draining…"));

            // Drain: every acknowledged event must get its answer, within the limit; then a short settle to catch late duplicates.
            var drainedAll = await WaitUntilAsync(
                () => Enumerable.Range(0, count).All(i => !acknowledged[i] || tracks[i].Posts > 0),
                TimeSpan.FromSeconds(options.DrainSeconds), failure: null);
            if (drainedAll) await Task.Delay(SettleAfterDrain);
            await sampling.CancelAsync();
            await sampler;

            var usageAfter = host.Usage();
            var benchCpu = (OwnCpu() - benchCpuBefore).TotalSeconds;
            var loadAfter = LoadAverage();
            await readingAcks.CancelAsync();
            slack.ReleaseSocket();
            await host.StopAsync();

            return Summarise(options, transport, rate, variant, pacing, events, tracks, plan, outcomes, acknowledged, slack, host, usageBefore, usageAfter,
                !drainedAll, backlog, loadBefore, loadAfter, logPath, warmupSeconds, benchCpu);
        }
        catch
        {
            await progress.WriteLineAsync($"  the run failed; the host's log is {logPath}");
            foreach (var problem in host.Problems) await progress.WriteLineAsync($"    {problem}");
            throw;
        }
        finally
        {
            slack.ReleaseSocket();
            await host.StopAsync();
            TryDelete(storePath);
        }
    }

    private static ScenarioResult Summarise(
        SlackBenchOptions options, SlackTransport transport, int rate, LoadVariant variant, double pacing, IReadOnlyList<BenchEvent> events, IReadOnlyList<AnswerTrack> tracks,
        IReadOnlyList<PlannedSend> plan, SendOutcome[] outcomes, bool[] acknowledged, BenchSlackWebApi slack, HostProcess host,
        HostUsage before, HostUsage after, bool drainTimedOut, IReadOnlyList<long> backlog, string loadBefore, string loadAfter,
        string logPath, double warmupSeconds, double benchCpu)
    {
        static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        var sent = Enumerable.Range(0, plan.Count).Where(k => outcomes[k].StartedAt != 0).ToList();
        var responded = sent.Where(k => outcomes[k].Status != 0).ToList();
        var failures = sent.Where(k => outcomes[k].Status != (int)HttpStatusCode.OK).ToList();
        var failureKinds = string.Join(", ", failures
            .GroupBy(k => outcomes[k].Status != 0 ? $"HTTP {outcomes[k].Status}" : outcomes[k].Error ?? "no response")
            .Select(group => $"{group.Key} × {group.Count()}"));

        var firstSend = sent.Count > 0 ? sent.Min(k => outcomes[k].StartedAt) : 0;
        var lastSend = sent.Count > 0 ? sent.Max(k => outcomes[k].StartedAt) : 0;
        // The achieved rate of events (originals), over the span their sends took; retries ride on top of it.
        var originals = sent.Where(k => !plan[k].IsRepeat).Select(k => outcomes[k].StartedAt).ToList();
        var sendRate = originals.Count > 1 ? (originals.Count - 1) / ((originals.Max() - originals.Min()) / (double)Stopwatch.Frequency) : double.NaN;

        // The original's send time for each event (the first send, if a retry happened to go first).
        var eventSentAt = new long[events.Count];
        foreach (var k in sent)
        {
            var e = plan[k].Item;
            if (eventSentAt[e] == 0 || outcomes[k].StartedAt < eventSentAt[e]) eventSentAt[e] = outcomes[k].StartedAt;
        }
        var answered = Enumerable.Range(0, events.Count).Where(i => tracks[i].Posts > 0).ToList();
        var lastAnswer = answered.Count > 0 ? answered.Max(i => tracks[i].FirstPostTimestamp) : 0;
        var answerRate = answered.Count > 0 && lastAnswer > firstSend ? answered.Count / ((lastAnswer - firstSend) / (double)Stopwatch.Frequency) : double.NaN;

        return new ScenarioResult
        {
            Transport = transport,
            Rate = rate,
            Seconds = options.Seconds,
            Variant = variant,
            PacingSeconds = pacing,
            Channels = options.Channels,
            QuietHttpLog = options.QuietHttpLog,
            Events = events.Count,
            Retries = plan.Count(p => p.IsRepeat),
            Sent = sent.Count,
            Skipped = outcomes.Count(o => o.Skipped),
            NotSentInTime = outcomes.Count(o => o.StartedAt == 0 && !o.Skipped),
            AckFailures = failures.Count,
            AckFailureKinds = failureKinds,
            AcksOver3s = responded.Count(k => Ms(outcomes[k].AckTicks) > 3000),
            Ack = new Distribution(responded.Select(k => Ms(outcomes[k].AckTicks))),
            RetryAck = new Distribution(responded.Where(k => plan[k].IsRepeat).Select(k => Ms(outcomes[k].AckTicks))),
            ScheduleLag = new Distribution(sent.Select(k => Ms(outcomes[k].LagTicks))),
            SendRate = sendRate,
            Acknowledged = acknowledged.Count(ok => ok),
            Answered = answered.Count,
            Lost = Enumerable.Range(0, events.Count).Count(i => acknowledged[i] && tracks[i].Posts == 0),
            Duplicates = tracks.Count(track => track.Posts > 1),
            UnexpectedPosts = slack.UnexpectedPosts,
            AnswerRate = answerRate,
            AnswerLatency = new Distribution(answered.Where(i => eventSentAt[i] != 0).Select(i => Ms(tracks[i].FirstPostTimestamp - eventSentAt[i]))),
            HotEvents = events.Count(e => e.Channel == SlackEvents.HotChannel),
            AnswerLatencyOtherChannels = new Distribution(answered
                .Where(i => eventSentAt[i] != 0 && events[i].Channel != SlackEvents.HotChannel)
                .Select(i => Ms(tracks[i].FirstPostTimestamp - eventSentAt[i]))),
            DrainSeconds = lastAnswer > lastSend ? Ms(lastAnswer - lastSend) / 1000 : 0,
            DrainTimedOut = drainTimedOut,
            BacklogBySecond = backlog,
            HostPeakWorkingSet = after.PeakWorkingSetBytes,
            HostWorkingSetAfter = after.WorkingSetBytes,
            HostCpuSeconds = (after.Cpu - before.Cpu).TotalSeconds,
            BenchCpuSeconds = benchCpu,
            HostWarnings = host.Warnings,
            HostErrors = host.Errors,
            HostDuplicatesRecognised = host.DuplicatesRecognised,
            HostProblems = host.Problems,
            WebApiCalls = slack.CallCounts,
            LoadBefore = loadBefore,
            LoadAfter = loadAfter,
            HostLog = logPath,
            WarmupSeconds = warmupSeconds,
            WarmupEvents = options.Warmup,
        };
    }

    /// <summary>Every second: requests acknowledged minus events answered (the host's backlog, roughly).</summary>
    private static async Task SampleBacklogAsync(Func<int> acknowledged, BenchSlackWebApi slack, List<long> backlog, CancellationToken cancellationToken)
    {
        var answeredAtStart = slack.Answered;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            // Bounded by the caller: it cancels after the drain (itself bounded).
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                backlog.Add(Math.Max(0, acknowledged() - (slack.Answered - answeredAtStart)));
            }
        }
        catch (OperationCanceledException)
        {
            // Done.
        }
    }

    /// <summary>Polls <paramref name="condition"/> every 20 ms up to <paramref name="limit"/>; throws with <paramref name="failure"/> if given, else returns false.</summary>
    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan limit, string? failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit) return failure is null ? false : throw new TimeoutException(failure);
            await Task.Delay(20);
        }
        return true;
    }

    private static TimeSpan OwnCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return fields.Length >= 3 ? $"{fields[0]} {fields[1]} {fields[2]}" : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static void TryDelete(string path)
    {
        foreach (var file in new[] { path, path + ".lock", Path.ChangeExtension(path, null) + "-log.db" })
        {
            try
            {
                if (File.Exists(file)) File.Delete(file);
            }
            catch (IOException)
            {
                // Left in the temporary folder, removed with it at the end.
            }
        }
    }
}
