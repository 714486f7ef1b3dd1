using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace GrowthBot.Bench.Slack;

/// <summary>One request to send: which event, whether it is a Slack retry, and when (Stopwatch ticks after the start).</summary>
internal readonly record struct PlannedSend(int Event, bool IsRetry, long DueTicks);

/// <summary>What happened to one request.</summary>
internal sealed class SendOutcome
{
    /// <summary>Stopwatch timestamp just before the request was handed to HttpClient; 0 if never sent.</summary>
    public long StartedAt { get; set; }

    /// <summary>How late the send started against its schedule, in Stopwatch ticks.</summary>
    public long LagTicks { get; set; }

    /// <summary>Send → response headers (the acknowledgement), in Stopwatch ticks; 0 if no response.</summary>
    public long AckTicks { get; set; }

    /// <summary>HTTP status, 0 if there was no response.</summary>
    public int Status { get; set; }

    /// <summary>Not sent because <c>--max-in-flight</c> requests were already waiting.</summary>
    public bool Skipped { get; set; }

    /// <summary>The exception type when the request failed without a response (timeout, refused connection).</summary>
    public string? Error { get; set; }
}

/// <summary>
/// An open-loop load generator: a dedicated thread starts each request at its scheduled time
/// whether or not earlier ones have been answered (so a slow host cannot slow the offered load
/// down and hide its own latency), with a bound on requests in flight and on total time.
/// </summary>
internal sealed class LoadDriver(HttpClient client, Uri eventsUri, byte[] signingSecret, int maxInFlight)
{
    private int _inFlight;
    private int _acknowledgedOriginals;

    /// <summary>Non-retry requests answered 200 so far (for the backlog timeline).</summary>
    public int AcknowledgedOriginals => Volatile.Read(ref _acknowledgedOriginals);

    /// <summary>A schedule of <paramref name="events"/> at <paramref name="rate"/>/s, plus retries of a seeded sample.</summary>
    public static IReadOnlyList<PlannedSend> Plan(int events, int rate, double retryFraction, int seed)
    {
        var plan = new List<PlannedSend>(events + (int)(events * retryFraction) + 1);
        for (var i = 0; i < events; i++) plan.Add(new PlannedSend(i, false, Ticks(i / (double)rate)));
        if (retryFraction > 0)
        {
            // Slack retries a delivery it thinks failed. Here a fixed share of events is sent again: half of the
            // retries at the same moment as the original (the two requests race through the inbox), half 0–1 s
            // later (mostly after the answer, sometimes while it is still being worked on).
            var random = new Random(seed);
            var order = Enumerable.Range(0, events).ToArray();
            random.Shuffle(order);
            var chosen = order.Take((int)Math.Round(events * retryFraction)).ToList();
            for (var j = 0; j < chosen.Count; j++)
            {
                var delay = j % 2 == 0 ? 0 : random.NextDouble();
                plan.Add(new PlannedSend(chosen[j], true, Ticks((chosen[j] / (double)rate) + delay)));
            }
            plan = [.. plan.OrderBy(send => send.DueTicks)];
        }
        return plan;
    }

    /// <summary>Sends the plan; returns one outcome per planned send once every request has finished.</summary>
    public async Task<SendOutcome[]> RunAsync(IReadOnlyList<BenchEvent> events, IReadOnlyList<PlannedSend> plan, TimeSpan hardLimit)
    {
        var outcomes = new SendOutcome[plan.Count];
        var tasks = new Task[plan.Count];
        for (var k = 0; k < plan.Count; k++)
        {
            outcomes[k] = new SendOutcome();
            tasks[k] = Task.CompletedTask;
        }

        var scheduler = new Thread(() =>
        {
            var start = Stopwatch.GetTimestamp();
            var limit = Ticks(hardLimit.TotalSeconds);
            var next = 0;
            while (next < plan.Count)
            {
                var elapsed = Stopwatch.GetTimestamp() - start;
                if (elapsed > limit) break; // bounded in time: what is left is reported as not sent
                while (next < plan.Count && plan[next].DueTicks <= elapsed)
                {
                    tasks[next] = SendAsync(events[plan[next].Event], plan[next], outcomes[next], start);
                    next++;
                }
                // Sleep rather than spin: the host shares this machine's two cores. The ~1 ms granularity
                // shows up as schedule lag, which is reported.
                if (next < plan.Count) Thread.Sleep(1);
            }
        })
        { IsBackground = true, Name = "load scheduler" };
        scheduler.Start();
        await Task.Run(scheduler.Join);
        await Task.WhenAll(tasks);
        return outcomes;
    }

    public static long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);

    private async Task SendAsync(BenchEvent evt, PlannedSend planned, SendOutcome outcome, long start)
    {
        var startedAt = Stopwatch.GetTimestamp();
        outcome.LagTicks = Math.Max(0, startedAt - start - planned.DueTicks);
        if (Interlocked.Increment(ref _inFlight) > maxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            outcome.Skipped = true;
            return;
        }
        try
        {
            var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, eventsUri) { Content = new ByteArrayContent(evt.Body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = Encoding.UTF8.WebName };
            request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
            request.Headers.Add("X-Slack-Signature", SlackEvents.Signature(timestamp, evt.Body, signingSecret));
            if (planned.IsRetry)
            {
                request.Headers.Add("X-Slack-Retry-Num", "1");
                request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
            }
            outcome.StartedAt = startedAt;
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            outcome.AckTicks = Stopwatch.GetTimestamp() - startedAt;
            outcome.Status = (int)response.StatusCode;
            if (response.StatusCode == System.Net.HttpStatusCode.OK && !planned.IsRetry) Interlocked.Increment(ref _acknowledgedOriginals);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
        {
            outcome.Error = exception.GetType().Name;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
