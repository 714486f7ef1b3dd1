using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using GrowthBot.Core.ApiKeys;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Surveys;
using GrowthBot.Host.Tests;
using GrowthBot.Host.Tests.Hosting;
using GrowthBot.Host.Tests.Security;
using GrowthBot.Host.Tests.Slack;
using GrowthBot.Storage.Postgres;
using GrowthBot.Tests.Postgres;
using Npgsql;
using Xunit.Abstractions;

namespace GrowthBot.Cluster.Tests.Failover;

/// <summary>
/// The failover the scale-out guide promises (docs/scale-out.md), end to end: two real host processes on one
/// real PostgreSQL, behind Debian's nginx balancing round-robin and skipping a dead upstream, each talking to a
/// loopback Slack Web API of its own that records every post (so a post is known to come from its host). A
/// burst of signed survey presses and Slack events goes through nginx. Halfway through, the host holding the
/// digest sweep's clustered Quartz trigger is killed with kill -9, just after a digest became due, while it
/// holds a few messages it acknowledged and claimed but whose answers hang at Slack, and a few whose answers Slack
/// took (they are in their threads; both hosts' Slacks serve one workspace) but never confirmed. Slack redelivers every
/// event whose delivery failed, with its retry headers (and some that did not fail, as it does when an
/// acknowledgement was slow). Afterwards every press acknowledged with 200 is in the database, every
/// acknowledged event is answered exactly once (the survivor answers those the dead host had claimed, after
/// their lease, and finds the unconfirmed answers in their threads rather than posting them again), the digest is delivered exactly once, by the survivor, and the survivor still answers a
/// fresh question.
/// </summary>
/// <remarks>
/// No step waits on the wall clock's minute: the digest's time is the current minute, so it is due at once and
/// the subscription is written while the dead host holds the sweep's next fire (a clustered trigger, recovered
/// by the survivor once the dead host's check-ins lapse). The kill waits for that state, read from Quartz's
/// own tables, not for a time.
/// </remarks>
[Collection(ClusterDatabase.Name)]
[Trait("Category", "Postgres")]
public sealed partial class TwoHostFailoverTests(PostgresServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private const string SigningSecret = "failover-slack-signing-secret-0123";
    private const string SurveyKey = "failover-survey-signing-key-0123456789";
    private const string Team = "T0HOME";
    private const string BotUser = "U0BOT";
    private const string DigestChannel = "C0DIGEST";
    private const string StuckChannel = "C0STUCK";
    private const string PostedChannel = "C0POSTED";
    private const int People = 160;
    private const int Events = 120;
    private const int Stuck = 4;
    private const int Posted = 2;
    private static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(25);
    private readonly TempStore _folder = new();
    private readonly SlackDeliveries _slackSends = new(SigningSecret, Team, BotUser);
    private readonly List<HostProcess> _hosts = [];
    // One loopback Slack per host, so a post is known to come from its host; answers are counted over both,
    // and both serve one workspace's messages, as the real Slack does for every host.
    private readonly FakeSlackWebApi[] _slacks = new FakeSlackWebApi[2];
    private NginxServer? _nginx;
    private string _database = "";

    public async Task InitializeAsync()
    {
        _database = await ClusterDatabase.MigratedAsync(server);
        for (var host = 0; host < _slacks.Length; host++)
        {
            // Two views of one workspace: a host sees (and reads back) the posts the other made.
            _slacks[host] = await FakeSlackWebApi.StartAsync(host == 0 ? null : _slacks[0]);
            for (var user = 0; user < 4; user++) _slacks[host].AddUser(StaffUser(user), Team);
        }
    }

    public async Task DisposeAsync()
    {
        _nginx?.Dispose();
        foreach (var host in _hosts) host.Dispose();
        foreach (var slack in _slacks) await slack.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task KillNineOfOneHostMidBurst_NothingAcknowledgedIsLost_NothingIsAnsweredTwice_TheDigestGoesOnce_AndTheSurvivorServes()
    {
        var key = Seed();
        // One at a time, so each host's Quartz instance (a row in qrtz_scheduler_state) is known to be its own.
        var (first, firstAddress, firstInstance) = await StartHostAsync(_slacks[0], []);
        var (second, secondAddress, secondInstance) = await StartHostAsync(_slacks[1], [firstInstance]);
        var ports = new[] { firstAddress.Port, secondAddress.Port };
        _nginx = NginxServer.Start(1, (_, listen) => $$"""
                upstream growthbot {
                    server 127.0.0.1:{{ports[0]}} max_fails=1 fail_timeout=30s;
                    server 127.0.0.1:{{ports[1]}} max_fails=1 fail_timeout=30s;
                }
                server {
                    listen 127.0.0.1:{{listen[0]}};
                    location / {
                        proxy_pass http://growthbot;
                        proxy_set_header Host $http_host;
                        proxy_next_upstream error timeout;
                        proxy_connect_timeout 2s;
                        proxy_read_timeout 10s;
                        add_header X-Upstream $upstream_addr always;
                    }
                }
            """, workerConnections: 1024);
        // Slack gives up on a delivery after 3 seconds.
        using var slack = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_nginx.Ports[0]}/"), Timeout = TimeSpan.FromSeconds(3) };
        var runId = await StartCampaignAsync(firstAddress, key);

        // The burst: presses and mentions interleaved, paced, through nginx.
        var codec = SurveyButtonCodec.FromText(SurveyKey);
        var unix = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var mentions = Enumerable.Range(0, Events).Select(i => _slackSends.Mention(
            $"Ev0FAIL{i:D5}", $"C0FAIL{i % 8}", StaffUser(i % 4), string.Create(CultureInfo.InvariantCulture, $"{unix}.{i + 1:D6}"), Questions[i % Questions.Length])).ToList();
        var presses = Enumerable.Range(0, People).Select(i => _slackSends.Press(codec, runId, Person(i), i % 11, _slacks[0].ResponseUrl($"press{i}"),
            string.Create(CultureInfo.InvariantCulture, $"{unix}.{i + 1:D6}"))).ToList();
        var burst = new List<object>();
        for (int e = 0, p = 0; e < mentions.Count || p < presses.Count;)
        {
            if (p < presses.Count) burst.Add(presses[p++]);
            if (p < presses.Count) burst.Add(presses[p++]);
            if (e < mentions.Count) burst.Add(mentions[e++]);
        }
        var eventAttempts = new ConcurrentDictionary<string, ConcurrentBag<(int Status, string? Upstream)>>(StringComparer.Ordinal);
        var acknowledgedPresses = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var killed = new TaskCompletionSource<(HostProcess Victim, string Instance, int SentBefore, DateTimeOffset At)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = 0;
        var subscription = Subscription();
        var stuck = Enumerable.Range(0, Stuck).Select(i => _slackSends.Mention(
            $"Ev0STUCK{i:D5}", StuckChannel, StaffUser(i % 4), string.Create(CultureInfo.InvariantCulture, $"{unix}.{i + 1:D6}"), Questions[i % Questions.Length])).ToList();
        var posted = Enumerable.Range(0, Posted).Select(i => _slackSends.Mention(
            $"Ev0POSTED{i:D5}", PostedChannel + i, StaffUser(i % 4), string.Create(CultureInfo.InvariantCulture, $"{unix}.{i + 1:D6}"), Questions[i % Questions.Length])).ToList();

        var killer = Task.Run(async () =>
        {
            while (Volatile.Read(ref sent) < burst.Count / 2) await Task.Delay(10);
            // The host that holds the sweep's next fire is the one to die.
            // Far enough from it to get the messages below answered (or stuck) first.
            var holder = await SweepHolderAsync(TimeSpan.FromSeconds(6), null);
            var chosen = Stopwatch.StartNew();
            var victim = holder == firstInstance ? first : second;
            // Messages it acknowledged and claimed but never finished answering: they go to it directly, and its
            // posts in their channel hang at Slack (and are not carried out).
            (victim == first ? _slacks[0] : _slacks[1]).HangPostsIn(StuckChannel);
            // And messages whose answers Slack took but never confirmed: they are in the thread, and the host dies
            // before it could record them answered.
            // (Each in a channel of its own: a channel's answers go one after another, and these never finish.)
            foreach (var mention in posted) (victim == first ? _slacks[0] : _slacks[1]).HangPostsIn(mention.Channel, afterApplying: true);
            using var direct = new HttpClient { BaseAddress = victim == first ? firstAddress : secondAddress, Timeout = TimeSpan.FromSeconds(10) };
            await Task.WhenAll(stuck.Concat(posted).Select(mention => SendEventAsync(direct, mention, 0, null, eventAttempts)));
            await WaitUntilAsync(() => posted.All(mention => AnswersTo(mention.Channel, mention.Ts) == 1), "the answers Slack took but never confirmed in their threads");
            output.WriteLine($"the victim's stuck and unconfirmed messages in place {chosen.ElapsedMilliseconds} ms after it was chosen");
            // Still its fire, and not about to run: the digest becomes due, and its host dies before that fire.
            await SweepHolderAsync(TimeSpan.FromMilliseconds(500), holder);
            using (var database = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = _database })) new PostgresDigestStore(database).Save(subscription);
            var at = TimeProvider.System.GetUtcNow();
            victim.KillHard();
            killed.SetResult((victim, holder, Volatile.Read(ref sent), at));
        });

        var sends = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < burst.Count; i++)
        {
            var due = Spacing * i;
            if (clock.Elapsed < due) await Task.Delay(due - clock.Elapsed);
            // The last fifth waits for the kill, so it always lands mid-burst.
            if (i == burst.Count * 4 / 5) await killed.Task.WaitAsync(Limit);
            var item = burst[i];
            Interlocked.Increment(ref sent);
            sends.Add(item switch
            {
                MentionEvent mention => SendEventAsync(slack, mention, 0, null, eventAttempts),
                SurveyPress press => SendPressAsync(slack, press, acknowledgedPresses),
                _ => Task.CompletedTask,
            });
        }
        await Task.WhenAll(sends);
        await killer;
        var (victim, victimInstance, sentBeforeKill, killedAt) = await killed.Task;
        var survivor = victim == first ? second : first;
        output.WriteLine($"killed {(victim == first ? "the first" : "the second")} host ({victimInstance}) after {sentBeforeKill} of {burst.Count} sends at {killedAt:O}");

        // Slack redelivers what was not acknowledged, up to three times, saying why; and now and then one that was.
        foreach (var mention in mentions)
        {
            for (var retry = 1; retry <= 3 && !Acknowledged(eventAttempts, mention); retry++)
            {
                var last = eventAttempts[mention.EventId].Last();
                await SendEventAsync(slack, mention, retry, last.Status == 0 ? "http_timeout" : "http_error", eventAttempts);
            }
        }
        foreach (var mention in mentions.Where((_, index) => index % 10 == 3)) await SendEventAsync(slack, mention, 1, "http_timeout", eventAttempts);
        output.WriteLine("presses: " + string.Join("; ", _pressOutcomes.GroupBy(outcome => outcome.Split(' ')[0]).Select(group => $"{group.Key} x{group.Count()}")));
        output.WriteLine("event attempts: " + string.Join("; ", eventAttempts.Values.SelectMany(tries => tries).GroupBy(attempt => $"{attempt.Status} {attempt.Upstream}").Select(group => $"{group.Key} x{group.Count()}")));
        var acknowledgedEvents = mentions.Where(mention => Acknowledged(eventAttempts, mention)).ToList();
        var failedFirst = mentions.Count(mention => eventAttempts[mention.EventId].Any(attempt => attempt.Status != 200));
        output.WriteLine($"{acknowledgedPresses.Count} of {People} presses and {acknowledgedEvents.Count} of {Events} events acknowledged; {failedFirst} events had a failed delivery");

        // Every acknowledged event answered (the dead host's claimed ones by the survivor, after the lease); the digest delivered.
        await WaitUntilAsync(() => acknowledgedEvents.Concat(stuck).All(mention => AnswersTo(mention.Channel, mention.Ts) > 0) && DigestPosts() > 0, "every acknowledged event answered and the digest posted");
        // The survivor took the unconfirmed ones over too, and read their threads before answering.
        var survivorSlack = survivor == first ? _slacks[0] : _slacks[1];
        await WaitUntilAsync(() => posted.All(mention => AnswersTo(mention.Channel, mention.Ts) > 1 ||
            survivorSlack.Calls.Any(call => call.Method == "conversations.replies" && call.Body.Contains($"ts={mention.Ts}", StringComparison.Ordinal))),
            "the survivor looked for the answers the dead host left unconfirmed (or answered them again)");
        // Then long enough for any second answer: the dead host's claims lapse a lease after its last renewal, and
        // the survivor looks every third of a lease; the stuck messages' answers show that round has come.
        var settleUntil = killedAt + (ClaimLease * 4 / 3) + TimeSpan.FromSeconds(2);
        var wait = settleUntil - TimeProvider.System.GetUtcNow();
        await Task.Delay(wait > TimeSpan.FromSeconds(3) ? wait : TimeSpan.FromSeconds(3));

        Assert.All(stuck, mention => Assert.True(Acknowledged(eventAttempts, mention), $"{mention.EventId} was not acknowledged by the host about to die"));
        Assert.All(stuck, mention => Assert.Equal(1, survivorSlack.Calls.Count(call => call.Method == "chat.postMessage" && IsIn(call, mention.Channel, mention.Ts))));
        Assert.All(posted, mention => Assert.True(Acknowledged(eventAttempts, mention), $"{mention.EventId} was not acknowledged by the host about to die"));
        Assert.All(posted, mention => Assert.DoesNotContain(survivorSlack.Calls, call => call.Method == "chat.postMessage" && IsIn(call, mention.Channel, mention.Ts)));
        var doubled = mentions.Concat(stuck).Concat(posted).Where(mention => AnswersTo(mention.Channel, mention.Ts) > 1).Select(mention => mention.EventId).ToList();
        Assert.True(doubled.Count == 0, $"answered more than once: {string.Join(", ", doubled)}\n{survivor.Output}");
        Assert.All(acknowledgedEvents, mention => Assert.Equal(1, AnswersTo(mention.Channel, mention.Ts)));

        var stored = await ResponsesAsync();
        var lost = acknowledgedPresses.Where(press => !stored.TryGetValue("survey-" + press.Key, out var score) || score != press.Value).Select(press => press.Key).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledgedPresses.Count} acknowledged presses are not in the database: {string.Join(", ", lost.Take(5))}");

        Assert.Equal(1, DigestPosts());
        Assert.Equal(["Sent"], await ColumnAsync($"SELECT state FROM digest_deliveries WHERE subscription_id = '{subscription.Id}'"));
        // The dead host never fired the sweep after the digest became due, and Quartz wrote it off.
        Assert.DoesNotContain(victimInstance, await ColumnAsync("SELECT instance_name FROM qrtz_scheduler_state"));
        Assert.True(survivorSlack.Calls.Single(call => call.Method == "chat.postMessage" && call.Json.GetProperty("channel").GetString() == DigestChannel).At > killedAt);

        // The survivor keeps serving through the same load balancer.
        var fresh = _slackSends.Mention("Ev0FRESH00001", "C0FRESH", StaffUser(0), string.Create(CultureInfo.InvariantCulture, $"{unix + 1}.000001"), "MRR this month");
        await SendEventAsync(slack, fresh, 0, null, eventAttempts);
        Assert.True(Acknowledged(eventAttempts, fresh), "the survivor did not acknowledge a fresh event");
        await WaitUntilAsync(() => AnswersTo(fresh.Channel, fresh.Ts) == 1, "a fresh question answered");
        Assert.Contains(eventAttempts[fresh.EventId], attempt => attempt.Upstream?.EndsWith($":{(survivor == first ? ports[0] : ports[1])}", StringComparison.Ordinal) == true);
    }

    private static readonly string[] Questions = ["churn this month", "what's our NPS last quarter?", "MRR this month vs last month", "activation rate last month"];

    private static string StaffUser(int index) => string.Create(CultureInfo.InvariantCulture, $"U0STAFF{index:D2}");

    private static string Person(int index) => string.Create(CultureInfo.InvariantCulture, $"U{index:D5}");

    private static bool Acknowledged(ConcurrentDictionary<string, ConcurrentBag<(int Status, string? Upstream)>> attempts, MentionEvent mention) =>
        attempts.TryGetValue(mention.EventId, out var tries) && tries.Any(attempt => attempt.Status == 200);

    /// <summary>Customers for the campaign, and an admin API key (a PostgreSQL host has no host file to find its own).</summary>
    private string Seed()
    {
        using var database = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = _database });
        var customers = new GrowthDataBatch();
        for (var index = 0; index < People; index++)
        {
            customers.Customers.Add(new Customer($"C-{index}", $"Customer {index}", "SMB", "organic", new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), null));
        }
        new PostgresGrowthStore(database).Write(customers);
        return new ApiKeyService(new PostgresApiKeyStore(database), TimeProvider.System).Create("failover test", [ApiKeyScopes.Admin]).Key;
    }

    /// <summary>A daily digest at the current minute, subscribed long before: due now, and nothing has sent it.</summary>
    private static DigestSubscription Subscription()
    {
        var now = TimeProvider.System.GetUtcNow();
        var at = new TimeOnly(now.Hour, now.Minute);
        return new DigestSubscription("sub-failover", ChatPlatform.Slack, DigestChannel, null, [MetricId.Nps, MetricId.CustomerChurn],
            new DigestSchedule(ScheduleDays.Every, at), "Etc/UTC", StaffUser(0), now.AddDays(-2), SubscribedByName: "Staff", Workspace: Team);
    }

    private async Task<(HostProcess Host, Uri Address, string Instance)> StartHostAsync(FakeSlackWebApi slack, IReadOnlyCollection<string> known)
    {
        var host = HostProcess.Start(_folder.DbPath, "Production", new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["Storage__ConnectionString"] = _database,
            ["Slack__BotToken"] = "xoxb-test-token",
            ["Slack__SigningSecret"] = SigningSecret,
            ["Slack__ApiBaseUrl"] = slack.ApiBaseUrl,
            ["Slack__MinimumChannelInterval"] = "00:00:00",
            ["Access__SlackHomeTeamIds__0"] = Team,
            ["Company__Name"] = "Acme",
            ["Surveys__SigningKey"] = SurveyKey,
            ["Surveys__SendInterval"] = "00:00:00",
            ["Conversations__ClaimLease"] = ClaimLease.ToString("c", CultureInfo.InvariantCulture),
            ["Scheduler__CheckinInterval"] = "00:00:01",
            ["Scheduler__CheckinMisfireThreshold"] = "00:00:03",
            ["Digests__SweepInterval"] = "00:00:10",
            ["Digests__ClaimLease"] = "00:00:30",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        }, "--urls", "http://127.0.0.1:0");
        _hosts.Add(host);
        Assert.True(host.WaitForOutput("Application started", Limit), host.Output);
        var address = new Uri(ListeningAddress().Match(host.Output).Groups["address"].Value);
        string? instance = null;
        await WaitUntilAsync(async () => (instance = (await ColumnAsync("SELECT instance_name FROM qrtz_scheduler_state")).Except(known).FirstOrDefault()) is not null, "the host's scheduler checked in");
        return (host, address, instance!);
    }

    private async Task<string> StartCampaignAsync(Uri host, string key)
    {
        using var client = new HttpClient { BaseAddress = host };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var recipients = Enumerable.Range(0, People).Select(index => new { customerId = $"C-{index}", platform = "slack", userId = Person(index) }).ToList();
        using var started = await client.PostAsJsonAsync(new Uri("internal/surveys/campaigns", UriKind.Relative), new { kind = "nps", recipients });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        await WaitUntilAsync(async () => (await client.GetFromJsonAsync<JsonElement>(new Uri($"internal/surveys/campaigns/{runId}", UriKind.Relative))).GetProperty("doneSending").GetBoolean(), "the invitations sent");
        return runId;
    }

    /// <summary>
    /// The Quartz instance holding the digest sweep's next fire (<paramref name="instance"/>, if given), once that
    /// fire is at least <paramref name="ahead"/> away.
    /// </summary>
    private async Task<string> SweepHolderAsync(TimeSpan ahead, string? instance)
    {
        string? holder = null;
        await WaitUntilAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(_database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT f.instance_name, t.next_fire_time FROM qrtz_fired_triggers f JOIN qrtz_triggers t " +
                "ON t.sched_name = f.sched_name AND t.trigger_name = f.trigger_name AND t.trigger_group = f.trigger_group " +
                "WHERE f.trigger_name = 'digest-sweep' AND f.state = 'ACQUIRED'", connection);
            await using var reader = await command.ExecuteReaderAsync();
            if (!await reader.ReadAsync()) return false;
            // Quartz keeps times as .NET ticks (UTC).
            var next = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero);
            if (next - TimeProvider.System.GetUtcNow() < ahead || (instance is not null && reader.GetString(0) != instance)) return false;
            holder = reader.GetString(0);
            return true;
        }, "a host holding the sweep's next fire");
        return holder!;
    }

    private async Task SendEventAsync(HttpClient client, MentionEvent mention, int retry, string? reason, ConcurrentDictionary<string, ConcurrentBag<(int Status, string? Upstream)>> attempts)
    {
        var tries = attempts.GetOrAdd(mention.EventId, _ => []);
        try
        {
            using var request = _slackSends.EventRequest(mention, retry, reason);
            using var response = await client.SendAsync(request);
            tries.Add(((int)response.StatusCode, response.Headers.TryGetValues("X-Upstream", out var upstream) ? upstream.Last() : null));
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            tries.Add((0, null));
        }
    }

    private readonly ConcurrentBag<string> _pressOutcomes = [];

    private async Task SendPressAsync(HttpClient client, SurveyPress press, ConcurrentDictionary<string, int> acknowledged)
    {
        var started = Stopwatch.StartNew();
        try
        {
            using var request = _slackSends.PressRequest(press);
            using var response = await client.SendAsync(request);
            _pressOutcomes.Add($"{(int)response.StatusCode} {started.ElapsedMilliseconds}ms {(response.Headers.TryGetValues("X-Upstream", out var upstream) ? upstream.Last() : "")}");
            if (response.StatusCode == HttpStatusCode.OK) acknowledged[press.InvitationId] = press.Score;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            _pressOutcomes.Add($"{exception.GetType().Name} {started.ElapsedMilliseconds}ms");
            // Not acknowledged (the host died with it, or Slack's 3 seconds passed): nothing is promised.
        }
    }

    /// <summary>The answers to the message <paramref name="ts"/> in <paramref name="channel"/> the workspace holds (replies in its thread, from either host).</summary>
    private int AnswersTo(string channel, string ts) =>
        _slacks[0].Stored(channel).Count(message => message.TryGetProperty("thread_ts", out var thread) && thread.GetString() == ts);

    private int DigestPosts() => _slacks.Sum(slack => slack.Calls.Count(call => call.Method == "chat.postMessage" && call.Json.GetProperty("channel").GetString() == DigestChannel));

    private static bool IsIn(SlackCall call, string channel, string ts)
    {
        var json = call.Json;
        return json.GetProperty("channel").GetString() == channel && json.TryGetProperty("thread_ts", out var thread) && thread.GetString() == ts;
    }

    private async Task<Dictionary<string, int>> ResponsesAsync()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, score FROM responses", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var scores = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync()) scores[reader.GetString(0)] = reader.GetInt32(1);
        return scores;
    }

    private async Task<List<string>> ColumnAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }

    private Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Limit) throw new TimeoutException($"Waited {Limit.TotalSeconds} s for {what}.\n{string.Join("\n---\n", _hosts.Select(host => host.Output))}");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningAddress();
}
