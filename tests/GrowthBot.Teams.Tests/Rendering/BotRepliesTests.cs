using System.Text.Json.Nodes;
using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Demo;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Teams.Rendering;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Teams.Tests.Rendering;

/// <summary>
/// The replies GrowthBot really gives today (the question handler over the real metric engine and
/// the demo company), rendered for Teams and checked by the Adaptive Cards library.
/// </summary>
public sealed class BotRepliesTests : IDisposable
{
    private const string HomeTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static readonly DateTimeOffset Now = new(2025, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private readonly MetricEngine _engine = new(new MetricEngineOptions());
    private readonly QuestionHandler _handler;

    public BotRepliesTests()
    {
        _engine.Apply(DemoHistory.Generate(new DemoHistoryOptions { Customers = 400, Months = 14, End = Now.UtcDateTime }));
        var access = new AccessOptions();
        access.TeamsHomeTenantIds.Add(HomeTenant);
        _handler = QuestionHandler.Create(_engine, new Accountability(), new MetricEngineOptions(), new CompanyOptions { Name = "Acme", TimeZone = "UTC" },
            new AccessPolicy(access), new FakeTimeProvider(Now));
    }

    public void Dispose() => _engine.Dispose();

    private ChatMessage Ask(string text, bool staff = true, string? locale = null) => _handler.Reply(new IncomingMessage(
        ChatPlatform.Teams, "a1", "19:chat", null, new Requester(ChatPlatform.Teams, "29:ana", staff ? HomeTenant : "other-tenant", IsGuest: !staff, "Ana", Locale: locale), text, Now)).Message;

    private async Task<ChatMessage> PressAsync(ChatAction action) => (await _handler.HandleActionAsync(new IncomingAction(
        ChatPlatform.Teams, "a2", "19:chat", null, new Requester(ChatPlatform.Teams, "29:ana", HomeTenant, IsGuest: false, "Ana"), action.ActionId, action.Value, Now), CancellationToken.None))!;

    [Fact]
    public async Task RealReplies_PassTheAdaptiveCardsLibraryAndFit()
    {
        var answer = Ask("what's our churn this month?");
        var buttons = answer.Blocks.OfType<ActionsBlock>().Single().Actions;
        var replies = new Dictionary<string, ChatMessage>
        {
            ["help"] = Ask("help"),
            ["churnAnswer"] = answer,
            ["npsComparison"] = Ask("NPS last quarter vs the quarter before"),
            ["cacByChannel"] = Ask("CAC by channel since March"),
            ["everyMetric"] = Ask("all metrics this month"),
            ["notUnderstood"] = Ask("how are the penguins doing"),
            ["notStaff"] = Ask("churn this month", staff: false),
            ["explained"] = await PressAsync(buttons.Single(button => button.ActionId == "metric.explain")),
            ["trend"] = await PressAsync(buttons.Single(button => button.ActionId == "metric.trend")),
            // Other locales' numbers and dates: fr-FR groups digits with a no-break space, ja-JP writes dates with 年月日.
            ["mrrFrench"] = Ask("MRR and ARPA by plan last quarter vs the quarter before", locale: "fr-FR"),
            ["explainedGerman"] = Ask("explain revenue churn last month", locale: "de-DE"),
            ["trendJapanese"] = Ask("monthly NPS since March", locale: "ja-JP"),
        };
        var cards = new JsonObject();
        foreach (var (name, message) in replies)
        {
            cards[name] = AdaptiveCardRenderer.Render(message);
            Assert.True(TeamsMessageSize.Fits(AdaptiveCardRenderer.Activity(message)), name);
        }

        var (code, output) = CardValidator.Validate(cards, "bot-replies");

        Assert.True(code == 0, output);
    }

    [Fact]
    public void FrenchAnswer_KeepsItsNoBreakSpacesThroughTheCardJson()
    {
        var answer = Ask("MRR last month", locale: "fr-FR");
        var space = System.Globalization.CultureInfo.GetCultureInfo("fr-FR").NumberFormat.NumberGroupSeparator;

        var json = AdaptiveCardRenderer.Render(answer).ToJsonString();
        var text = Texts(JsonNode.Parse(json));

        Assert.Matches($@"\d{{1,3}}({space}\d{{3}})+,\d\d EUR|\d{{1,3}}({space}\d{{3}})+,\d\d USD", text);
    }

    private static string Texts(JsonNode? node) => node switch
    {
        JsonObject obj => string.Join("\n", obj.Select(pair => pair.Key == "text" && pair.Value is JsonValue value ? (string?)value ?? string.Empty : Texts(pair.Value))),
        JsonArray array => string.Join("\n", array.Select(Texts)),
        _ => string.Empty,
    };

    [Fact]
    public void MetricAnswer_HasExplainAndTrendButtonsThatCarryTheQuestion()
    {
        var answer = Ask("what's our churn this month?");

        var card = AdaptiveCardRenderer.Render(answer);

        var buttons = card["body"]!.AsArray().Where(element => (string?)element!["type"] == "ActionSet")
            .SelectMany(set => set!["actions"]!.AsArray()).ToList();
        Assert.Equal(["metric.explain", "metric.trend"], buttons.Select(button => (string?)button!["verb"]));
        var original = answer.Blocks.OfType<ActionsBlock>().Single().Actions;
        Assert.Equal(original.Select(action => action.Value), buttons.Select(button => (string?)button!["data"]!["value"]));
        Assert.Equal("TextBlock", (string?)card["body"]![0]!["type"]);
        Assert.Equal("heading", (string?)card["body"]![0]!["style"]);
    }

    [Fact]
    public async Task PressingARenderedButton_GetsTheHandlersAnswer()
    {
        var card = AdaptiveCardRenderer.Render(Ask("NPS this month"));
        var explain = card["body"]!.AsArray().Where(element => (string?)element!["type"] == "ActionSet")
            .SelectMany(set => set!["actions"]!.AsArray()).Single(button => (string?)button!["verb"] == "metric.explain")!;
        using var data = System.Text.Json.JsonDocument.Parse(explain["data"]!.ToJsonString());

        Assert.True(CardActionData.TryRead(data.RootElement, out var actionId, out var value, out _));
        var reply = await PressAsync(new ChatAction(actionId, "", value));

        Assert.DoesNotContain("no longer works", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("Net Promoter Score", reply.FallbackText, StringComparison.Ordinal);
    }
}
