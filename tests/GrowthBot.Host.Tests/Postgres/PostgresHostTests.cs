using System.Net;
using System.Text.Json;
using GrowthBot.Core.Ports;
using GrowthBot.Host.Tests.Slack;
using GrowthBot.Storage.Postgres;
using GrowthBot.Tests.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GrowthBot.Host.Tests.Postgres;

/// <summary>
/// The real host with Storage__Provider=postgres on a real PostgreSQL server, Slack faked on loopback:
/// the wiring end to end, not just the adapter. A question is answered and a survey press is stored
/// in the database, once, however often Slack retries it.
/// </summary>
[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresHostTests(PostgresServer server) : IAsyncLifetime
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
        _slack.AddUser("U0CUSTOMER", "T0CUSTOMER", stranger: true);
        // Development: the empty database is filled with the demo history at start, through the PostgreSQL store.
        _host = new SlackHostFactory(_slack, _store.DbPath, handler: null, environment: "Development",
            settings: new Dictionary<string, string> { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = _database });
        _host.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _slack.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task Host_OnPostgres_UsesThePostgresStore_AndStartsFromItsData()
    {
        Assert.IsType<PostgresGrowthStore>(_host.Services.GetRequiredService<IGrowthStore>());
        Assert.IsType<PostgresQuestionContextStore>(_host.Services.GetRequiredService<GrowthBot.Core.Questions.IQuestionContextStore>());
        Assert.IsType<PostgresChannelPaceStore>(_host.Services.GetRequiredService<GrowthBot.Core.Conversations.IChannelPaceStore>());
        Assert.IsType<PostgresRateWindowStore>(_host.Services.GetRequiredService<GrowthBot.Core.Conversations.IRateWindowStore>());
        Assert.False(File.Exists(_store.DbPath));
        Assert.True(await ScalarAsync("SELECT count(*) FROM customers") > 0);

        var health = await _host.CreateClient().GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task SlackQuestion_OnPostgres_IsAnsweredOnce_AndRecordedInTheDatabaseInbox()
    {
        var mention = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Slack", "Fixtures", "app_mention.json"));

        await _host.PostEventAsync(mention);
        await _host.PostEventAsync(mention, new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "1", ["X-Slack-Retry-Reason"] = "http_timeout" });

        var post = Assert.Single(await _slack.WaitForAsync("chat.postMessage")).Json;
        Assert.Contains("churn", post.GetProperty("text").GetString(), StringComparison.OrdinalIgnoreCase);
        // The retry met the delivery id's unique key: one row, one answer.
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM inbox WHERE platform = 'Slack'"));
    }

    [Fact]
    public async Task SurveyPress_OnPostgres_IsStoredInTheDatabase_AndAReplayIsNotStoredTwice()
    {
        Assert.Contains("Linked U0CUSTOMER to customer C-42", await CommandAsync("survey link <@U0CUSTOMER|ana> C-42", "1"), StringComparison.Ordinal);
        Assert.Contains("Sending the NPS survey to 1 person", await CommandAsync("survey nps <@U0CUSTOMER|ana>", "2"), StringComparison.Ordinal);
        var invitation = (await _slack.WaitForAsync("chat.postMessage"))[0].Json;
        var payload = Payload(Button(invitation, "9"), "score");
        var before = await ScalarAsync("SELECT count(*) FROM responses WHERE customer_id = 'C-42'");

        var press = await _host.PostFormAsync("/slack/interactivity", new Dictionary<string, string> { ["payload"] = payload });
        var replay = await _host.PostFormAsync("/slack/interactivity", new Dictionary<string, string> { ["payload"] = payload });

        Assert.Equal(HttpStatusCode.OK, press.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        // Acknowledged means committed: the response is in the database before any reply.
        Assert.Equal(0, before);
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM responses WHERE customer_id = 'C-42' AND score = 9 AND survey = 'nps'"));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM survey_invitations WHERE invitation->>'Score' = '9'"));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM survey_recipients WHERE customer_id = 'C-42'"));
        await _slack.WaitForAsync("response_url");
    }

    [Fact]
    public async Task Host_OnPostgres_FollowsAnotherProcesssWrites_AndAppliesItsOwnDemoWriteOnce()
    {
        var engine = _host.Services.GetRequiredService<GrowthBot.Core.Metrics.IMetricEngine>();
        var orders = engine.Statistics.Orders;
        // The demo history was this host's own write at start: in its engine once, not again from the change log.
        Assert.Equal(await ScalarAsync("SELECT count(*) FROM orders"), orders);
        using var other = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = _database });

        // Another process (another host, or `growthbot migrate`) commits a row to the same database.
        new GrowthBot.Core.Import.ImportService(new PostgresGrowthStore(other)).Write(new GrowthBot.Core.Data.GrowthDataBatch
        {
            Orders = { new GrowthBot.Core.Data.Order("o-elsewhere", "C-1", new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc), 12m) },
        });

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (engine.Statistics.Orders == orders && clock.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(10);
        Assert.Equal(orders + 1, engine.Statistics.Orders);
        Assert.Equal(await ScalarAsync("SELECT count(*) FROM orders"), engine.Statistics.Orders);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<string> CommandAsync(string text, string trigger)
    {
        var response = await _host.PostFormAsync("/slack/commands", new Dictionary<string, string>
        {
            ["team_id"] = "T0HOME",
            ["channel_id"] = "C0GROWTH",
            ["user_id"] = "U0STAFF",
            ["user_name"] = "staff",
            ["command"] = "/growth",
            ["text"] = text,
            ["response_url"] = _slack.ResponseUrl("command" + trigger),
            ["trigger_id"] = $"{trigger}.47445629121.803a0bc887a14d10d2c447fce8b6703c",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("text").GetString()!;
    }

    /// <summary>A block_actions payload as Slack sends it for a score button in the bot's DM.</summary>
    private string Payload(string value, string response)
    {
        var actionTs = $"1732616000.{Interlocked.Increment(ref _actions):D6}";
        return JsonSerializer.Serialize(new
        {
            type = "block_actions",
            user = new { id = "U0CUSTOMER", team_id = "T0CUSTOMER" },
            team = new { id = "T0HOME" },
            channel = new { id = "D0OPENED" },
            message = new { ts = "1732615999.000001" },
            response_url = _slack.ResponseUrl(response),
            actions = new[] { new { action_id = $"survey.score#{value.Split('|')[2]}", block_id = "b", value, type = "button", action_ts = actionTs } },
        });
    }

    private static string Button(JsonElement message, string label) =>
        message.GetProperty("blocks").EnumerateArray()
            .Where(block => block.GetProperty("type").GetString() == "actions")
            .SelectMany(block => block.GetProperty("elements").EnumerateArray())
            .Single(button => button.GetProperty("text").GetProperty("text").GetString() == label)
            .GetProperty("value").GetString()!;
}
