using System.Text.Json;
using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using GrowthBot.Formulas;
using GrowthBot.Host.Tests.Slack;
using GrowthBot.Host.Tests.Teams;
using GrowthBot.Teams.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.FollowUps;

/// <summary>
/// Scores meet revenue end to end: a question asked in Slack or Teams reaches the category split
/// through the real host (not the plain metric answer), from data imported into the real store.
/// </summary>
public sealed class CategorySplitQuestionTests : IAsyncLifetime
{
    private const string Ana = "0a1b2c3d-1111-4aaa-8bbb-000000000a11";
    private const string AnaAccount = "29:1GcS4EyB_oSI8A88XmWBN7NJFyMqe3QGnJdgLfFGkJnVelzRGos0bPbpsfJjcbAD22bmKc4GMbrY2g4JDrWigANA";
    private readonly TempStore _store = new();
    private FakeSlackWebApi _slack = null!;
    private FakeBotFramework _bot = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackWebApi.StartAsync();
        _slack.AddUser("U0STAFF", "T0HOME");
        _bot = await FakeBotFramework.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        await _bot.DisposeAsync();
        _store.Dispose();
    }

    private static DateTime Day(int year, int month, int day) => new(year, month, day, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Paying since Dec 2025: promoters p1, p2, p3 (p3 cancels on Aug 1), detractor d1 (200, halved on Sep 1), and a customer who never answered.</summary>
    private static void Seed(IServiceProvider services)
    {
        var batch = new GrowthDataBatch();
        foreach (var (id, mrr) in new[] { ("p1", 100m), ("p2", 100m), ("p3", 100m), ("d1", 200m), ("silent", 50m) })
        {
            batch.Customers.Add(new Customer(id, id, "SMB", "organic", Day(2025, 12, 1), null));
            batch.Subscriptions.Add(new SubscriptionChange(id, Day(2025, 12, 1), mrr));
        }
        batch.Subscriptions.Add(new SubscriptionChange("p3", Day(2026, 8, 1), 0m));
        batch.Subscriptions.Add(new SubscriptionChange("d1", Day(2026, 9, 1), 100m));
        batch.Responses.Add(new SurveyResponse("a1", SurveyKind.Nps, "p1", 9, null, Day(2025, 12, 15)));
        batch.Responses.Add(new SurveyResponse("a2", SurveyKind.Nps, "p2", 10, null, Day(2025, 12, 15)));
        batch.Responses.Add(new SurveyResponse("a3", SurveyKind.Nps, "p3", 9, null, Day(2025, 12, 15)));
        batch.Responses.Add(new SurveyResponse("a4", SurveyKind.Nps, "d1", 3, null, Day(2025, 12, 15)));
        // Billing data up to date: a customer who starts on Nov 20 (in no period's base).
        batch.Customers.Add(new Customer("fresh", "fresh", "SMB", "organic", Day(2026, 11, 20), null));
        batch.Subscriptions.Add(new SubscriptionChange("fresh", Day(2026, 11, 20), 10m));
        services.GetRequiredService<ImportService>().Write(batch);
    }

    [Fact]
    public async Task SlackMention_ChurnByNpsCategoryLastQuarter_AnswersEachGroupWithItsSize()
    {
        await using var host = new SlackHostFactory(_slack, _store.DbPath, handler: null, environment: "Production");
        host.CreateClient().Dispose();
        Seed(host.Services);
        var mention = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Slack", "Fixtures", "app_mention.json"))
            .Replace("what's our churn this month?", "churn by NPS category last quarter", StringComparison.Ordinal);

        await host.PostEventAsync(mention);

        var text = Assert.Single(await _slack.WaitForAsync("chat.postMessage")).Json.GetProperty("text").GetString()!;
        // Q3 2026 (host clock: Nov 26): p3 of the three promoters cancelled; the detractor kept paying.
        Assert.Contains("Promoters: Churn 33.3% (3 customers paying at the start)", text, StringComparison.Ordinal);
        Assert.Contains("Detractors: Churn 0.0% (1 customer paying at the start)", text, StringComparison.Ordinal);
        Assert.Contains("Too small to compare (under 10 customers): Promoters (3), Passives (0), Detractors (1).", text, StringComparison.Ordinal);
        Assert.Contains("1 paying customer had not answered", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TeamsMessage_NrrOfDetractorsThisYear_AnswersThatGroup_AndEveryGroupsSize()
    {
        await using var host = new TeamsHostFactory(_bot, _store.DbPath, handler: null, environment: "Production");
        host.CreateClient().Dispose();
        Seed(host.Services);
        _bot.AddMember(Ana, AnaAccount, BotFrameworkTokens.HomeTenant);

        await host.PostAsync(host.Activity("message_personal.json").Replace("what's our churn this month?", "NRR of detractors this year", StringComparison.Ordinal));

        var body = Strings(JsonDocument.Parse(Assert.Single(await _bot.WaitForKindAsync("reply")).Body).RootElement);
        // d1: 200 on Jan 1, 100 since Sep 1.
        Assert.Contains("Detractors: NRR 50.0% (1 customer paying at the start)", body, StringComparison.Ordinal);
        Assert.Contains("Group sizes: Promoters 3, Passives 0, Detractors 1.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Promoters: NRR", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlackDigestOfChurn_HasTheLineSplittingItByNpsGroup()
    {
        await using var host = new SlackHostFactory(_slack, _store.DbPath, handler: null, environment: "Production");
        host.CreateClient().Dispose();
        Seed(host.Services);
        var command = new Dictionary<string, string>
        {
            ["team_id"] = "T0HOME",
            ["channel_id"] = "C0GROWTH",
            ["user_id"] = "U0STAFF",
            ["user_name"] = "ana.staff",
            ["command"] = "/growth",
            ["text"] = "digest churn",
            ["response_url"] = _slack.ResponseUrl("digest"),
            ["trigger_id"] = "1.47445629121.803a0bc887a14d10d2c447fce8b6703c",
        };

        var response = await host.PostFormAsync("/slack/commands", command);
        var body = await response.Content.ReadAsStringAsync();
        var digest = body.Contains("Working on it", StringComparison.Ordinal)
            ? Assert.Single(await _slack.WaitForAsync("response_url")).Json.GetRawText()
            : body;

        // Week 47 (Nov 16–22): p3 cancelled in August, so two promoters are paying at its start; nobody stops in it.
        Assert.Contains("By NPS group this week (latest answer before it; customers paying at its start): Promoters Churn 0.0% (2, too small to compare); " +
            "Passives Churn no data (0, too small to compare); Detractors Churn 0.0% (1, too small to compare). 1 paying customer had not answered.",
            Strings(JsonDocument.Parse(digest).RootElement), StringComparison.Ordinal);
    }

    /// <summary>Every string in a JSON document, one per line (the card's texts, decoded).</summary>
    private static string Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => string.Join("\n", element.EnumerateObject().Select(property => Strings(property.Value))),
        JsonValueKind.Array => string.Join("\n", element.EnumerateArray().Select(Strings)),
        JsonValueKind.String => element.GetString()!,
        _ => string.Empty,
    };
}
