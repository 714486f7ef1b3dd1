using System.Diagnostics;

namespace GrowthBot.Bench.Slack;

/// <summary>One request to send: which item, whether it repeats one already sent (a platform retry or redelivery), and when (Stopwatch ticks after the start).</summary>
internal readonly record struct PlannedSend(int Item, bool IsRepeat, long DueTicks);

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

    public double AckMs => AckTicks * 1000.0 / Stopwatch.Frequency;
}

/// <summary>
/// An open-loop load generator shared by the Slack, Teams and survey benches: a dedicated thread
/// starts each request at its scheduled time whether or not earlier ones have been answered (so a
/// slow host cannot slow the offered load down and hide its own latency), with a bound on requests
/// in flight and on total time. The benches build their request bodies before the run, so the
/// generator spends as little as it can of the CPU it shares with the host.
/// </summary>
internal sealed class OpenLoopDriver(HttpClient client, int maxInFlight)
{
    private int _inFlight;
    private int _acknowledgedOriginals;

    /// <summary>Requests that are not repeats answered 200 so far (for backlog timelines).</summary>
    public int AcknowledgedOriginals => Volatile.Read(ref _acknowledgedOriginals);

    public static long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);

    /// <summary>
    /// <paramref name="count"/> items at <paramref name="rate"/>/s, plus repeats of a seeded share:
    /// half at the same moment as the original (the two race through the host), half 0–1 s later
    /// (mostly after the answer, sometimes while it is still being worked on).
    /// </summary>
    public static IReadOnlyList<PlannedSend> Plan(int count, double rate, double repeatFraction, int seed)
    {
        var plan = new List<PlannedSend>(count + (int)(count * repeatFraction) + 1);
        for (var i = 0; i < count; i++) plan.Add(new PlannedSend(i, false, Ticks(i / rate)));
        if (repeatFraction <= 0) return plan;
        var random = new Random(seed);
        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        var chosen = order.Take((int)Math.Round(count * repeatFraction)).ToList();
        for (var j = 0; j < chosen.Count; j++)
        {
            var delay = j % 2 == 0 ? 0 : random.NextDouble();
            plan.Add(new PlannedSend(chosen[j], true, Ticks((chosen[j] / rate) + delay)));
        }
        return [.. plan.OrderBy(send => send.DueTicks)];
    }

    /// <summary>
    /// Sends the plan (<paramref name="request"/> builds each planned send's request); returns one
    /// outcome per planned send once every request has finished or <paramref name="hardLimit"/> passed.
    /// </summary>
    public async Task<SendOutcome[]> RunAsync(IReadOnlyList<PlannedSend> plan, Func<PlannedSend, HttpRequestMessage> request, TimeSpan hardLimit)
    {
        var outcomes = new SendOutcome[plan.Count];
        var tasks = new Task[plan.Count];
        for (var k = 0; k < plan.Count; k++)
        {
            outcomes[k] = new SendOutcome();
            tasks[k] = Task.CompletedTask;
        }
        await Schedule(plan, hardLimit, "load scheduler", (k, start) => tasks[k] = SendAsync(plan[k], request, outcomes[k], start));
        await Task.WhenAll(tasks);
        return outcomes;
    }

    /// <summary>
    /// Calls <paramref name="send"/> with each planned send's index, and the Stopwatch start the plan's
    /// times count from, at its scheduled time on a dedicated thread, until the plan is done or
    /// <paramref name="hardLimit"/> has passed (what is left is reported as not sent).
    /// The returned task completes when that thread ends, and nothing blocks a thread-pool thread to
    /// wait for it: the driver's own responses complete on that pool. Two drivers that each blocked one
    /// of a 2-core machine's 2 minimum workers left the responses to threads the pool injects about
    /// every 0.5 s, and the bench reported the host "stalling" for 0.3-1 s while the wire showed its
    /// answers on time (bench/README.md, 2026-12-07 evening).
    /// </summary>
    public static Task Schedule(IReadOnlyList<PlannedSend> plan, TimeSpan hardLimit, string name, Action<int, long> send)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var scheduler = new Thread(() =>
        {
            try
            {
                var start = Stopwatch.GetTimestamp();
                var limit = Ticks(hardLimit.TotalSeconds);
                var next = 0;
                while (next < plan.Count)
                {
                    var elapsed = Stopwatch.GetTimestamp() - start;
                    if (elapsed > limit) break;
                    while (next < plan.Count && plan[next].DueTicks <= elapsed) send(next++, start);
                    // Sleep rather than spin: the host shares the machine's cores. The ~1 ms granularity
                    // shows up as schedule lag, which the benches report.
                    if (next < plan.Count) Thread.Sleep(1);
                }
            }
            finally
            {
                done.SetResult();
            }
        })
        { IsBackground = true, Name = name };
        scheduler.Start();
        return done.Task;
    }

    private async Task SendAsync(PlannedSend planned, Func<PlannedSend, HttpRequestMessage> build, SendOutcome outcome, long start)
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
            using var request = build(planned);
            outcome.StartedAt = startedAt;
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            outcome.AckTicks = Stopwatch.GetTimestamp() - startedAt;
            outcome.Status = (int)response.StatusCode;
            if (response.StatusCode == System.Net.HttpStatusCode.OK && !planned.IsRepeat) Interlocked.Increment(ref _acknowledgedOriginals);
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
