using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Formulas;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.Questions;

/// <summary>Scores meet revenue: "churn by NPS category last quarter", "NRR of detractors this year", from the real engine.</summary>
public sealed class CategorySplitRouteTests : IDisposable
{
    private static DateTime Day(int year, int month, int day) => new(year, month, day, 0, 0, 0, DateTimeKind.Utc);

    private readonly MetricEngine _engine = new(new MetricEngineOptions());
    private readonly CategorySplitRoute _route;

    public CategorySplitRouteTests()
    {
        // Paying since Dec 2025: three promoters (one churns in August), a detractor who halves in September,
        // one who never answered, and one whose only answer comes after the periods start.
        var batch = new GrowthDataBatch();
        foreach (var (id, mrr) in new[] { ("p1", 100m), ("p2", 100m), ("p3", 100m), ("d1", 200m), ("silent", 50m), ("late", 70m) })
        {
            batch.Customers.Add(new Customer(id, id, "SMB", "organic", Day(2025, 12, 1), null));
            batch.Subscriptions.Add(new SubscriptionChange(id, Day(2025, 12, 1), mrr));
        }
        batch.Subscriptions.Add(new SubscriptionChange("p3", Day(2026, 8, 1), 0m));
        batch.Subscriptions.Add(new SubscriptionChange("d1", Day(2026, 9, 1), 100m));
        batch.Responses.Add(new SurveyResponse("a1", SurveyKind.Nps, "p1", 9, null, Day(2025, 12, 15)));
        batch.Responses.Add(new SurveyResponse("a2", SurveyKind.Nps, "p2", 10, null, Day(2025, 12, 15)));
        batch.Responses.Add(new SurveyResponse("a3", SurveyKind.Nps, "p3", 6, null, Day(2025, 12, 10)));
        batch.Responses.Add(new SurveyResponse("a4", SurveyKind.Nps, "p3", 9, null, Day(2025, 12, 15))); // latest answer wins
        batch.Responses.Add(new SurveyResponse("a5", SurveyKind.Nps, "d1", 3, null, Day(2025, 12, 15)));
        batch.Responses.Add(new SurveyResponse("a6", SurveyKind.Nps, "late", 0, null, Day(2026, 8, 15)));
        // Billing data up to date (a customer who starts paying on Nov 20 is in no period's base).
        batch.Customers.Add(new Customer("fresh", "fresh", "SMB", "organic", Day(2026, 11, 20), null));
        batch.Subscriptions.Add(new SubscriptionChange("fresh", Day(2026, 11, 20), 10m));
        _engine.Apply(batch);
        var options = new AccessOptions();
        options.SlackHomeTeamIds.Add("T0HOME");
        _route = new CategorySplitRoute(_engine, new AccessPolicy(options), new CompanyOptions { Name = "Acme" },
            new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)));
    }

    public void Dispose() => _engine.Dispose();

    private static IncomingMessage Ask(string text, bool staff = true) => new(ChatPlatform.Slack, "d1", "C1", null,
        new Requester(ChatPlatform.Slack, "U1", staff ? "T0HOME" : "T0OTHER", IsGuest: !staff), text, DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("churn by NPS category last quarter", true)]
    [InlineData("NRR of detractors this year", true)]
    [InlineData("expansion by csat group", true)]
    [InlineData("churn last quarter", false)]
    [InlineData("nps by segment", false)]
    [InlineData("churn by segment", false)]
    [InlineData("alert churn of detractors above 5%", false)]
    [InlineData("digest churn by nps category", false)]
    public void Claims_OnlyRevenueByASurveyGroup(string text, bool claims) => Assert.Equal(claims, _route.Claims(Ask(text)));

    [Theory]
    [InlineData("churn by NPS category last quarter", "CustomerChurn", SurveyKind.Nps, "")]
    [InlineData("NRR of detractors this year", "Nrr", SurveyKind.Nps, "Detractor")]
    [InlineData("net retention of promoters vs detractors", "Nrr", SurveyKind.Nps, "Promoter,Detractor")]
    [InlineData("expansion by CES group this month", "ExpansionRevenue", SurveyKind.Ces, "")]
    [InlineData("churn of dissatisfied customers last month", "CustomerChurn", SurveyKind.Csat, "Dissatisfied")]
    [InlineData("churn and nrr by nps categories", "CustomerChurn,Nrr", SurveyKind.Nps, "")]
    public void Read_Phrasings_GiveMetricsSurveyAndNamedGroups(string text, string metrics, SurveyKind survey, string named)
    {
        var read = CategorySplitRoute.Read(text)!.Value;

        Assert.Equal(metrics, string.Join(",", read.Metrics));
        Assert.Equal(survey, read.Survey);
        Assert.Equal(named, string.Join(",", read.Named));
    }

    [Fact]
    public async Task Churn_ByNpsCategoryLastQuarter_GivesEachGroupWithItsSize()
    {
        var reply = await _route.HandleAsync(Ask("churn by NPS category last quarter"), CancellationToken.None);

        // Q3 2026: promoters p1, p2, p3 (p3 churned on Aug 1) = 1 of 3; the detractor d1 kept paying; no passives.
        Assert.Contains("• Promoters: Churn 33.3% (3 customers paying at the start)", reply!.FallbackText, StringComparison.Ordinal);
        Assert.Contains("• Passives: Churn no data (0 customers paying at the start)", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("• Detractors: Churn 0.0% (1 customer paying at the start)", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("Too small to compare (under 10 customers): Promoters (3), Passives (0), Detractors (1).", reply.FallbackText, StringComparison.Ordinal);
        // "silent" never answered; "late" answered only in August, after the quarter started.
        Assert.Contains("2 paying customers had not answered", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nrr_OfDetractorsThisYear_ShowsThatGroup_AndEveryGroupsSize()
    {
        var reply = await _route.HandleAsync(Ask("NRR of detractors this year"), CancellationToken.None);

        // d1: 200 at Jan 1, 100 now: NRR 50 %.
        Assert.Contains("• Detractors: NRR 50.0% (1 customer paying at the start)", reply!.FallbackText, StringComparison.Ordinal);
        Assert.DoesNotContain("• Promoters", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("Group sizes: Promoters 3, Passives 0, Detractors 1.", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Split_PastTheEndOfBillingData_SaysSo_InsteadOfZeros()
    {
        using var stale = new MetricEngine(new MetricEngineOptions());
        var batch = new GrowthDataBatch();
        batch.Customers.Add(new Customer("p1", "p1", "SMB", "organic", Day(2025, 12, 1), null));
        batch.Subscriptions.Add(new SubscriptionChange("p1", Day(2025, 12, 1), 100m));
        batch.Responses.Add(new SurveyResponse("a1", SurveyKind.Nps, "p1", 10, null, Day(2025, 12, 15)));
        stale.Apply(batch);
        var options = new AccessOptions();
        options.SlackHomeTeamIds.Add("T0HOME");
        var route = new CategorySplitRoute(stale, new AccessPolicy(options), new CompanyOptions { Name = "Acme" },
            new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)));

        var reply = await route.HandleAsync(Ask("churn by NPS category last quarter"), CancellationToken.None);

        Assert.Contains("I can't split Churn by survey group for last quarter: billing data ends on Dec 1, 2025", reply!.FallbackText, StringComparison.Ordinal);
        Assert.DoesNotContain("Promoters", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Split_AskedByNonStaff_IsRefused()
    {
        var reply = await _route.HandleAsync(Ask("churn by NPS category last quarter", staff: false), CancellationToken.None);

        Assert.Contains("only share metrics with staff", reply!.FallbackText, StringComparison.Ordinal);
        Assert.DoesNotContain("Promoters", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public void CategoryMembers_UseTheLatestAnswerBeforeThePeriod()
    {
        var (members, notAnswered, _) = _engine.CategoryMembers(SurveyKind.Nps, Day(2026, 7, 1), Day(2026, 10, 1));

        Assert.Equal(4, members.Count);
        Assert.Equal(3, members.Count(member => member.Category == SurveyCategory.Promoter));
        Assert.Contains(new CategoryMember(SurveyCategory.Detractor, 200m, 100m), members);
        Assert.Contains(new CategoryMember(SurveyCategory.Promoter, 100m, 0m), members);
        Assert.Equal(2, notAnswered);
    }
}
