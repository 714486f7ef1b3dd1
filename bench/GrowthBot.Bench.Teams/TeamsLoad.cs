using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace GrowthBot.Bench.Teams;

/// <summary>One activity of the load: its id (what the reply answers) and its JSON body.</summary>
internal sealed record BenchActivity(string Id, byte[] Body);

/// <summary>One request to send: which activity, whether it is a redelivery of one already sent, and when (Stopwatch ticks after the start).</summary>
internal readonly record struct PlannedSend(int Activity, bool IsDuplicate, long DueTicks);

/// <summary>What happened to one request.</summary>
internal sealed class SendOutcome
{
    public long StartedAt { get; set; }

    public long LagTicks { get; set; }

    public long AckTicks { get; set; }

    public int Status { get; set; }

    public bool Skipped { get; set; }

    public string? Error { get; set; }
}

/// <summary>
/// Personal-chat message activities as Teams sends them (the question varies), and an open-loop
/// driver: a dedicated thread starts each request at its scheduled time whether or not earlier
/// ones were answered, every request carrying the Bot Framework token, bounded in flight and in time.
/// </summary>
internal sealed class TeamsLoad(HttpClient client, Uri messagesUri, string token, int maxInFlight)
{
    private static readonly string[] Questions =
    [
        "what's our churn this month?", "nps last quarter", "mrr this month", "how many new customers this month?",
        "csat this quarter", "activation rate this month", "ltv", "net revenue retention last quarter",
    ];

    private int _inFlight;

    public static IReadOnlyList<BenchActivity> Activities(string prefix, int count, int conversations, string serviceUrl)
    {
        var activities = new List<BenchActivity>(count);
        for (var i = 0; i < count; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i}");
            var conversation = string.Create(CultureInfo.InvariantCulture, $"a:1bench-{prefix}-{i % conversations}");
            var user = string.Create(CultureInfo.InvariantCulture, $"bench-user-{prefix}-{i % conversations}");
            var activity = new JsonObject
            {
                ["type"] = "message",
                ["id"] = id,
                ["timestamp"] = "2026-11-26T10:00:00.000Z",
                ["channelId"] = "msteams",
                ["serviceUrl"] = serviceUrl,
                ["from"] = new JsonObject { ["id"] = "29:" + user, ["name"] = "Bench User", ["aadObjectId"] = user },
                ["conversation"] = new JsonObject { ["conversationType"] = "personal", ["tenantId"] = BenchBotFramework.Tenant, ["id"] = conversation },
                ["recipient"] = new JsonObject { ["id"] = "28:" + BenchBotFramework.AppId, ["name"] = "GrowthBot" },
                ["text"] = Questions[i % Questions.Length],
                ["textFormat"] = "plain",
                ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = BenchBotFramework.Tenant } },
                ["locale"] = "en-US",
            };
            activities.Add(new BenchActivity(id, Encoding.UTF8.GetBytes(activity.ToJsonString())));
        }
        return activities;
    }

    /// <summary>A schedule of <paramref name="count"/> activities at <paramref name="rate"/>/s plus redeliveries of a seeded share (half at once, half within a second).</summary>
    public static IReadOnlyList<PlannedSend> Plan(int count, int rate, double duplicateFraction, int seed)
    {
        var plan = new List<PlannedSend>(count + (int)(count * duplicateFraction) + 1);
        for (var i = 0; i < count; i++) plan.Add(new PlannedSend(i, false, Ticks(i / (double)rate)));
        if (duplicateFraction > 0)
        {
            var random = new Random(seed);
            var order = Enumerable.Range(0, count).ToArray();
            random.Shuffle(order);
            var chosen = order.Take((int)Math.Round(count * duplicateFraction)).ToList();
            for (var j = 0; j < chosen.Count; j++)
            {
                var delay = j % 2 == 0 ? 0 : random.NextDouble();
                plan.Add(new PlannedSend(chosen[j], true, Ticks((chosen[j] / (double)rate) + delay)));
            }
            plan = [.. plan.OrderBy(send => send.DueTicks)];
        }
        return plan;
    }

    public async Task<SendOutcome[]> RunAsync(IReadOnlyList<BenchActivity> activities, IReadOnlyList<PlannedSend> plan, TimeSpan hardLimit)
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
                if (elapsed > limit) break;
                while (next < plan.Count && plan[next].DueTicks <= elapsed)
                {
                    tasks[next] = SendAsync(activities[plan[next].Activity], plan[next], outcomes[next], start);
                    next++;
                }
                if (next < plan.Count) Thread.Sleep(1); // the host shares the two cores: sleep, do not spin
            }
        })
        { IsBackground = true, Name = "load scheduler" };
        scheduler.Start();
        await Task.Run(scheduler.Join);
        await Task.WhenAll(tasks);
        return outcomes;
    }

    public static long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);

    private async Task SendAsync(BenchActivity activity, PlannedSend planned, SendOutcome outcome, long start)
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
            using var request = new HttpRequestMessage(HttpMethod.Post, messagesUri) { Content = new ByteArrayContent(activity.Body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            outcome.StartedAt = startedAt;
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            outcome.AckTicks = Stopwatch.GetTimestamp() - startedAt;
            outcome.Status = (int)response.StatusCode;
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
