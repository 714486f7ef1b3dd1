using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Storage.Postgres;
using GrowthBot.Tests.Postgres;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Cluster.Tests.Conversations;

/// <summary>Follow-up context on one database: "and last month?" continues the question whichever host it reaches.</summary>
[Collection(ClusterDatabase.Name)]
[Trait("Category", "Postgres")]
public sealed class SharedFollowUpTests(PostgresServer server) : IAsyncLifetime
{
    private const string HomeTeam = "T0HOME";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 11, 26, 10, 0, 0, TimeSpan.Zero));
    private PostgresDatabase _hostA = null!;
    private PostgresDatabase _hostB = null!;
    private MetricEngine _engine = null!;
    private int _deliveries;

    public async Task InitializeAsync()
    {
        var connectionString = await ClusterDatabase.MigratedAsync(server);
        _hostA = ClusterDatabase.Host(connectionString, _time);
        _hostB = ClusterDatabase.Host(connectionString, _time);
        _engine = new MetricEngine(new MetricEngineOptions(), TimeZoneInfo.Utc, _time);
    }

    public Task DisposeAsync()
    {
        _engine.Dispose();
        _hostA.Dispose();
        _hostB.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void FollowUp_OnHostB_ContinuesTheQuestionAskedOnHostA()
    {
        var a = Handler(_hostA);
        var b = Handler(_hostB);

        var asked = a.Reply(Message("what's our churn this month?", "U1", "C1"));
        var followUp = b.Reply(Message("and last month?", "U1", "C1"));

        Assert.True(asked.Question.Understood);
        Assert.True(followUp.Question.IsFollowUp);
        Assert.Equal([MetricId.CustomerChurn], followUp.Question.Metrics);
        Assert.Equal(new DateTime(2025, 10, 1, 0, 0, 0, DateTimeKind.Utc), followUp.Question.Period!.From);
        Assert.Equal(new DateTime(2025, 11, 1, 0, 0, 0, DateTimeKind.Utc), followUp.Question.Period.To);
    }

    [Fact]
    public void FollowUp_OtherPersonOrConversationOrExpired_IsNotContinued()
    {
        var a = Handler(_hostA);
        var b = Handler(_hostB);
        a.Reply(Message("NPS this month", "U1", "C1"));

        Assert.False(b.Reply(Message("and last month?", "U2", "C1")).Question.IsFollowUp);
        Assert.False(b.Reply(Message("and last month?", "U1", "C2")).Question.IsFollowUp);
        _time.Advance(TimeSpan.FromMinutes(31));
        Assert.False(b.Reply(Message("and last month?", "U1", "C1")).Question.IsFollowUp);
    }

    [Fact]
    public void FollowUp_TheLaterQuestionOnEitherHost_IsTheOneContinued()
    {
        var a = Handler(_hostA);
        var b = Handler(_hostB);
        a.Reply(Message("NPS this month", "U1", "C1"));
        b.Reply(Message("MRR this month", "U1", "C1"));

        var followUp = a.Reply(Message("and last month?", "U1", "C1"));

        Assert.Equal([MetricId.Mrr], followUp.Question.Metrics);
    }

    private QuestionHandler Handler(PostgresDatabase host)
    {
        var access = new AccessOptions();
        access.SlackHomeTeamIds.Add(HomeTeam);
        return QuestionHandler.Create(_engine, new Accountability(), new MetricEngineOptions(), new CompanyOptions { Name = "Acme", TimeZone = "UTC" },
            new AccessPolicy(access), _time, questionContexts: new PostgresQuestionContextStore(host));
    }

    private IncomingMessage Message(string text, string user, string conversation) =>
        new(ChatPlatform.Slack, $"Ev{Interlocked.Increment(ref _deliveries):D4}", conversation, null, new Requester(ChatPlatform.Slack, user, HomeTeam, false), text, _time.GetUtcNow());
}
