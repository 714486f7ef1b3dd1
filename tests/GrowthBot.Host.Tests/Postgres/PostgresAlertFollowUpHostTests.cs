using System.Net;
using System.Text.Json;
using GrowthBot.Core.Alerts;
using GrowthBot.Core.FollowUps;
using GrowthBot.Host.Tests.Slack;
using GrowthBot.Storage.Postgres;
using GrowthBot.Tests.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GrowthBot.Host.Tests.Postgres;

/// <summary>
/// The real host with Storage__Provider=postgres serves the two ports added after the PostgreSQL store:
/// it starts (the closed loop's and the alerts' background services need their stores at start), an
/// alert set in Slack is kept in the database's alerts table, and a detractor's answer opens one case
/// there, posted to the team, with one owner however many press "I'll follow up".
/// </summary>
[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresAlertFollowUpHostTests(PostgresServer server) : IAsyncLifetime
{
    private readonly TempStore _store = new();
    private FakeSlackWebApi _slack = null!;
    private SlackHostFactory _host = null!;
    private string _database = null!;
    private int _actions;

    public async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync();
        _slack = await FakeSlackWebApi.StartAsync();
        _slack.AddUser("U0STAFF", "T0HOME");
        _slack.AddUser("U0BO", "T0HOME");
        _slack.AddUser("U0CUSTOMER", "T0CUSTOMER", stranger: true);
        // Development: the empty database gets the demo history, so an alert has numbers to check.
        _host = new SlackHostFactory(_slack, _store.DbPath, handler: null, environment: "Development",
            settings: new Dictionary<string, string>
            {
                ["Storage:Provider"] = "postgres",
                ["Storage:ConnectionString"] = _database,
                ["FollowUps:Nps"] = "slack:C0SUCCESS",
            });
        _host.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _slack.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task Host_OnPostgres_Starts_WithThePostgresAlertAndFollowUpStores()
    {
        Assert.IsType<PostgresAlertStore>(_host.Services.GetRequiredService<IAlertStore>());
        Assert.IsType<PostgresFollowUpStore>(_host.Services.GetRequiredService<IFollowUpStore>());
        Assert.False(File.Exists(_store.DbPath));

        var health = await _host.CreateClient().GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task AlertCommand_OnPostgres_IsKeptInTheDatabase_ListedAndRemoved()
    {
        var set = await CommandAsync("alert churn above 3%", "1");
        var id = System.Text.RegularExpressions.Regex.Match(set, "Alert ([0-9a-f]{6}) set").Groups[1].Value;

        Assert.NotEmpty(id);
        Assert.Equal(1, await ScalarAsync($"SELECT count(*) FROM alerts WHERE id = '{id}' AND alert->'Rule'->>'Metric' = 'CustomerChurn' AND (alert->'Rule'->>'Threshold')::numeric = 3"));
        Assert.Contains($"{id}: ", await CommandAsync("alerts", "2"), StringComparison.Ordinal);
        Assert.Contains($"Removed alert {id}", await CommandAsync($"alert off {id}", "3"), StringComparison.Ordinal);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM alerts"));
    }

    [Fact]
    public async Task DetractorAnswer_OnPostgres_OpensOneCaseInTheDatabase_PostedToTheTeam_WithOneOwner()
    {
        await CommandAsync("survey link <@U0CUSTOMER|ana> C-42", "4");
        await CommandAsync("survey nps <@U0CUSTOMER|ana>", "5");
        var invitation = (await _slack.WaitForAsync("chat.postMessage"))[0].Json;

        Assert.Equal(HttpStatusCode.OK, (await PressAsync(Button(invitation, "3"), "D0OPENED", "U0CUSTOMER", "score")).StatusCode);
        var post = await PostToAsync("C0SUCCESS");
        Assert.Contains("Detractor: NPS 3/10 from C-42", post.GetProperty("text").GetString(), StringComparison.Ordinal);
        // The post is recorded once Slack's answer is back, just after the fake saw the call.
        Assert.Equal(1, await EventuallyAsync("SELECT count(*) FROM followup_cases WHERE followup->>'CustomerId' = 'C-42' AND post_state = 'Posted'", 1));

        // Two colleagues press at once: the case's row lock decides, one owns it.
        var presses = await Task.WhenAll(
            PressAsync(Button(post, "I'll follow up"), "C0SUCCESS", "U0STAFF", "claim1"),
            PressAsync(Button(post, "I'll follow up"), "C0SUCCESS", "U0BO", "claim2"));

        Assert.All(presses, press => Assert.Equal(HttpStatusCode.OK, press.StatusCode));
        // The first response_url call answered the score; the two after it answer the presses.
        var replies = (await _slack.WaitForAsync("response_url", 3)).Skip(1).Select(call => call.Json).ToList();
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM followup_cases WHERE followup->>'ClaimedBy' IN ('U0STAFF', 'U0BO')"));
        Assert.Single(replies, reply => reply.GetProperty("replace_original").GetBoolean());
        Assert.Contains(replies, reply => reply.GetProperty("text").GetString()!.Contains("already has this case", StringComparison.Ordinal));
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The query's count once it reaches <paramref name="expected"/>, or its last count after 10 s.</summary>
    private async Task<long> EventuallyAsync(string sql, long expected)
    {
        for (var attempt = 0; ; attempt++)
        {
            var count = await ScalarAsync(sql);
            if (count == expected || attempt == 200) return count;
            await Task.Delay(50);
        }
    }

    private async Task<JsonElement> PostToAsync(string channel)
    {
        for (var count = 1; count < 10; count++)
        {
            var posts = (await _slack.WaitForAsync("chat.postMessage", count)).Select(call => call.Json).Where(json => json.GetProperty("channel").GetString() == channel).ToList();
            if (posts.Count > 0) return posts[0];
        }
        throw new TimeoutException($"nothing posted to {channel}");
    }

    private async Task<string> CommandAsync(string text, string trigger)
    {
        var response = await _host.PostFormAsync("/slack/commands", new Dictionary<string, string>
        {
            ["team_id"] = "T0HOME",
            ["channel_id"] = "C0SUCCESS",
            ["user_id"] = "U0STAFF",
            ["user_name"] = "ana.staff",
            ["command"] = "/growth",
            ["text"] = text,
            ["response_url"] = _slack.ResponseUrl("command" + trigger),
            ["trigger_id"] = $"{trigger}.47445629121.803a0bc887a14d10d2c447fce8b6703c",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var immediate = body.Length == 0 ? string.Empty : JsonDocument.Parse(body).RootElement.GetProperty("text").GetString()!;
        if (!immediate.StartsWith("Working on it", StringComparison.Ordinal)) return immediate;
        var answered = await _slack.WaitForAsync("response_url", _slack.Calls.Count(call => call.Method == "response_url") + 1);
        return answered[^1].Json.GetRawText();
    }

    private Task<HttpResponseMessage> PressAsync(string value, string channel, string user, string response) =>
        _host.PostFormAsync("/slack/interactivity", new Dictionary<string, string> { ["payload"] = Payload(value, channel, user, response) });

    /// <summary>A block_actions payload as Slack sends it for a button on one of the bot's messages.</summary>
    private string Payload(string value, string channel, string user, string response)
    {
        var actionTs = $"1732616000.{Interlocked.Increment(ref _actions):D6}";
        var actionId = value.StartsWith("fu-", StringComparison.Ordinal) ? FollowUpMessages.ClaimAction + "#0" : $"survey.score#{value.Split('|')[2]}";
        return JsonSerializer.Serialize(new
        {
            type = "block_actions",
            user = new { id = user, username = user.ToLowerInvariant(), name = user.ToLowerInvariant(), team_id = user == "U0CUSTOMER" ? "T0CUSTOMER" : "T0HOME" },
            team = new { id = "T0HOME" },
            channel = new { id = channel },
            message = new { ts = "1732615999.000001" },
            response_url = _slack.ResponseUrl(response),
            actions = new[] { new { action_id = actionId, block_id = "b", value, type = "button", action_ts = actionTs } },
        });
    }

    private static string Button(JsonElement message, string label) =>
        message.GetProperty("blocks").EnumerateArray()
            .Where(block => block.GetProperty("type").GetString() == "actions")
            .SelectMany(block => block.GetProperty("elements").EnumerateArray())
            .Single(button => button.GetProperty("text").GetProperty("text").GetString() == label)
            .GetProperty("value").GetString()!;
}
