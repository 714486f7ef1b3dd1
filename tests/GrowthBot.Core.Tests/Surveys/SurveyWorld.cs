using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Surveys;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.Surveys;

/// <summary>
/// The survey parts wired as the host wires them, over in-memory stores, a fake platform, the real
/// metric engine and a <see cref="FakeTimeProvider"/>; helpers press buttons as a platform would.
/// </summary>
internal sealed class SurveyWorld : IDisposable
{
    public const string Key = "test-signing-key-0123456789";

    public SurveyWorld(SurveyOptions? options = null)
    {
        Options = options ?? new SurveyOptions { SendInterval = TimeSpan.Zero };
        Engine = new MetricEngine(new MetricEngineOptions());
        Importer = new ImportService(Responses, Engine);
        var customers = new GrowthDataBatch();
        foreach (var id in new[] { "C1", "C2", "C3" }) customers.Customers.Add(new Customer(id, id, "SMB", "organic", new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), null));
        Importer.Write(customers);
        Codec = SurveyButtonCodec.FromText(Key);
        Messages = new SurveyMessages(Options, "Acme", Codec);
        Writer = new SurveyAnswerWriter(Importer, Store);
        Scheduler = new SurveyScheduler(Store, Options, Messages, [Slack], Locks, Time, NullLogger<SurveyScheduler>.Instance);
        Preparer = new CampaignPreparer(Store, Options, Scheduler, Time, NullLogger<CampaignPreparer>.Instance);
        Campaigns = new SurveyCampaigns(Store, Options, Scheduler, Time, Preparer);
        Handler = new SurveyActionHandler(Store, Codec, Messages, Writer, Locks, Time);
        Tickets = new TicketSurveys(Importer, Store, Options, Scheduler, Time, NullLogger<TicketSurveys>.Instance);
        Store.SaveRecipients([
            new SurveyRecipient("C1", ChatPlatform.Slack, "U1"),
            new SurveyRecipient("C2", ChatPlatform.Slack, "U2"),
            new SurveyRecipient("C3", ChatPlatform.Slack, "U3"),
        ]);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    public SurveyOptions Options { get; }
    public FakeSurveyStore Store { get; } = new();
    public ResponseStore Responses { get; } = new();
    public MetricEngine Engine { get; }
    public ImportService Importer { get; }
    public SurveyButtonCodec Codec { get; }
    public SurveyMessages Messages { get; }
    public SurveyAnswerWriter Writer { get; }
    public SurveyLocks Locks { get; } = new();
    public FakeChatSender Slack { get; } = new();
    public SurveyScheduler Scheduler { get; }
    public CampaignPreparer Preparer { get; }
    public SurveyCampaigns Campaigns { get; }
    public SurveyActionHandler Handler { get; }
    public TicketSurveys Tickets { get; }

    /// <summary>Starts a campaign and sends it (one scheduler round); returns the invitations by user.</summary>
    public async Task<Dictionary<string, SurveyInvitation>> SendAsync(SurveyKind kind, params string[] users)
    {
        var started = Campaigns.Start(kind, null, "Slack:U0STAFF", users.Select(user => new SurveyTarget(ChatPlatform.Slack, user)).ToList());
        await Scheduler.RunDueAsync(CancellationToken.None);
        return Store.InvitationsOfRun(started.Run!.Id).ToDictionary(invitation => invitation.UserId);
    }

    public Task<ChatMessage?> PressAsync(SurveyInvitation invitation, string actionId, int score = SurveyButtonCodec.NoScore, string? user = null, string? comment = null, string? value = null) =>
        Handler.HandleActionAsync(Action(actionId, value ?? Codec.Sign(actionId, invitation.RunId, invitation.Id, score), user ?? invitation.UserId, comment), CancellationToken.None);

    public IncomingAction Action(string actionId, string value, string user, string? comment = null) => new(
        ChatPlatform.Slack, Guid.NewGuid().ToString("N"), "D-" + user, null, new Requester(ChatPlatform.Slack, user, "T0CUSTOMER", IsGuest: true),
        actionId, value, Time.GetUtcNow(), comment is null ? null : new Dictionary<string, string> { [SurveyMessages.CommentInput] = comment });

    public SurveyInvitation Current(SurveyInvitation invitation) => Store.FindInvitation(invitation.Id)!;

    /// <summary>NPS over this month so far, from the real engine.</summary>
    public MetricAnswer Nps() => Engine.Answer(new MetricQuery(MetricId.Nps, new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), Time.GetUtcNow().UtcDateTime.AddSeconds(1)));

    public void Dispose()
    {
        Preparer.Dispose();
        Writer.Dispose();
        Scheduler.Dispose();
    }
}
