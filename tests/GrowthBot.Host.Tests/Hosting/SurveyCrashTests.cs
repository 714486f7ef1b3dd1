using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Surveys;
using GrowthBot.Formulas;
using GrowthBot.Host.Tests.Slack;
using GrowthBot.Slack.Inbound;
using GrowthBot.Storage;

namespace GrowthBot.Host.Tests.Hosting;

/// <summary>
/// kill -9 during a burst of survey answers: every press the host acknowledged with 200 must be
/// in the store after a restart. Runs the real host process against a fake Slack Web API.
/// </summary>
public sealed partial class SurveyCrashTests : IAsyncLifetime
{
    private const string SigningKey = "crash-test-signing-key-0123456789";
    private const int People = 240;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly TempStore _store = new();
    private FakeSlackWebApi _slack = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackWebApi.StartAsync();
        // The host refuses a campaign for customers it does not hold.
        using var seed = new LiteGrowthStore(new StorageOptions { Path = _store.DbPath });
        var customers = new GrowthDataBatch();
        for (var index = 0; index < People; index++)
        {
            customers.Customers.Add(new Customer($"C-{index}", $"Customer {index}", "SMB", "organic", new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), null));
        }
        seed.Write(customers);
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task KillNineDuringABurst_EveryAcknowledgedAnswerSurvivesTheRestart()
    {
        var acknowledged = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        string runId;
        using (var host = Start())
        {
            using var client = AdminClient(host);
            runId = await StartCampaignAsync(client);

            var codec = SurveyButtonCodec.FromText(SigningKey);
            using var stop = new CancellationTokenSource();
            var sent = 0;
            var burst = Enumerable.Range(0, People).Select(index => (User: $"U{index:D5}", Score: index % 11)).ToList();
            var presses = Parallel.ForEachAsync(burst, new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (person, _) =>
            {
                if (stop.IsCancellationRequested) return;
                var invitation = SurveyInvitation.IdFor(runId, ChatPlatform.Slack, person.User);
                var value = codec.Sign(SurveyMessages.ScoreAction, runId, invitation, person.Score);
                Interlocked.Increment(ref sent);
                try
                {
                    using var response = await PressAsync(client, person.User, value, person.Score);
                    if (response.StatusCode == HttpStatusCode.OK) acknowledged[invitation] = person.Score;
                }
                catch (HttpRequestException)
                {
                    // The host died mid-request: not acknowledged, so nothing is promised.
                }
            });
            while (acknowledged.Count < People / 3 && !presses.IsCompleted) await Task.Yield();
            host.KillHard();
            await stop.CancelAsync();
            await presses;
            Assert.InRange(acknowledged.Count, People / 3, People - 1);
        }

        using (var restarted = Start())
        {
            // The host opens the killed store (LiteDB replays its log) and answers again.
            using var client = AdminClient(restarted);
            var status = await client.GetFromJsonAsync<JsonElement>(new Uri($"internal/surveys/campaigns/{runId}", UriKind.Relative));
            Assert.True(status.GetProperty("answered").GetInt32() >= 0);
            restarted.SendSigterm();
            Assert.Equal(0, restarted.WaitForExit(Limit));
        }

        using var store = new LiteGrowthStore(new StorageOptions { Path = _store.DbPath });
        var responses = new ResponseSink();
        store.ReadAll(responses);
        var missing = acknowledged.Where(pair => !responses.Scores.TryGetValue("survey-" + pair.Key, out var score) || score != pair.Value).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged answers are not in the store");
    }

    private HostProcess Start()
    {
        var host = HostProcess.Start(_store.DbPath, "Production", new Dictionary<string, string>
        {
            ["Slack__BotToken"] = "xoxb-test-token",
            ["Slack__SigningSecret"] = SlackHostFactory.SigningSecret,
            ["Slack__ApiBaseUrl"] = _slack.ApiBaseUrl,
            ["Slack__MinimumChannelInterval"] = "00:00:00",
            ["Company__Name"] = "Acme",
            ["Surveys__SigningKey"] = SigningKey,
            ["Surveys__SendInterval"] = "00:00:00",
            ["Logging__LogLevel__GrowthBot"] = "Warning",
        }, "--urls", "http://127.0.0.1:0");
        Assert.True(host.WaitForOutput("Application started", Limit), host.Output);
        return host;
    }

    private async Task<string> StartCampaignAsync(HttpClient client)
    {
        var recipients = Enumerable.Range(0, People).Select(index => new { customerId = $"C-{index}", platform = "slack", userId = $"U{index:D5}" }).ToList();
        var started = await client.PostAsJsonAsync(new Uri("internal/surveys/campaigns", UriKind.Relative), new { kind = "nps", recipients });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        await _slack.WaitForAsync("chat.postMessage", People, Limit);
        return runId;
    }

    private static async Task<HttpResponseMessage> PressAsync(HttpClient client, string user, string value, int score)
    {
        var payload = JsonSerializer.Serialize(new
        {
            type = "block_actions",
            user = new { id = user, team_id = "T0CUSTOMER" },
            team = new { id = "T0HOME" },
            channel = new { id = "D0OPENED" },
            response_url = "http://127.0.0.1:9/respond",
            actions = new[] { new { action_id = $"survey.score#{score}", value, type = "button", action_ts = $"1732616000.{user[1..]}" } },
        });
        var body = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(payload));
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("slack/interactivity", UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", SlackSignature.Header(timestamp, body, SlackHostFactory.SigningSecret));
        return await client.SendAsync(request);
    }

    /// <summary>A client with the host's own key, read from the store's host file as the command line does.</summary>
    private HttpClient AdminClient(HostProcess host)
    {
        var client = new HttpClient { BaseAddress = new Uri(Address(host)) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GrowthBot.Host.Api.HostFile.Read(_store.DbPath)!.Key);
        return client;
    }

    private static string Address(HostProcess host) => ListeningAddress().Match(host.Output).Groups["address"].Value + "/";

    [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningAddress();

    private sealed class ResponseSink : IGrowthDataSink
    {
        public Dictionary<string, int> Scores { get; } = new(StringComparer.Ordinal);

        public void Add(Customer customer) { }

        public void Add(SubscriptionChange change) { }

        public void Add(Order order) { }

        public void Add(SpendEntry spend) { }

        public void Add(Ticket ticket) { }

        public void Add(SurveyResponse response) => Scores[response.Id] = response.Score;
    }
}
