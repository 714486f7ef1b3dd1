using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GrowthBot.Bench.Slack;

namespace GrowthBot.Bench.Cluster;

/// <summary>
/// Follow latency between two hosts: commits one new customer through host A's import API, then reads host B's
/// engine (the customer count <c>/internal/health</c> reports, which every answer on B is computed from) until it
/// includes that customer. The latency is from A's acknowledgement (after its commit) to the first of B's
/// replies that shows the change; B is read every <see cref="PollEvery"/>, so that is the resolution. One change
/// at a time, so each is measured alone.
/// </summary>
internal sealed class FollowProbe(HttpClient http, Uri writer, Uri reader, string key)
{
    public static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);
    private int _next;
    private int? _customers;

    /// <summary>Commits changes until <paramref name="count"/> are measured or <paramref name="until"/> ends (when given).</summary>
    public async Task<FollowResult> RunAsync(int count, Task? until = null)
    {
        var latencies = new List<double>();
        var missed = 0;
        _customers ??= await CustomersAsync(reader);
        while (until is null ? latencies.Count + missed < count : !until.IsCompleted)
        {
            var latency = await OnceAsync();
            if (latency is { } ms) latencies.Add(ms);
            else missed++;
        }
        return new FollowResult(new Distribution(latencies), missed);
    }

    /// <summary>One change: milliseconds from A's acknowledgement until B shows it, or null if B never did within the limit.</summary>
    private async Task<double?> OnceAsync()
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"FOLLOW-{Interlocked.Increment(ref _next)}");
        var csv = $"customer_id,name,segment,acquisition_channel,signed_up_at,activated_at\n{id},Follow probe {id},SMB,organic,2025-01-01,\n";
        using (var import = new HttpRequestMessage(HttpMethod.Post, new Uri(writer, "api/v1/import/customers")) { Content = new StringContent(csv, Encoding.UTF8, "text/csv") })
        {
            import.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var imported = await http.SendAsync(import);
            imported.EnsureSuccessStatusCode();
        }
        var acknowledged = Stopwatch.GetTimestamp();
        var expected = ++_customers;
        while (Stopwatch.GetElapsedTime(acknowledged) < GiveUpAfter)
        {
            if (await CustomersAsync(reader) >= expected) return Stopwatch.GetElapsedTime(acknowledged).TotalMilliseconds;
            await Task.Delay(PollEvery);
        }
        _customers = await CustomersAsync(reader);
        return null;
    }

    private async Task<int> CustomersAsync(Uri host)
    {
        using var ask = new HttpRequestMessage(HttpMethod.Get, new Uri(host, "internal/health"));
        ask.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var answer = await http.SendAsync(ask);
        using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("customers").GetInt32();
    }
}

/// <summary>Follow latencies of one phase (ms), and the changes host B had not shown after 30 s.</summary>
internal sealed record FollowResult(Distribution Latency, int Missed)
{
    public string Describe() => Latency.Count == 0 ? $"none measured ({Missed} not followed within 30 s)" : string.Create(CultureInfo.InvariantCulture,
        $"{Latency.Count} changes, p50 {Distribution.Ms(Latency.Percentile(50))} ms, p99 {Distribution.Ms(Latency.Percentile(99))} ms, max {Distribution.Ms(Latency.Max)} ms{(Missed > 0 ? $", {Missed} not followed within 30 s" : "")}");
}
