using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Bench.Surveys;

/// <summary>One press: who, which score, when it started and how it was answered.</summary>
internal sealed class Press(int index, string user, string invitationId, int score)
{
    public int Index { get; } = index;
    public string User { get; } = user;
    public string InvitationId { get; } = invitationId;
    public int Score { get; } = score;
    public long StartedAt { get; set; }
    public double AckMs { get; set; } = double.NaN;
    public int Status { get; set; }
    public bool Skipped { get; set; }
}

/// <summary>
/// An open-loop driver: a dedicated thread starts each signed survey press at its scheduled time,
/// whether or not earlier ones were answered, with a cap on requests in flight.
/// </summary>
internal sealed class PressDriver(HttpClient client, Uri interactivity, string runId, SurveyButtonCodec codec, string slackSecret, Uri responseUrl, int maxInFlight)
{
    private int _inFlight;

    public IReadOnlyList<Press> Plan(int first, int count, int people)
    {
        var presses = new List<Press>(count);
        for (var i = first; i < first + count; i++)
        {
            var user = User(i % people);
            presses.Add(new Press(i, user, SurveyInvitation.IdFor(runId, ChatPlatform.Slack, user), i % 11));
        }
        return presses;
    }

    public static string User(int person) => string.Create(CultureInfo.InvariantCulture, $"U{person:D6}");

    public async Task RunAsync(IReadOnlyList<Press> presses, int rate)
    {
        var tasks = new List<Task>(presses.Count);
        var start = Stopwatch.GetTimestamp();
        var thread = new Thread(() =>
        {
            for (var k = 0; k < presses.Count; k++)
            {
                var due = start + (long)(k * (double)Stopwatch.Frequency / rate);
                while (Stopwatch.GetTimestamp() < due)
                {
                    var ms = (due - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                    if (ms > 2) Thread.Sleep(1);
                    else Thread.SpinWait(50);
                }
                var press = presses[k];
                if (Volatile.Read(ref _inFlight) >= maxInFlight)
                {
                    press.Skipped = true;
                    continue;
                }
                Interlocked.Increment(ref _inFlight);
                lock (tasks) tasks.Add(SendAsync(press));
            }
        }) { IsBackground = true, Name = "press driver" };
        thread.Start();
        await Task.Run(thread.Join);
        Task[] all;
        lock (tasks) all = [.. tasks];
        await Task.WhenAll(all);
    }

    private async Task SendAsync(Press press)
    {
        try
        {
            var value = codec.Sign(SurveyMessages.ScoreAction, runId, press.InvitationId, press.Score);
            var payload = JsonSerializer.Serialize(new
            {
                type = "block_actions",
                user = new { id = press.User, team_id = "T0CUSTOMER" },
                team = new { id = "T0HOME" },
                channel = new { id = "D0BENCH" },
                response_url = responseUrl.ToString(),
                actions = new[] { new { action_id = $"survey.score#{press.Score}", value, type = "button", action_ts = string.Create(CultureInfo.InvariantCulture, $"1732616000.{press.Index:D9}") } },
            });
            var body = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(payload));
            var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, interactivity) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
            request.Headers.Add("X-Slack-Request-Timestamp", now);
            request.Headers.Add("X-Slack-Signature", "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(slackSecret), (byte[])[.. Encoding.UTF8.GetBytes($"v0:{now}:"), .. body])));
            press.StartedAt = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            press.AckMs = Stopwatch.GetElapsedTime(press.StartedAt).TotalMilliseconds;
            press.Status = (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            press.Status = 0;
        }
        catch (TaskCanceledException)
        {
            press.Status = -1;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
