using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Core.Tests.Questions;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.Digests;

/// <summary>subscribe, subscriptions, unsubscribe, target and digest, as typed in a channel.</summary>
public sealed class DigestCommandsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    private readonly FakeSubscriptionStore _store = new();
    private readonly RecordingTriggers _triggers = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly FakeAudience _audience = new();
    private readonly DigestCommands _commands;

    public DigestCommandsTests() => _commands = Commands(allowOutsideAudiences: false);

    private DigestCommands Commands(bool allowOutsideAudiences)
    {
        var composer = new DigestComposer(new FakeMetricEngine(), new FakeComments(), new FakeChart(), new DigestOptions(), "USD", _time);
        return new DigestCommands(_store, composer, new Accountability(), new AccessPolicy(new AccessOptions { SlackHomeTeamIds = { "T0HOME" } }),
            _triggers, new CompanyOptions { Name = "Acme", TimeZone = "Europe/Berlin" }, "USD", _time, [_audience], allowOutsideAudiences);
    }

    [Fact]
    public async Task Subscribe_InAChannelOutsidersCanRead_IsRefusedSayingWhy()
    {
        _audience.Outside["C0CONNECT"] = "this channel has guests in it";

        var reply = await Handle("subscribe marketing", conversation: "C0CONNECT");

        Assert.Contains("can't post digests here: this channel has guests in it", reply.FallbackText, StringComparison.Ordinal);
        Assert.Empty(_store.All());
        Assert.Empty(_triggers.Scheduled);
    }

    [Fact]
    public async Task Subscribe_InAChannelOutsidersCanRead_IsAcceptedWhenTheSettingAllowsIt()
    {
        _audience.Outside["C0CONNECT"] = "shared";

        await Commands(allowOutsideAudiences: true).HandleAsync(Message("subscribe marketing", conversation: "C0CONNECT"), default);

        Assert.Single(_store.All());
    }

    [Theory]
    [InlineData("subscribe marketing")]
    [InlineData("/subscribe marketing")]
    [InlineData("subscriptions")]
    [InlineData("unsubscribe")]
    [InlineData("target nps 45")]
    [InlineData("targets")]
    [InlineData("digest")]
    public void Claims_TheDigestCommands(string text) => Assert.True(_commands.Claims(Message(text)));

    [Theory]
    [InlineData("churn last month")]
    [InlineData("subscribers by segment")]
    [InlineData("digestion")]
    public void Claims_NotQuestions(string text) => Assert.False(_commands.Claims(Message(text)));

    [Fact]
    public async Task Subscribe_KeepsTheWorkspaceItCameThrough_AndChecksTheAudienceThere()
    {
        await Handle("subscribe marketing", from: new Requester(ChatPlatform.Slack, "U0STAFF", "T0HOME", false, Workspace: "T:T0HOME"));

        var subscription = Assert.Single(_store.All());
        Assert.Equal("T:T0HOME", subscription.Workspace);
        Assert.Equal(new ChatAddress(ChatPlatform.Slack, "C0GROWTH", "T:T0HOME"), subscription.Address);
        Assert.Equal(new ChatAddress(ChatPlatform.Slack, "C0GROWTH", "T:T0HOME"), Assert.Single(_audience.Checked));
    }

    [Fact]
    public async Task Subscribe_KeepsTheSubscribersLocale_ForTheDigestsNumbersAndDates()
    {
        var reply = await Handle("subscribe marketing", from: new Requester(ChatPlatform.Slack, "U0STAFF", "T0HOME", false, Locale: "de-de"));

        Assert.Equal("de-DE", Assert.Single(_store.All()).Locale);
        Assert.Contains("Nov.", reply.FallbackText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("xx-YY")]
    public async Task Subscribe_WithoutAReadableLocale_KeepsNone(string? locale)
    {
        await Handle("subscribe marketing", from: new Requester(ChatPlatform.Slack, "U0STAFF", "T0HOME", false, Locale: locale));

        Assert.Null(Assert.Single(_store.All()).Locale);
    }

    [Fact]
    public async Task Subscribe_Team_Defaults_MondaysNineInTheCompanyZone_AndSchedulesIt()
    {
        var reply = await Handle("subscribe marketing");

        var subscription = Assert.Single(_store.All());
        Assert.Equal((Team.Marketing, DigestSchedule.Default, "Europe/Berlin", "C0GROWTH", "U0STAFF"),
            (subscription.Team, subscription.Schedule, subscription.TimeZone, subscription.ConversationId, subscription.SubscribedBy));
        Assert.Equal([subscription.Id], _triggers.Scheduled);
        Assert.Contains("Subscribed this conversation to the Marketing digest", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("The next one comes Mon Nov 30, 09:00 and covers week 48, Nov 23–29.", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_MetricsScheduleAndZone()
    {
        var reply = await Handle("subscribe nps, csat on fridays at 4pm in America/New_York");

        var subscription = Assert.Single(_store.All());
        Assert.Null(subscription.Team);
        Assert.Equal([MetricId.Nps, MetricId.Csat], subscription.Metrics);
        Assert.Equal(new DigestSchedule(ScheduleDays.Friday, new TimeOnly(16, 0)), subscription.Schedule);
        Assert.Equal("America/New_York", subscription.TimeZone);
        Assert.Contains("Fridays at 16:00, America/New_York time", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_SameTeamAgain_UpdatesTheScheduleInsteadOfAddingOne()
    {
        await Handle("subscribe sales");
        var reply = await Handle("subscribe sales weekdays 8:30");

        var subscription = Assert.Single(_store.All());
        Assert.Equal(ScheduleDays.Weekdays, subscription.Schedule.Days);
        Assert.StartsWith("Updated the Sales digest", reply.FallbackText, StringComparison.Ordinal);
        Assert.Contains("covers Thu, Nov 26", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_Again_ResumesAPausedSubscription()
    {
        await Handle("subscribe sales");
        var paused = _store.All()[0] with { PausedReason = "is_archived" };
        _store.Save(paused);

        await Handle("subscribe sales");

        Assert.Null(Assert.Single(_store.All()).PausedReason);
    }

    [Theory]
    [InlineData("subscribe marketting", "Did you mean marketing?")]
    [InlineData("subscribe nps,chrun", "Did you mean")]
    [InlineData("subscribe marketing in Europe/Berln", "Did you mean Europe/Berlin")]
    [InlineData("subscribe marketing in Berlin", "Europe/Berlin")]
    [InlineData("subscribe marketing on fortnightly", "\"fortnightly\"")]
    [InlineData("subscribe marketing at 25:00", "not a time of day")]
    [InlineData("subscribe", "Name a team")]
    public async Task Subscribe_BadInput_GetsAFriendlyReplyWithSuggestions(string text, string expected)
    {
        var reply = await Handle(text);

        Assert.Contains(expected, reply.FallbackText, StringComparison.Ordinal);
        Assert.Empty(_store.All());
    }

    [Fact]
    public async Task Commands_FromSomeoneWhoIsNotStaff_AreRefused()
    {
        var reply = await Handle("subscribe marketing", new Requester(ChatPlatform.Slack, "U0GUEST", "T0HOME", IsGuest: true));

        Assert.StartsWith("Sorry, I can only share metrics with staff of Acme", reply.FallbackText, StringComparison.Ordinal);
        Assert.Empty(_store.All());
    }

    [Fact]
    public async Task Subscriptions_ListsThisConversations_AndCountsTheOthers()
    {
        await Handle("subscribe marketing");
        await Handle("subscribe finance", conversation: "C0OTHER");

        var here = await Handle("subscriptions");
        var all = await Handle("subscriptions all");

        Assert.Contains("Marketing, Mondays at 09:00 Europe/Berlin time; next Mon Nov 30, 09:00. Added by a Slack user on", here.FallbackText, StringComparison.Ordinal);
        Assert.DoesNotContain("U0STAFF", here.FallbackText, StringComparison.Ordinal);
        Assert.Contains("1 more in other conversations", here.FallbackText, StringComparison.Ordinal);
        Assert.Contains("Finance in Slack C0OTHER", all.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscriptions_ShowWhoAddedThemByName_NotByPlatformId()
    {
        var from = new Requester(ChatPlatform.Slack, "U0ANA", "T0HOME", false, "Ana Lopez");
        await _commands.HandleAsync(Message("subscribe marketing", from), default);

        var list = await _commands.HandleAsync(Message("subscriptions", from), default);

        Assert.Contains("Added by Ana Lopez on", list!.FallbackText, StringComparison.Ordinal);
        Assert.DoesNotContain("U0ANA", list.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsubscribe_ByTeam_ById_AndTheOnlyOne()
    {
        await Handle("subscribe marketing");
        await Handle("subscribe nps,csat");
        var id = _store.All()[1].Id;

        Assert.Contains("Stopped the Marketing digest", (await Handle("unsubscribe marketing")).FallbackText, StringComparison.Ordinal);
        Assert.Contains($"Stopped the nps, csat digest ({id})", (await Handle($"unsubscribe {id}")).FallbackText, StringComparison.Ordinal);
        Assert.Empty(_store.All());
        Assert.Equal(2, _triggers.Unscheduled.Count);
    }

    [Fact]
    public async Task Unsubscribe_WithSeveral_AsksWhich()
    {
        await Handle("subscribe marketing");
        await Handle("subscribe sales");

        var reply = await Handle("unsubscribe");

        Assert.Contains("say which", reply.FallbackText, StringComparison.Ordinal);
        Assert.Equal(2, _store.All().Count);
    }

    [Theory]
    [InlineData("target nps 45", MetricId.Nps, 45)]
    [InlineData("target churn 2%", MetricId.CustomerChurn, 2)]
    [InlineData("target mrr $1.2k", MetricId.Mrr, 1200)]
    [InlineData("target ces 5.5", MetricId.Ces, 5.5)]
    public async Task Target_IsStored(string text, MetricId metric, double value)
    {
        var reply = await Handle(text);

        Assert.Equal((decimal)value, _store.Targets()[metric]);
        Assert.Contains("The target for", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Target_None_RemovesIt_AndChurnIsMetBelow()
    {
        var churn = await Handle("target churn 2");
        await Handle("target nps 45");
        await Handle("target nps none");

        Assert.Contains("digests count it as met at or below that", churn.FallbackText, StringComparison.Ordinal);
        Assert.Equal([MetricId.CustomerChurn], _store.Targets().Keys);
        Assert.Contains("Customer churn rate: 2%", (await Handle("targets")).FallbackText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("target nps 150", "between -100 and +100")]
    [InlineData("target ces 9", "between 1.00 / 7 and 7.00 / 7")]
    [InlineData("target nsp 45", "Did you mean nps")]
    [InlineData("target nps lots", "is not a number")]
    public async Task Target_BadInput_IsExplained(string text, string expected)
    {
        var reply = await Handle(text);

        Assert.Contains(expected, reply.FallbackText, StringComparison.Ordinal);
        Assert.Empty(_store.Targets());
    }

    [Fact]
    public async Task Digest_ShowsAPreviewOfThisConversationsDigest_WithoutRecordingADelivery()
    {
        await Handle("subscribe marketing");

        var reply = await Handle("digest");

        Assert.StartsWith("Preview: Marketing digest — week 47, Nov 16–22", reply.FallbackText, StringComparison.Ordinal);
        Assert.Empty(_store.Deliveries);
    }

    [Fact]
    public async Task Digest_ForANamedTeam_OrAsksWhichWithoutOne()
    {
        Assert.StartsWith("Preview: Finance digest", (await Handle("digest finance")).FallbackText, StringComparison.Ordinal);
        Assert.StartsWith("Which digest?", (await Handle("digest")).FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public void HelpLines_NameEveryCommand()
    {
        var help = string.Join("\n", _commands.HelpLines);

        foreach (var verb in new[] { "subscribe TEAM", "subscriptions", "unsubscribe", "target METRIC", "digest" }) Assert.Contains(verb, help, StringComparison.Ordinal);
    }

    private Task<ChatMessage> Handle(string text, Requester? from = null, string conversation = "C0GROWTH") =>
        _commands.HandleAsync(Message(text, from, conversation), default)!;

    private IncomingMessage Message(string text, Requester? from = null, string conversation = "C0GROWTH") =>
        new(ChatPlatform.Slack, Guid.NewGuid().ToString("N"), conversation, null, from ?? new Requester(ChatPlatform.Slack, "U0STAFF", "T0HOME", false), text, _time.GetUtcNow());

    private sealed class RecordingTriggers : IDigestTriggers
    {
        public List<string> Scheduled { get; } = [];

        public List<string> Unscheduled { get; } = [];

        public Task ScheduleAsync(DigestSubscription subscription, CancellationToken cancellationToken)
        {
            Scheduled.Add(subscription.Id);
            return Task.CompletedTask;
        }

        public Task UnscheduleAsync(string subscriptionId, CancellationToken cancellationToken)
        {
            Unscheduled.Add(subscriptionId);
            return Task.CompletedTask;
        }
    }
}
