using System.Globalization;
using System.Text;

namespace GrowthBot.Bench.Slack;

/// <summary>What one run (one host, one rate, one variant, one pacing) measured.</summary>
internal sealed record ScenarioResult
{
    public required int Rate { get; init; }
    public required int Seconds { get; init; }
    public required LoadVariant Variant { get; init; }
    public required double PacingSeconds { get; init; }
    public required int Channels { get; init; }
    public required bool QuietHttpLog { get; init; }

    /// <summary>Distinct events (event_ids) in the run.</summary>
    public required int Events { get; init; }
    public required int Retries { get; init; }
    public required int Sent { get; init; }
    public required int Skipped { get; init; }
    public required int NotSentInTime { get; init; }

    /// <summary>Requests answered with something other than 200, or with no response at all.</summary>
    public required int AckFailures { get; init; }
    public required string AckFailureKinds { get; init; }

    /// <summary>Acknowledgements slower than Slack's 3 s: Slack would have counted these as failed and retried.</summary>
    public required int AcksOver3s { get; init; }
    public required Distribution Ack { get; init; }
    public required Distribution RetryAck { get; init; }
    public required Distribution ScheduleLag { get; init; }
    public required double SendRate { get; init; }

    /// <summary>Events acknowledged with 200 at least once: each must be answered exactly once.</summary>
    public required int Acknowledged { get; init; }
    public required int Answered { get; init; }
    public required int Lost { get; init; }
    public required int Duplicates { get; init; }
    public required long UnexpectedPosts { get; init; }
    public required double AnswerRate { get; init; }
    public required Distribution AnswerLatency { get; init; }

    /// <summary>Events sent to the one busy channel (<c>--hot-share</c>), and the answer latency of all the others.</summary>
    public required int HotEvents { get; init; }
    public required Distribution AnswerLatencyOtherChannels { get; init; }

    /// <summary>Seconds from the last send to the last answer (how long the backlog took to clear).</summary>
    public required double DrainSeconds { get; init; }
    public required bool DrainTimedOut { get; init; }
    public required IReadOnlyList<long> BacklogBySecond { get; init; }

    public required long HostPeakWorkingSet { get; init; }
    public required long HostWorkingSetAfter { get; init; }
    public required double HostCpuSeconds { get; init; }

    /// <summary>CPU the bench process itself (load generator + fake Web API) used over the same span: it shares the cores.</summary>
    public required double BenchCpuSeconds { get; init; }
    public required int HostWarnings { get; init; }
    public required int HostErrors { get; init; }

    /// <summary>Deliveries the host logged as already accepted (warm-up included; it has no retries).</summary>
    public required int HostDuplicatesRecognised { get; init; }
    public required IReadOnlyList<string> HostProblems { get; init; }
    public required IReadOnlyDictionary<string, int> WebApiCalls { get; init; }
    public required string LoadBefore { get; init; }
    public required string LoadAfter { get; init; }
    public required string HostLog { get; init; }
    public required double WarmupSeconds { get; init; }
    public required int WarmupEvents { get; init; }

    public SlackTransport Transport { get; init; } = SlackTransport.Http;

    private string TransportName => Transport == SlackTransport.SocketMode ? "Socket Mode" : "HTTP";

    public string Name => string.Create(CultureInfo.InvariantCulture,
        $"{TransportName}, {Rate}/s × {Seconds} s, {Variant.ToString().ToLowerInvariant()}, pacing {PacingSeconds:0.###} s{(QuietHttpLog ? ", HttpClient log at Warning" : string.Empty)}{(WarmupEvents == 0 ? ", cold host" : string.Empty)}{(HotEvents > 0 ? $", {HotEvents} events to one busy channel" : string.Empty)}");

    /// <summary>The issue's target: p99 acknowledgement ≤ 50 ms, nothing lost or answered twice, every request acknowledged.</summary>
    public bool MeetsTarget => Ack.Percentile(99) <= 50 && Lost == 0 && Duplicates == 0 && AckFailures == 0 && Skipped == 0 && NotSentInTime == 0 && !DrainTimedOut;

    /// <summary>Sustainable: meets the target and the answers kept up (the backlog cleared within 2 s of the last send).</summary>
    public bool KeepsUp => MeetsTarget && DrainSeconds <= 2;

    public string Verdict => KeepsUp ? "sustained" : MeetsTarget ? "acks ok, answers fall behind" : "NOT met";

    public static string TableHeader =>
        "| transport | pacing | rate/s | variant | events sent/s | ack p50 | ack p90 | ack p99 | ack max | answers/s | answer p50 | answer p99 | drain s | lost | dup | ack fail | host peak WS | host CPU s | verdict |\n" +
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |";

    public string TableRow() => string.Create(CultureInfo.InvariantCulture,
        $"| {TransportName} | {PacingSeconds:0.###} s | {Rate} | {Variant.ToString().ToLowerInvariant()}{(QuietHttpLog ? ", quiet log" : string.Empty)}{(WarmupEvents == 0 ? ", cold" : string.Empty)}{(HotEvents > 0 ? ", busy channel" : string.Empty)} | {SendRate:0} | {Distribution.Ms(Ack.Percentile(50))} | {Distribution.Ms(Ack.Percentile(90))} | " +
        $"{Distribution.Ms(Ack.Percentile(99))} | {Distribution.Ms(Ack.Max)} | {AnswerRate:0} | {Distribution.Ms(AnswerLatency.Percentile(50))} | {Distribution.Ms(AnswerLatency.Percentile(99))} | " +
        $"{DrainSeconds:0.0}{(DrainTimedOut ? " (timeout)" : string.Empty)} | {Lost} | {Duplicates} | {AckFailures + Skipped + NotSentInTime} | {Mb(HostPeakWorkingSet)} MB | {HostCpuSeconds:0.0} | {Verdict} |");

    public string Details()
    {
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        Line($"### {Name}");
        Line(string.Empty);
        var notSent = Skipped + NotSentInTime > 0
            ? string.Create(CultureInfo.InvariantCulture, $", {Skipped} not sent (in-flight cap), {NotSentInTime} not sent (time limit)")
            : string.Empty;
        Line(string.Create(CultureInfo.InvariantCulture, $"- events: {Events:N0} app_mentions over {Channels} channels, {Retries:N0} retries (X-Slack-Retry-Num: 1), {Sent:N0} requests sent{notSent}"));
        Line(string.Create(CultureInfo.InvariantCulture, $"- achieved send rate: {SendRate:0.0} events/s (retries on top); schedule lag p99 {Distribution.Ms(ScheduleLag.Percentile(99))} ms, max {Distribution.Ms(ScheduleLag.Max)} ms"));
        Line($"- acknowledgement (send → HTTP 200) p50 / p90 / p99 / max: {Ack.Summary()}");
        if (RetryAck.Count > 0)
        {
            Line(string.Create(CultureInfo.InvariantCulture,
                $"- of which retries: {RetryAck.Summary()}; the host logged {HostDuplicatesRecognised:N0} deliveries as already accepted (half the retries race their original)"));
        }
        Line(string.Create(CultureInfo.InvariantCulture, $"- ack failures: {AckFailures}{(AckFailures > 0 ? $" ({AckFailureKinds})" : string.Empty)}; acks over Slack's 3 s: {AcksOver3s}"));
        Line(string.Create(CultureInfo.InvariantCulture, $"- answers: {Answered:N0} of {Acknowledged:N0} acknowledged events; lost {Lost}, answered twice or more {Duplicates}, posts matching no event {UnexpectedPosts}"));
        Line(string.Create(CultureInfo.InvariantCulture, $"- answers delivered: {AnswerRate:0.0}/s; answer latency (send → chat.postMessage at the fake) p50 / p90 / p99 / max: {AnswerLatency.Summary()}"));
        if (HotEvents > 0)
        {
            Line(string.Create(CultureInfo.InvariantCulture,
                $"- {HotEvents:N0} events went to one busy channel ({SlackEvents.HotChannel}); answer latency on the other channels: {AnswerLatencyOtherChannels.Summary()}"));
        }
        Line(string.Create(CultureInfo.InvariantCulture, $"- last answer {DrainSeconds:0.00} s after the last send{(DrainTimedOut ? " (drain TIMED OUT)" : string.Empty)}; backlog (acknowledged − answered) at each second: {string.Join(' ', BacklogBySecond)}"));
        Line(string.Create(CultureInfo.InvariantCulture, $"- host: peak working set {Mb(HostPeakWorkingSet)} MB (after the run {Mb(HostWorkingSetAfter)} MB), CPU {HostCpuSeconds:0.0} s during the run (the bench process: {BenchCpuSeconds:0.0} s), log warnings {HostWarnings}, errors {HostErrors}; log: {HostLog}"));
        foreach (var problem in HostProblems) Line($"  - `{problem}`");
        Line($"- Web API calls: {string.Join(", ", WebApiCalls.Select(call => $"{call.Key} {call.Value:N0}"))}");
        Line(string.Create(CultureInfo.InvariantCulture, $"- warm-up: {WarmupEvents:N0} events in {WarmupSeconds:0.0} s; load average before: {LoadBefore}, after: {LoadAfter}"));
        Line($"- verdict: {Verdict}");
        return text.ToString();
    }

    private static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0", CultureInfo.InvariantCulture);
}
