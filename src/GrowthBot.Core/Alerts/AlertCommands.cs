using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Core.Text;

namespace GrowthBot.Core.Alerts;

/// <summary>
/// The alert commands, typed like the digest commands (Slack: "/growth alert churn above 3%";
/// Teams and mentions: "alert churn above 3%"): <c>alert …</c> sets one, <c>alerts</c> lists them
/// with their state, acknowledgement and snooze, <c>alert off ID</c> removes one. Only staff may
/// use them; everyone else gets the same refusal as for metric questions.
/// </summary>
public sealed class AlertCommands(
    AlertBook book,
    AlertMonitor monitor,
    ISubscriptionStore subscriptions,
    Accountability accountability,
    IAccessPolicy access,
    AlertOptions options,
    CompanyOptions company,
    string currency,
    TimeProvider time,
    IEnumerable<IConversationAudience>? audiences = null) : IMessageRoute
{
    private readonly Dictionary<ChatPlatform, IConversationAudience> _audiences = (audiences ?? []).ToDictionary(audience => audience.Platform);

    private static readonly string[] OffWords = ["off", "delete", "remove", "stop", "cancel"];

    public IReadOnlyList<string> HelpLines { get; } =
    [
        "alert METRIC above|below VALUE, drops|rises N points|%, or unusual [by segment|channel] [PERIOD] — tell the metric's team when it happens (\"alert churn above 3%\", \"alert nps drops 5 points\", \"alert csat unusual\")",
        "alerts — every alert, whether it is firing, acknowledged or snoozed; \"alert off ID\" removes one",
    ];

    public bool Claims(IncomingMessage message) =>
        message is not null && (CommandWords.StartsWith(message.Text, "alert") || CommandWords.StartsWith(message.Text, "alerts"));

    public async Task<ChatMessage?> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!access.IsStaff(message.From)) return AccessReplies.MetricsRefused(company.Name);
        if (CommandWords.StartsWith(message.Text, "alerts", out var listArguments)) return List(message, listArguments);
        CommandWords.StartsWith(message.Text, "alert", out var arguments);
        var words = arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > 0 && OffWords.Contains(words[0].ToLowerInvariant())) return Off(words.Skip(1).ToArray());
        if (words.Length == 0 || (words.Length == 1 && words[0].Equals("list", StringComparison.OrdinalIgnoreCase))) return List(message, string.Empty);
        return await SetAsync(message, arguments, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ChatMessage> SetAsync(IncomingMessage message, string arguments, CancellationToken cancellationToken)
    {
        if (message.Platform == ChatPlatform.CommandLine) return ChatMessage.Plain("Set alerts from the Slack channel or Teams conversation that should hear about them.");
        var now = time.GetUtcNow();
        if (!AlertParser.TryParse(arguments, now, company.Zone(), currency, out var spec, out var error)) return ChatMessage.Plain(error);
        if (book.All().Count >= options.MaxAlerts)
        {
            return ChatMessage.Plain($"There are already {options.MaxAlerts} alerts, the most allowed (Alerts__MaxAlerts). \"alerts\" lists them; \"alert off ID\" removes one.");
        }
        var here = new ChatAddress(message.Platform, message.ConversationId, message.From.Workspace);
        if (!options.AllowOutsideAudiences && _audiences.TryGetValue(message.Platform, out var audience)
            && await audience.CheckAsync(here, cancellationToken).ConfigureAwait(false) is { OnlyStaff: false } outside)
        {
            return ChatMessage.Plain(
                $"I can't set alerts here: {outside.Reason ?? "people outside the company can read this conversation"}, and alerts show internal metrics. " +
                "Set it in a channel only staff are in, or ask an admin to allow it (Alerts__AllowOutsideAudiences=true).");
        }
        var rule = new AlertRule(NewId(), spec.Metric, spec.Condition, spec.Threshold, spec.Unit, spec.By, spec.PeriodText,
            message.Platform, message.ConversationId, message.From.Workspace, message.From.UserId, message.From.DisplayName, now,
            AnswerCulture.NameOf(AnswerCulture.Resolve(message.From.Locale)));
        var alert = new Alert(rule, AlertState.Armed);
        var metric = MetricCatalog.Get(rule.Metric);
        var destination = AlertRouting.Destination(rule, subscriptions.All(), accountability);
        var where = destination.ConversationId == message.ConversationId && destination.Platform == message.Platform
            ? "here"
            : $"to the channel that follows {string.Join(" and ", accountability.TeamsFor(rule.Metric))} (where its digest goes)";
        var reading = monitor.NewEvaluator().Read(rule, now);
        var culture = AnswerCulture.Resolve(message.From.Locale);
        var current = reading.Met switch
        {
            true => "It holds right now, so the first post follows in a moment.",
            false => $"Right now it is {MetricFormatter.Value(metric, reading.Current.Value, currency, culture)}, so it does not hold.",
            _ => $"Right now I can't tell: {reading.NoVerdict}. It fires only once there is enough data.",
        };
        book.Add(alert);
        monitor.Wake();
        var period = rule.PeriodText is null ? "the last 7 days against the 7 before" : $"{reading.Window.Label} against {reading.Window.PreviousLabel}";
        var text = $"Alert {rule.Id} set: {AlertMessages.Describe(rule, currency)}, over {period}. I check it after every data change and every {Every(options.CheckInterval)}, and post {where} once when it starts to hold (again only after it stopped). {current}";
        return new ChatMessage(text, [new TextBlock(text), new ContextBlock($"\"alerts\" lists every alert; \"alert off {rule.Id}\" removes this one.")]);
    }

    private ChatMessage List(IncomingMessage message, string arguments)
    {
        var alerts = book.All();
        if (alerts.Count == 0) return ChatMessage.Plain($"No alerts are set. For example {AlertParser.Examples}.");
        var now = time.GetUtcNow();
        var zone = company.Zone();
        var culture = AnswerCulture.Resolve(message.From.Locale);
        var here = arguments.Equals("here", StringComparison.OrdinalIgnoreCase);
        var shown = here ? alerts.Where(alert => alert.Rule.Platform == message.Platform && alert.Rule.ConversationId == message.ConversationId).ToList() : [.. alerts];
        if (shown.Count == 0) return ChatMessage.Plain("No alert was set in this conversation. \"alerts\" lists them all.");
        var lines = shown.Select(alert => "• " + Line(alert, now, zone, culture));
        var text = string.Join("\n", lines);
        return QuestionGuide.Message(new HeaderBlock(here ? "Alerts set here" : "Alerts"), new TextBlock(text), new ContextBlock("\"alert off ID\" removes one; the buttons on an alert's post acknowledge or snooze it."));
    }

    private string Line(Alert alert, DateTimeOffset now, TimeZoneInfo zone, System.Globalization.CultureInfo? culture)
    {
        var rule = alert.Rule;
        var state = alert.State;
        var metric = MetricCatalog.Get(rule.Metric);
        var status = state.Firing
            ? $"firing since {AlertMessages.Local(state.FiredAt ?? now, zone, culture)} at {MetricFormatter.Value(metric, state.LastValue, currency, culture)}"
            : state.LastCheckedAt is null ? "not checked yet"
            : state.LastValue is null ? "armed" : $"armed, last {MetricFormatter.Value(metric, state.LastValue, currency, culture)}";
        if (state.LastNote is { } note) status += $" (waiting: {note})";
        var extra = AlertMessages.Status(state, now, zone, culture);
        var ack = extra.Length > 0 ? " " + extra : string.Empty;
        return $"{rule.Id}: {AlertMessages.Describe(rule, currency)} — {status}.{ack} Set by {rule.CreatedByName ?? rule.CreatedBy}.";
    }

    private ChatMessage Off(string[] ids)
    {
        if (ids.Length == 0) return ChatMessage.Plain("Which alert? Say \"alert off ID\" with an id from \"alerts\".");
        var removed = new List<string>();
        var unknown = new List<string>();
        foreach (var id in ids)
        {
            var alert = book.Find(id) ?? book.Find(id.ToLowerInvariant());
            if (alert is not null && book.Remove(alert.Id)) removed.Add($"{alert.Id} ({AlertMessages.Describe(alert.Rule, currency)})");
            else unknown.Add(id);
        }
        var parts = new List<string>();
        if (removed.Count > 0) parts.Add($"Removed alert {string.Join(", ", removed)}.");
        if (unknown.Count > 0) parts.Add($"There is no alert {string.Join(", ", unknown.Select(id => $"\"{id}\""))}; \"alerts\" lists them.");
        return ChatMessage.Plain(string.Join(" ", parts));
    }

    private string NewId()
    {
        while (true)
        {
            var id = Guid.NewGuid().ToString("N")[..6];
            if (book.Find(id) is null && !char.IsDigit(id[0])) return id;
        }
    }

    private static string Every(TimeSpan interval) =>
        interval.TotalHours >= 1 && interval.TotalHours == Math.Floor(interval.TotalHours) ? $"{interval.TotalHours:0} hour{(interval.TotalHours == 1 ? "" : "s")}"
        : interval.TotalMinutes >= 1 ? $"{interval.TotalMinutes:0} minutes" : $"{interval.TotalSeconds:0} seconds";
}
