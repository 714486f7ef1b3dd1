using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GrowthBot.Bench.Slack;
using GrowthBot.Bench.Surveys;
using GrowthBot.Core.ApiKeys;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Surveys;
using GrowthBot.Formulas;
using GrowthBot.Storage;
using GrowthBot.Storage.Postgres;
using GrowthBot.Tests.Postgres;
using Npgsql;

namespace GrowthBot.Bench.Cluster;

/// <summary>
/// One topology: a fresh store (seeded with the campaign's customers), its hosts (and nginx for two), an NPS
/// campaign, the Slack-event load, the survey-press load, and on two hosts the takeover after kill -9; then the
/// hosts stop and the store is read to count lost presses.
/// </summary>
internal sealed class ClusterScenario(ClusterBenchOptions options, PostgresServer? postgres, string work, Action<string> progress)
{
    private const string SigningSecret = "bench-cluster-signing-secret-0123456789";
    private const string SurveyKey = "bench-cluster-survey-signing-key-0123456789";
    private const string DigestChannel = "C0DIGEST";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public async Task<TopologyResult> RunAsync(Topology topology)
    {
        await using var slack = await BenchSlackWebApi.StartAsync();
        var storePath = Path.Combine(work, $"{topology.ToString().ToLowerInvariant()}.db");
        var database = topology == Topology.LiteDb ? null : await postgres!.CreateDatabaseAsync();
        var key = Seed(storePath, database);
        var names = topology == Topology.TwoHosts ? new[] { "a", "b" } : ["a"];
        var hosts = new List<(string Name, HostProcess Process, string? Instance)>();
        Nginx? nginx = null;
        using var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2), ConnectTimeout = TimeSpan.FromSeconds(5), UseProxy = false, MaxConnectionsPerServer = 4096 };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            // One after the other, so each host's Quartz instance is known to be its own.
            foreach (var name in names)
            {
                var host = HostProcess.Start(options.HostDll, Environment(name, storePath, database, slack), Path.Combine(options.OutDirectory, $"host-{topology.ToString().ToLowerInvariant()}-{name}.log"));
                hosts.Add((name, host, null));
                await host.WaitHealthyAsync(http, TimeSpan.FromMinutes(2));
                if (database is not null) hosts[^1] = (name, host, await NewInstanceAsync(database, hosts.Select(h => h.Instance).OfType<string>().ToList()));
            }
            if (hosts.Count > 1) nginx = Nginx.Start([.. hosts.Select(host => host.Process.Port)]);
            var entry = nginx?.BaseAddress ?? hosts[0].Process.BaseAddress;
            progress($"{ClusterBenchOptions.Name(topology)}: {string.Join(", ", hosts.Select(host => $"host {host.Name} on :{host.Process.Port}"))}{(nginx is null ? "" : $", nginx on {entry}")}; campaign of {options.People:N0}");
            var runId = await StartCampaignAsync(http, hosts[0].Process.BaseAddress, key);

            var events = await RunEventsAsync(http, entry, slack);
            progress($"  events: {events.Cells()}");
            var (presses, measured) = await RunPressesAsync(http, entry, slack, runId);
            TakeoverResult? takeover = null;
            FollowMeasurement? follow = null;
            if (topology == Topology.TwoHosts)
            {
                follow = await MeasureFollowAsync(http, new FollowProbe(http, hosts[0].Process.BaseAddress, hosts[1].Process.BaseAddress, key), entry, slack);
                takeover = await TakeOverAsync(http, database!, slack, hosts);
            }
            if (takeover is not null) progress($"  {takeover.Describe(options)}");
            var errors = hosts.Sum(host => host.Process.Errors);
            foreach (var host in hosts) await host.Process.StopAsync();
            var lost = LostPresses(measured, Stored(storePath, database));
            return new TopologyResult(topology, events, presses with { Lost = lost }, takeover, errors) { Follow = follow };
        }
        finally
        {
            nginx?.Dispose();
            foreach (var host in hosts)
            {
                await host.Process.StopAsync();
                host.Process.Dispose();
            }
        }
    }

    private Dictionary<string, string> Environment(string name, string storePath, string? database, BenchSlackWebApi slack)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Company__Name"] = "Bench Co",
            // With PostgreSQL only the Data Protection key ring lives beside it, shared by both hosts.
            ["Storage__Path"] = storePath,
            ["Slack__BotToken"] = SlackEvents.BotToken,
            ["Slack__SigningSecret"] = SigningSecret,
            ["Slack__ApiBaseUrl"] = slack.ApiBaseUrlFor(name),
            ["Slack__MinimumChannelInterval"] = "00:00:00",
            ["Access__SlackHomeTeamIds__0"] = SlackEvents.TeamId,
            ["Surveys__SigningKey"] = SurveyKey,
            ["Surveys__SendInterval"] = "00:00:00",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        if (database is null) return environment;
        environment["Storage__Provider"] = "postgres";
        environment["Storage__ConnectionString"] = database;
        environment["Conversations__ClaimLease"] = options.ClaimLease.ToString("c", CultureInfo.InvariantCulture);
        environment["Scheduler__CheckinInterval"] = options.Checkin.ToString("c", CultureInfo.InvariantCulture);
        environment["Scheduler__CheckinMisfireThreshold"] = options.CheckinThreshold.ToString("c", CultureInfo.InvariantCulture);
        // The takeover is measured on the sweep's clustered trigger: it must come round often enough to be held.
        environment["Digests__SweepInterval"] = "00:00:10";
        return environment;
    }

    /// <summary>The campaign's customers, and an admin API key to start it with.</summary>
    private string Seed(string storePath, string? database)
    {
        var customers = new GrowthDataBatch();
        var signedUp = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var person = 0; person < options.People; person++) customers.Customers.Add(new Customer($"C-{person}", $"Bench customer {person}", "SMB", "organic", signedUp, null));
        if (database is null)
        {
            using var store = new LiteGrowthStore(new StorageOptions { Path = storePath });
            store.Write(customers);
            return new ApiKeyService(new LiteApiKeyStore(store), TimeProvider.System).Create("cluster bench", [ApiKeyScopes.Admin]).Key;
        }
        using var shared = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = database });
        new PostgresGrowthStore(shared).Write(customers);
        return new ApiKeyService(new PostgresApiKeyStore(shared), TimeProvider.System).Create("cluster bench", [ApiKeyScopes.Admin]).Key;
    }

    private async Task<string> StartCampaignAsync(HttpClient http, Uri host, string key)
    {
        var recipients = Enumerable.Range(0, options.People).Select(person => new { customerId = $"C-{person}", platform = "slack", userId = PressDriver.User(person) }).ToList();
        using var start = new HttpRequestMessage(HttpMethod.Post, new Uri(host, "internal/surveys/campaigns")) { Content = JsonContent.Create(new { kind = "nps", startedBy = "bench", recipients }) };
        start.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var started = await http.SendAsync(start);
        started.EnsureSuccessStatusCode();
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            using var ask = new HttpRequestMessage(HttpMethod.Get, new Uri(host, $"internal/surveys/campaigns/{runId}"));
            ask.Headers.Authorization = start.Headers.Authorization;
            using var answer = await http.SendAsync(ask);
            var status = await answer.Content.ReadFromJsonAsync<JsonElement>();
            if (status.GetProperty("doneSending").GetBoolean()) return runId;
            await Task.Delay(500);
        }
        throw new TimeoutException("The campaign's invitations were not sent within 10 minutes.");
    }

    private async Task<LoadResult> RunEventsAsync(HttpClient http, Uri entry, BenchSlackWebApi slack)
    {
        var secret = Encoding.UTF8.GetBytes(SigningSecret);
        var eventsUri = new Uri(entry, "slack/events");
        var unix = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        if (options.Warmup > 0)
        {
            var warm = SlackEvents.Create(options.Warmup, "WARM", "C0WARM", options.Channels, options.Users, unix - 1);
            var warmTracks = slack.Expect(warm);
            var rate = Math.Min(options.EventRate, 150);
            await new OpenLoopDriver(http, options.MaxInFlight).RunAsync(OpenLoopDriver.Plan(warm.Count, rate, 0, 1), SlackEventRequests.For(warm, eventsUri, secret), TimeSpan.FromSeconds((warm.Count / (double)rate) + 30));
            await WaitUntilAsync(() => warmTracks.All(track => track.Posts > 0), TimeSpan.FromSeconds(60));
        }
        var count = options.EventRate * options.Seconds;
        var events = SlackEvents.Create(count, "RUN", "C0BENCH", options.Channels, options.Users, unix);
        var tracks = slack.Expect(events);
        var plan = OpenLoopDriver.Plan(count, options.EventRate, options.RetryFraction, 20261207);
        var outcomes = await new OpenLoopDriver(http, options.MaxInFlight).RunAsync(plan, SlackEventRequests.For(events, eventsUri, secret), TimeSpan.FromSeconds(options.Seconds + 30));
        var acknowledged = new bool[count];
        for (var k = 0; k < plan.Count; k++)
        {
            if (outcomes[k].Status == (int)HttpStatusCode.OK) acknowledged[plan[k].Item] = true;
        }
        if (await WaitUntilAsync(() => Enumerable.Range(0, count).All(i => !acknowledged[i] || tracks[i].Posts > 0), TimeSpan.FromSeconds(60))) await Task.Delay(Settle);
        var originals = Enumerable.Range(0, plan.Count).Where(k => !plan[k].IsRepeat).ToList();
        return new LoadResult(
            count,
            acknowledged.Count(ok => ok),
            Sustained(originals.Select(k => outcomes[k]).ToList()),
            new Distribution(originals.Where(k => outcomes[k].Status == (int)HttpStatusCode.OK).Select(k => outcomes[k].AckMs)),
            Enumerable.Range(0, count).Count(i => acknowledged[i] && tracks[i].Posts == 0),
            tracks.Count(track => track.Posts > 1),
            Failures(originals.Select(k => outcomes[k])));
    }

    private async Task<(LoadResult Result, IReadOnlyList<Press> Measured)> RunPressesAsync(HttpClient http, Uri entry, BenchSlackWebApi slack, string runId)
    {
        var driver = new PressDriver(http, new Uri(entry, "slack/interactivity"), runId, SurveyButtonCodec.FromText(SurveyKey), SigningSecret, slack.ResponseUrl("press"), options.MaxInFlight);
        var warm = driver.Plan(0, options.Warmup, options.People);
        if (warm.Count > 0) await driver.RunAsync(warm, Math.Min(options.PressRate, 150));
        var measured = driver.Plan(options.Warmup, options.PressRate * options.Seconds, options.People);
        await driver.RunAsync(measured, options.PressRate);
        var outcomes = measured.Select(press => press.Outcome).ToList();
        var acked = measured.Where(press => press.Status == (int)HttpStatusCode.OK).ToList();
        var result = new LoadResult(measured.Count, acked.Count, Sustained(outcomes), new Distribution(acked.Select(press => press.AckMs)), 0,
            // Each invitation holds one answer (its latest score): a press cannot be stored twice, only lost.
            0, Failures(outcomes));
        progress($"  presses: {result.Cells()} (lost counted after the hosts stop)");
        return (result, measured);
    }

    /// <summary>
    /// Follow latency (host A's commit → host B's engine) at rest, then while the Slack-event load of the run
    /// goes through nginx to both hosts again (new events, same rate and length).
    /// </summary>
    private async Task<FollowMeasurement> MeasureFollowAsync(HttpClient http, FollowProbe probe, Uri entry, BenchSlackWebApi slack)
    {
        var atRest = await probe.RunAsync(options.FollowChanges);
        progress($"  follow latency at rest: {atRest.Describe()}");
        var count = options.EventRate * options.Seconds;
        var events = SlackEvents.Create(count, "FOLLOW", "C0FOLLOW", options.Channels, options.Users, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
        var tracks = slack.Expect(events);
        var load = new OpenLoopDriver(http, options.MaxInFlight).RunAsync(OpenLoopDriver.Plan(count, options.EventRate, options.RetryFraction, 20261208),
            SlackEventRequests.For(events, new Uri(entry, "slack/events"), Encoding.UTF8.GetBytes(SigningSecret)), TimeSpan.FromSeconds(options.Seconds + 30));
        var underLoad = await probe.RunAsync(0, until: load);
        await load;
        progress($"  follow latency under {options.EventRate} events/s: {underLoad.Describe()}");
        // Let the load's answers finish before the takeover, so it starts from a quiet pair of hosts.
        await WaitUntilAsync(() => tracks.All(track => track.Posts > 0), TimeSpan.FromSeconds(60));
        return new FollowMeasurement(atRest, underLoad);
    }

    /// <summary>
    /// Waits until one host holds the digest sweep's next fire with a few seconds to go; has that host's posts
    /// held at the fake Slack and sends it messages directly (acknowledged and claimed, their answers left
    /// unfinished); makes a digest due (a daily subscription at this minute); kills the host with kill -9; and
    /// times the survivor's takeover of the digest and of the messages.
    /// </summary>
    private async Task<TakeoverResult> TakeOverAsync(HttpClient http, string database, BenchSlackWebApi slack, List<(string Name, HostProcess Process, string? Instance)> hosts)
    {
        var holder = await SweepHolderAsync(database, TimeSpan.FromSeconds(4));
        var victim = hosts.Single(host => host.Instance == holder.Instance);
        var survivor = hosts.Single(host => host != victim);
        slack.HoldPosts(victim.Name);
        var stuck = SlackEvents.Create(options.Stuck, "STUCK", "C0STUCK", Math.Min(options.Stuck, 20), options.Users, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
        var tracks = slack.Expect(stuck);
        var secret = Encoding.UTF8.GetBytes(SigningSecret);
        var outcomes = await new OpenLoopDriver(http, options.MaxInFlight).RunAsync(OpenLoopDriver.Plan(stuck.Count, 200, 0, 2),
            SlackEventRequests.For(stuck, new Uri(victim.Process.BaseAddress, "slack/events"), secret), TimeSpan.FromSeconds(30));
        var accepted = outcomes.Count(outcome => outcome.Status == (int)HttpStatusCode.OK);
        var stillHeld = (await SweepHolderAsync(database, TimeSpan.FromSeconds(1))).Instance == victim.Instance;

        var now = TimeProvider.System.GetUtcNow();
        var subscription = new DigestSubscription("bench-digest", ChatPlatform.Slack, DigestChannel, null, [MetricId.Nps], new DigestSchedule(ScheduleDays.Every, new TimeOnly(now.Hour, now.Minute)),
            "Etc/UTC", "U0STAFF00000", now.AddDays(-2), SubscribedByName: "Bench", Workspace: SlackEvents.TeamId);
        using (var shared = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = database })) new PostgresDigestStore(shared).Save(subscription);
        var killedAt = Stopwatch.GetTimestamp();
        victim.Process.KillHard();
        slack.ReleasePosts();
        progress($"  killed host {victim.Name} (pid gone) holding the sweep and {accepted} unanswered messages; host {survivor.Name} survives");

        var limit = options.Checkin + options.CheckinThreshold + (options.ClaimLease * 2) + TimeSpan.FromSeconds(60);
        await WaitUntilAsync(() => slack.OtherPosts(DigestChannel).Posts > 0 && tracks.All(track => track.Posts > 0), limit);
        await Task.Delay(Settle);
        var (digestPosts, digestAt) = slack.OtherPosts(DigestChannel);
        double? Since(long timestamp) => timestamp == 0 ? null : Stopwatch.GetElapsedTime(killedAt, timestamp).TotalSeconds;
        var answered = tracks.Where(track => track.Posts > 0).ToList();
        return new TakeoverResult(
            Since(digestAt), digestPosts,
            answered.Count == 0 ? null : answered.Min(track => Since(track.FirstPostTimestamp)),
            answered.Count == 0 ? null : answered.Max(track => Since(track.FirstPostTimestamp)),
            answered.Count, stuck.Count, tracks.Count(track => track.Posts > 1), stillHeld);
    }

    private static async Task<string> NewInstanceAsync(string database, IReadOnlyCollection<string> known)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT instance_name FROM qrtz_scheduler_state", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var instance = reader.GetString(0);
                if (!known.Contains(instance)) return instance;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The host's scheduler did not check in within 60 s.");
    }

    /// <summary>The Quartz instance holding the digest sweep's next fire, once that fire is at least <paramref name="ahead"/> away.</summary>
    private static async Task<(string Instance, DateTimeOffset Next)> SweepHolderAsync(string database, TimeSpan ahead)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT f.instance_name, t.next_fire_time FROM qrtz_fired_triggers f JOIN qrtz_triggers t " +
                "ON t.sched_name = f.sched_name AND t.trigger_name = f.trigger_name AND t.trigger_group = f.trigger_group " +
                "WHERE f.trigger_name = 'digest-sweep' AND f.state = 'ACQUIRED'", connection);
            await using var reader = await command.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                // Quartz keeps times as .NET ticks (UTC).
                var next = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero);
                if (next - TimeProvider.System.GetUtcNow() >= ahead) return (reader.GetString(0), next);
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("No host held the digest sweep's next fire within 2 minutes.");
    }

    private static Dictionary<string, int> Stored(string storePath, string? database)
    {
        var scores = new Dictionary<string, int>(StringComparer.Ordinal);
        if (database is null)
        {
            using var store = new LiteGrowthStore(new StorageOptions { Path = storePath });
            store.ReadAll(new ScoreSink(scores));
            return scores;
        }
        using var connection = new NpgsqlConnection(database);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT id, score FROM responses", connection);
        using var reader = command.ExecuteReader();
        while (reader.Read()) scores[reader.GetString(0)] = reader.GetInt32(1);
        return scores;
    }

    /// <summary>People whose last acknowledged score is not what the store holds (a later press, acknowledged or not, may have replaced it).</summary>
    private static int LostPresses(IReadOnlyList<Press> presses, Dictionary<string, int> stored)
    {
        var lost = 0;
        foreach (var person in presses.GroupBy(press => press.InvitationId))
        {
            var lastAcked = person.Where(press => press.Status == 200).Select(press => press.Index).DefaultIfEmpty(-1).Max();
            if (lastAcked < 0) continue;
            var possible = person.Where(press => press.Index >= lastAcked).Select(press => press.Score).ToHashSet();
            if (!stored.TryGetValue("survey-" + person.Key, out var score) || !possible.Contains(score)) lost++;
        }
        return lost;
    }

    /// <summary>Acknowledgements per second from the first send to the last acknowledgement.</summary>
    private static double Sustained(IReadOnlyList<SendOutcome> outcomes)
    {
        var acked = outcomes.Where(outcome => outcome.Status == (int)HttpStatusCode.OK).ToList();
        if (acked.Count < 2) return double.NaN;
        var first = outcomes.Where(outcome => outcome.StartedAt != 0).Min(outcome => outcome.StartedAt);
        var last = acked.Max(outcome => outcome.StartedAt + outcome.AckTicks);
        return acked.Count / Stopwatch.GetElapsedTime(first, last).TotalSeconds;
    }

    private static string Failures(IEnumerable<SendOutcome> outcomes) => string.Join(", ", outcomes
        .Where(outcome => outcome.Status != (int)HttpStatusCode.OK)
        .GroupBy(outcome => outcome.Skipped ? "not sent (cap)" : outcome.Status != 0 ? $"HTTP {outcome.Status}" : outcome.Error ?? "not sent in time")
        .Select(group => $"{group.Key} × {group.Count()}"));

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit) return false;
            await Task.Delay(20);
        }
        return true;
    }

    private sealed class ScoreSink(Dictionary<string, int> scores) : IGrowthDataSink
    {
        public void Add(Customer customer) { }

        public void Add(SubscriptionChange change) { }

        public void Add(Order order) { }

        public void Add(SpendEntry spend) { }

        public void Add(Ticket ticket) { }

        public void Add(SurveyResponse response) => scores[response.Id] = response.Score;
    }
}
