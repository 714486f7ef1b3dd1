using System.Globalization;
using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Core.Text;

namespace GrowthBot.Core.Digests;

/// <summary>
/// The digest commands, typed to the bot in a channel (Slack: "/growth subscribe marketing";
/// Teams: "subscribe marketing"): <c>subscribe</c>, <c>subscriptions</c>, <c>unsubscribe</c>,
/// <c>target</c> and <c>digest</c> (a preview now). Only staff may use them; everyone else gets
/// the same refusal as for metric questions.
/// </summary>
public sealed class DigestCommands(
    ISubscriptionStore store,
    DigestComposer composer,
    Accountability accountability,
    IAccessPolicy access,
    IDigestTriggers triggers,
    CompanyOptions company,
    string currency,
    TimeProvider time,
    IEnumerable<IConversationAudience>? audiences = null,
    bool allowOutsideAudiences = false) : IMessageRoute
{
    private readonly Dictionary<ChatPlatform, IConversationAudience> _audiences = (audiences ?? []).ToDictionary(audience => audience.Platform);

    private static readonly string[] Verbs = ["subscribe", "subscriptions", "unsubscribe", "target", "targets", "digest"];

    public IReadOnlyList<string> HelpLines { get; } =
    [
        "subscribe TEAM|METRIC,… [on mondays 09:00] [in Europe/Berlin] — post a digest of those metrics here on that schedule",
        "subscriptions — the digests this conversation gets (\"subscriptions all\" for every conversation)",
        "unsubscribe [ID|TEAM|all] — stop a digest here",
        "target METRIC VALUE|none — set the target digests measure a metric against (\"target nps 45\", \"target churn 2%\")",
        "digest [TEAM|METRIC,…] — show a digest here now, as a preview",
    ];

    public bool Claims(IncomingMessage message) => message is not null && Verbs.Any(verb => CommandWords.StartsWith(message.Text, verb));

    public async Task<ChatMessage?> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!access.IsStaff(message.From)) return AccessReplies.MetricsRefused(company.Name);
        var verb = Verbs.First(candidate => CommandWords.StartsWith(message.Text, candidate));
        CommandWords.StartsWith(message.Text, verb, out var arguments);
        return verb switch
        {
            "subscribe" => await SubscribeAsync(message, arguments, cancellationToken).ConfigureAwait(false),
            "subscriptions" => List(message, arguments),
            "unsubscribe" => await UnsubscribeAsync(message, arguments, cancellationToken).ConfigureAwait(false),
            "digest" => Preview(message, arguments),
            _ => Target(arguments, AnswerCulture.Resolve(message.From.Locale)),
        };
    }

    private async Task<ChatMessage> SubscribeAsync(IncomingMessage message, string arguments, CancellationToken cancellationToken)
    {
        if (message.Platform == ChatPlatform.CommandLine) return ChatMessage.Plain("Subscribe from the Slack channel or Teams conversation that should get the digest.");
        if (!SubscribeArguments.TryParse(arguments, company.Zone(), out var parsed, out var error)) return ChatMessage.Plain($"{error}\nFor example: subscribe marketing on mondays 09:00 in Europe/Berlin.");
        if (!allowOutsideAudiences && _audiences.TryGetValue(message.Platform, out var audience) &&
            await audience.CheckAsync(new ChatAddress(message.Platform, message.ConversationId, message.From.Workspace), cancellationToken).ConfigureAwait(false) is { OnlyStaff: false } outside)
        {
            return ChatMessage.Plain(
                $"I can't post digests here: {outside.Reason ?? "people outside the company can read this conversation"}, and digests show internal metrics. " +
                "Subscribe a channel only staff are in, or ask an admin to allow it (Digests__AllowOutsideAudiences=true).");
        }
        var now = time.GetUtcNow();
        var candidate = new DigestSubscription(NewId(), message.Platform, message.ConversationId, parsed.Subject.Team, parsed.Subject.Metrics,
            parsed.Schedule, parsed.Zone.Id, message.From.UserId, now, SubscribedByName: message.From.DisplayName, Workspace: message.From.Workspace,
            Locale: AnswerCulture.NameOf(AnswerCulture.Resolve(message.From.Locale)));
        var existing = store.ForConversation(message.Platform, message.ConversationId).FirstOrDefault(other => other.SameSubjectAs(candidate));
        // Subscribing again changes the schedule or zone, and resumes a subscription paused because the channel was unreachable.
        var subscription = existing is null ? candidate : existing with { Schedule = parsed.Schedule, TimeZone = parsed.Zone.Id, PausedReason = null, Workspace = message.From.Workspace ?? existing.Workspace, Locale = candidate.Locale ?? existing.Locale };
        store.Save(subscription);
        await triggers.ScheduleAsync(subscription, cancellationToken).ConfigureAwait(false);

        var next = DigestCalendar.Next(subscription.Schedule, parsed.Zone, now);
        var period = DigestCalendar.PeriodFor(subscription.Schedule, parsed.Zone, next);
        var what = subscription.Team is { } team ? $"the {team} digest (the metrics {team} is accountable for)" : $"a digest of {Titles(subscription.Metrics)}";
        var text = $"{(existing is null ? "Subscribed this conversation to" : "Updated")} {what}: {subscription.Schedule.Describe()}, {parsed.Zone.Id} time. " +
                   $"The next one comes {Local(next, parsed.Zone, AnswerCulture.Resolve(message.From.Locale))} and covers {period.Describe(now.UtcDateTime, AnswerCulture.Resolve(message.From.Locale))}.";
        return new ChatMessage(text, [new TextBlock(text), new ContextBlock($"Id {subscription.Id}. \"unsubscribe {subscription.Id}\" stops it; \"digest {subscription.Subject.ToLowerInvariant()}\" shows one now.")]);
    }

    private ChatMessage List(IncomingMessage message, string arguments)
    {
        var all = arguments.Equals("all", StringComparison.OrdinalIgnoreCase);
        var subscriptions = all ? store.All() : store.ForConversation(message.Platform, message.ConversationId);
        if (subscriptions.Count == 0)
        {
            return ChatMessage.Plain(all ? "No conversation is subscribed to a digest yet." : "This conversation gets no digests. Try \"subscribe marketing\".");
        }
        var now = time.GetUtcNow();
        var lines = subscriptions.Select(subscription => "• " + Describe(subscription, now, all));
        var others = all ? 0 : store.All().Count - subscriptions.Count;
        var blocks = new List<ChatBlock> { new HeaderBlock(all ? "Every digest subscription" : "Digests in this conversation"), new TextBlock(string.Join("\n", lines)) };
        if (others > 0) blocks.Add(new ContextBlock($"{others} more in other conversations: \"subscriptions all\" lists them."));
        return QuestionGuide.Message([.. blocks]);
    }

    private async Task<ChatMessage> UnsubscribeAsync(IncomingMessage message, string arguments, CancellationToken cancellationToken)
    {
        var here = store.ForConversation(message.Platform, message.ConversationId);
        List<DigestSubscription> chosen;
        var word = arguments.Trim();
        if (word.Length == 0)
        {
            if (here.Count != 1)
            {
                return here.Count == 0
                    ? ChatMessage.Plain("This conversation gets no digests.")
                    : ChatMessage.Plain("This conversation gets several digests; say which: " + string.Join("; ", here.Select(subscription => $"\"unsubscribe {subscription.Id}\" ({subscription.Subject})")) + ", or \"unsubscribe all\".");
            }
            chosen = [.. here];
        }
        else if (word.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            chosen = [.. here];
        }
        else if (store.Find(word.ToLowerInvariant()) is { } byId)
        {
            chosen = [byId];
        }
        else if (DigestSubject.TryParse([word], out var subject, out var error))
        {
            chosen = here.Where(subscription => subscription.Team == subject.Team && (subject.Team is not null || subscription.Metrics.Order().SequenceEqual(subject.Metrics.Order()))).ToList();
            if (chosen.Count == 0) return ChatMessage.Plain($"This conversation has no {word} digest. \"subscriptions\" lists what it has.");
        }
        else
        {
            return ChatMessage.Plain($"{error} Or give a subscription id from \"subscriptions\".");
        }
        if (chosen.Count == 0) return ChatMessage.Plain("This conversation gets no digests.");
        foreach (var subscription in chosen)
        {
            store.Remove(subscription.Id);
            await triggers.UnscheduleAsync(subscription.Id, cancellationToken).ConfigureAwait(false);
        }
        return ChatMessage.Plain($"Stopped {string.Join(", ", chosen.Select(subscription => $"the {subscription.Subject} digest ({subscription.Id})"))}.");
    }

    private ChatMessage Target(string arguments, CultureInfo? culture)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return ListTargets(culture);
        if (!DigestWords.TryMetric(words[0], out var id))
        {
            return ChatMessage.Plain($"I don't know a metric called \"{words[0]}\".{DigestWords.DidYouMean(words[0], DigestWords.MetricNames)} For example: target nps 45.");
        }
        var metric = MetricCatalog.Get(id);
        if (words.Length == 1)
        {
            return ChatMessage.Plain(store.Targets().TryGetValue(id, out var current)
                ? $"The target for {metric.Title} is {MetricFormatter.Value(metric, current, currency, culture)}. \"target {metric.Name} none\" removes it."
                : $"{metric.Title} has no target. For example: target {metric.Name} {Example(metric)}.");
        }
        var valueText = string.Join(' ', words.Skip(1));
        if (valueText.ToLowerInvariant() is "none" or "off" or "clear" or "remove")
        {
            store.SetTarget(id, null);
            return ChatMessage.Plain($"Removed the target for {metric.Title}.");
        }
        if (!TargetValue.TryParse(metric, valueText, currency, out var value, out var error)) return ChatMessage.Plain(error);
        store.SetTarget(id, value);
        var better = metric.Direction == Direction.HigherIsBetter ? "at or above" : "at or below";
        return ChatMessage.Plain($"The target for {metric.Title} is now {MetricFormatter.Value(metric, value, currency, culture)}; digests count it as met {better} that.");
    }

    private ChatMessage ListTargets(CultureInfo? culture)
    {
        var targets = store.Targets();
        if (targets.Count == 0) return ChatMessage.Plain("No targets are set. For example: target nps 45, target churn 2%.");
        var lines = targets.OrderBy(pair => pair.Key).Select(pair => $"• {MetricCatalog.Get(pair.Key).Title}: {MetricFormatter.Value(MetricCatalog.Get(pair.Key), pair.Value, currency, culture)}");
        return QuestionGuide.Message(new HeaderBlock("Targets"), new TextBlock(string.Join("\n", lines)));
    }

    private ChatMessage Preview(IncomingMessage message, string arguments)
    {
        var now = time.GetUtcNow();
        DigestSubscription subscription;
        if (arguments.Trim().Length > 0)
        {
            if (!DigestSubject.TryParse(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), out var subject, out var error)) return ChatMessage.Plain(error);
            var zone = (store.ForConversation(message.Platform, message.ConversationId) is { Count: > 0 } existing ? existing[0].TimeZone : null) ?? company.TimeZone;
            subscription = new DigestSubscription("preview", message.Platform, message.ConversationId, subject.Team, subject.Metrics, DigestSchedule.Default, zone, message.From.UserId, now, Workspace: message.From.Workspace);
        }
        else if (store.ForConversation(message.Platform, message.ConversationId) is { Count: > 0 } here)
        {
            subscription = here[0];
        }
        else
        {
            return ChatMessage.Plain($"Which digest? For example \"digest marketing\" or \"digest nps,csat\". Teams: {string.Join(", ", DigestWords.TeamNames)}.");
        }
        var period = DigestCalendar.PeriodFor(subscription.Schedule, subscription.Zone(), now);
        // A preview is read by whoever asked for it: in their culture.
        var request = new DigestRequest(subscription.Subject, subscription.MetricsToReport(accountability), period, store.Targets(), DigestMode.Preview,
            Culture: AnswerCulture.Resolve(message.From.Locale));
        return composer.Compose(request).Message;
    }

    private static string Describe(DigestSubscription subscription, DateTimeOffset now, bool withConversation)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(subscription.TimeZone);
        var where = withConversation ? $" in {subscription.Platform} {subscription.ConversationId}" : string.Empty;
        var state = subscription.PausedReason is { } reason
            ? $"paused, the conversation could not be reached ({reason}); subscribe again to resume"
            : $"next {Local(DigestCalendar.Next(subscription.Schedule, zone, now), zone)}";
        return $"{subscription.Id}: {subscription.Subject}{where}, {subscription.Schedule.Describe()} {subscription.TimeZone} time; {state}. Added by {subscription.SubscriberText} on {Local(subscription.SubscribedAt, zone)}.";
    }

    private string NewId()
    {
        while (true)
        {
            var id = Guid.NewGuid().ToString("N")[..6];
            if (store.Find(id) is null && !char.IsDigit(id[0])) return id;
        }
    }

    private static string Titles(IReadOnlyList<MetricId> metrics) => string.Join(", ", metrics.Select(metric => MetricCatalog.Get(metric).Title));

    /// <summary>"Mon Dec 7, 09:00": the weekday in English, the date in <paramref name="culture"/>.</summary>
    private static string Local(DateTimeOffset instant, TimeZoneInfo zone, CultureInfo? culture = null)
    {
        var local = LocalCalendar.ToLocal(instant.UtcDateTime, zone);
        return $"{local.ToString("ddd", CultureInfo.InvariantCulture)} {CultureText.MonthDay(local, culture)}, {CultureText.Time(local, culture)}";
    }

    private static string Example(MetricDefinition metric) => metric.Unit switch
    {
        MetricUnit.NpsScore => "45",
        MetricUnit.MeanScore => "5.5",
        MetricUnit.Money => "1000",
        MetricUnit.Ratio => "3",
        MetricUnit.Count => "500",
        _ => metric.Direction == Direction.LowerIsBetter ? "2%" : "90%",
    };
}
