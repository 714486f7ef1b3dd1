using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.FollowUps;
using GrowthBot.Core.Import;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Core.Tests.Surveys;
using GrowthBot.Formulas;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.FollowUps;

/// <summary>
/// The closed loop wired as the host wires it: the real metric engine and import service (over an
/// in-memory store), the opener, the poster, the button handler and the command, on a
/// <see cref="FakeTimeProvider"/> and a recording Slack.
/// </summary>
internal sealed class FollowUpWorld : IDisposable
{
    public const string Channel = "C0SUCCESS";
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    public FollowUpWorld(FollowUpOptions? options = null, string zone = "UTC")
    {
        Options = options ?? new FollowUpOptions { Nps = $"slack:{Channel}", Csat = $"slack:{Channel}", Ces = "teams:19:support@thread.tacv2" };
        Company = new CompanyOptions { Name = "Acme", TimeZone = zone };
        Engine = new MetricEngine(new MetricEngineOptions());
        Importer = new ImportService(Responses, Engine);
        var history = new GrowthDataBatch();
        history.Customers.Add(new Customer("globex", "Globex", "Enterprise", "sales", new DateTime(2024, 9, 15, 0, 0, 0, DateTimeKind.Utc), null));
        history.Customers.Add(new Customer("initech", "Initech", "SMB", "organic", new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), null));
        history.Subscriptions.Add(new SubscriptionChange("globex", new DateTime(2024, 9, 15, 0, 0, 0, DateTimeKind.Utc), 1_000m));
        history.Subscriptions.Add(new SubscriptionChange("globex", new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), 1_250.5m));
        history.Responses.Add(new SurveyResponse("old1", SurveyKind.Nps, "globex", 9, "Great", new DateTime(2026, 5, 2, 0, 0, 0, DateTimeKind.Utc)));
        history.Responses.Add(new SurveyResponse("old2", SurveyKind.Csat, "globex", 4, null, new DateTime(2026, 8, 3, 0, 0, 0, DateTimeKind.Utc)));
        Engine.Apply(history);
        Messages = new FollowUpMessages(Engine, Options, "USD");
        Poster = new FollowUpPoster(Store, Messages, Options, [Slack, Teams], Time, NullLogger<FollowUpPoster>.Instance);
        Opener = new FollowUpOpener(Importer, Store, Options, Company, Poster, Time, NullLogger<FollowUpOpener>.Instance);
        var accessOptions = new AccessOptions();
        accessOptions.SlackHomeTeamIds.Add("T0HOME");
        var access = new AccessPolicy(accessOptions);
        Handler = new FollowUpActionHandler(Store, Messages, access, "Acme", Time);
        Route = new FollowUpsRoute(Store, access, "Acme", Time);
        Opener.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public FakeTimeProvider Time { get; } = new(Start);
    public FollowUpOptions Options { get; }
    public CompanyOptions Company { get; }
    public ResponseStore Responses { get; } = new();
    public MetricEngine Engine { get; }
    public ImportService Importer { get; }
    public FakeFollowUpStore Store { get; } = new();
    public FakeChatSender Slack { get; } = new(ChatPlatform.Slack);
    public FakeChatSender Teams { get; } = new(ChatPlatform.Teams);
    public FollowUpMessages Messages { get; }
    public FollowUpPoster Poster { get; }
    public FollowUpOpener Opener { get; }
    public FollowUpActionHandler Handler { get; }
    public FollowUpsRoute Route { get; }

    public static Requester Staff(string user = "U0ANA", string name = "Ana") => new(ChatPlatform.Slack, user, "T0HOME", IsGuest: false, name);

    public static Requester Outsider => new(ChatPlatform.Slack, "U0GUEST", "T0OTHER", IsGuest: true, "Guest");

    /// <summary>An answer arriving as a survey press writes it: through the import service.</summary>
    public void Answer(string id, SurveyKind survey, string customer, int score, string? comment = null, DateTimeOffset? at = null)
    {
        var batch = new GrowthDataBatch();
        batch.Responses.Add(new SurveyResponse(id, survey, customer, score, comment, (at ?? Time.GetUtcNow()).UtcDateTime));
        Importer.Write(batch);
    }

    public Task<ChatMessage?> PressAsync(string actionId, string caseId, Requester by, string? outcome = null) =>
        Handler.HandleActionAsync(new IncomingAction(by.Platform, Guid.NewGuid().ToString("N"), Channel, null, by, actionId, caseId, Time.GetUtcNow(),
            outcome is null ? null : new Dictionary<string, string> { [FollowUpMessages.OutcomeInput] = outcome }), CancellationToken.None);

    public Task<ChatMessage?> SayAsync(string text, Requester by) =>
        Route.HandleAsync(new IncomingMessage(by.Platform, Guid.NewGuid().ToString("N"), Channel, null, by, text, Time.GetUtcNow()), CancellationToken.None);

    public void Dispose()
    {
        Opener.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        Poster.Dispose();
        Engine.Dispose();
    }
}
