using System.Globalization;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Core.Text;

namespace GrowthBot.Core.Alerts;

/// <summary>
/// The alert's post and the words around alerts. Everything people typed (names, segments) goes
/// into text blocks, which each adapter escapes for its markup (Slack mrkdwn, Teams cards).
/// </summary>
internal static class AlertMessages
{
    public const string AcknowledgeAction = "alert.ack";
    public const string SnoozeAction = "alert.snooze";

    /// <summary>"customer-churn above 3%", "nps drops 5 points by segment", "csat unusual this month".</summary>
    public static string Describe(AlertRule rule, string currency)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var metric = MetricCatalog.Get(rule.Metric);
        var condition = rule.Condition switch
        {
            AlertCondition.Above => "above " + MetricFormatter.Value(metric, rule.Threshold, currency),
            AlertCondition.Below => "below " + MetricFormatter.Value(metric, rule.Threshold, currency),
            AlertCondition.Drops => "drops " + Amount(metric, rule, currency),
            AlertCondition.Rises => "rises " + Amount(metric, rule, currency),
            _ => "unusual",
        };
        var by = rule.By == Breakdown.None ? string.Empty : $" by {rule.By.ToString().ToLowerInvariant()}";
        var period = rule.PeriodText is { } text ? $" ({text})" : string.Empty;
        return $"{metric.Name} {condition}{by}{period}";
    }

    private static string Amount(MetricDefinition metric, AlertRule rule, string currency)
    {
        var size = rule.Threshold ?? 0m;
        if (rule.Unit == ChangeUnit.Percent) return size.ToString("0.##", CultureInfo.InvariantCulture) + "%";
        return metric.Unit is MetricUnit.Money or MetricUnit.Count
            ? MetricFormatter.Value(metric, size, currency)
            : size.ToString("0.##", CultureInfo.InvariantCulture) + " points";
    }

    /// <summary>The post for a firing alert (or, <paramref name="resolved"/>, one whose condition no longer holds).</summary>
    public static ChatMessage Post(Alert alert, AlertReading reading, IReadOnlyList<AlertContributor> contributors, string currency, TimeZoneInfo zone, DateTimeOffset now, bool resolved)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(reading);
        var culture = AnswerCulture.Resolve(alert.Rule.Locale);
        var metric = reading.Metric;
        var rule = alert.Rule;
        var describe = Describe(rule, currency);
        var header = resolved ? $"Back to normal: {describe}" : $"Alert: {describe}";
        var value = MetricFormatter.Value(metric, reading.Current.Value, currency, culture);
        var range = PeriodText.Range(reading.Window.From, reading.Window.To, zone, now.UtcDateTime, culture);
        var period = reading.Window.Rolling ? $"the last 7 days ({range})" : $"{reading.Window.Label} ({range})";
        var change = reading.Previous is { } previous
            ? $"{MetricFormatter.Change(metric, reading.Current.Value, previous.Value, currency, culture)} from {MetricFormatter.Value(metric, previous.Value, currency, culture)} in {reading.Window.PreviousLabel}"
            : "no comparison";
        var met = reading.Groups.Where(group => group.Verdict.Met == true).ToList();
        var summary = resolved
            ? $"{metric.Title} is {value} in {period}, so the alert no longer holds; it fires again if it does."
            : rule.By == Breakdown.None || met.Count == 0
                ? $"{metric.Title} is {value} in {period}: {Condition(rule, reading, metric, currency, culture)}."
                // Split alerts fire on a group, not on the whole: say which, not that the whole crossed.
                : $"{metric.Title} is {value} in {period}; by {rule.By.ToString().ToLowerInvariant()}, " + (met.Count == 1
                    ? $"{met[0].Name} is {Condition(rule, reading with { Verdict = met[0].Verdict }, metric, currency, culture)}."
                    : $"{met.Count} {rule.By.ToString().ToLowerInvariant()}s meet it.");
        var blocks = new List<ChatBlock>
        {
            new HeaderBlock(header),
            new TextBlock(summary),
            new FieldsBlock(
            [
                new ChatField("Value", value),
                new ChatField("Threshold", Threshold(rule, metric, reading, currency, culture)),
                new ChatField("Change", change),
                // The sample only: the one margin that matters (the value's, or the change's) is in the summary, said once.
                new ChatField("Based on", MetricFormatter.Basis(metric, reading.Current with { MarginOfError = null }, currency, culture)),
            ]),
        };
        var fields = (FieldsBlock)blocks[2];
        var lines = new List<string> { summary, string.Join(" · ", fields.Fields.Select(field => $"{field.Label}: {field.Value}")) };
        if (met is { Count: > 0 } hits && !resolved)
        {
            var text = $"{Capitalised(rule.By.ToString().ToLowerInvariant())}s that meet it: " + string.Join("; ", hits.Select(group => $"{group.Name} {MetricFormatter.Value(metric, group.Current.Value, currency, culture)}"));
            blocks.Add(new TextBlock(text));
            lines.Add(text);
        }
        if (contributors.Count > 0)
        {
            var text = "Moved most by: " + string.Join("; ", contributors.Select(contributor =>
                $"{contributor.Name} ({contributor.By.ToString().ToLowerInvariant()}) {MetricFormatter.Value(metric, contributor.Before, currency, culture)} → {MetricFormatter.Value(metric, contributor.Now, currency, culture)}"));
            blocks.Add(new TextBlock(text));
            lines.Add(text);
        }
        var context = Status(alert.State, now, zone, culture) + $" Alert {rule.Id}, set by {rule.CreatedByName ?? rule.CreatedBy}; \"alert off {rule.Id}\" removes it.";
        blocks.Add(new ContextBlock(context));
        lines.Add(context);
        blocks.Add(new ActionsBlock(Buttons(alert, reading, resolved)));
        return new ChatMessage($"{header}\n{string.Join("\n", lines)}", blocks);
    }

    /// <summary>Acknowledge, Snooze 1 day, Snooze 1 week and Explain (the question's own "explain", for the period posted).</summary>
    private static List<ChatAction> Buttons(Alert alert, AlertReading reading, bool resolved)
    {
        var explain = new ParsedQuestion(
            QuestionIntent.Metrics, [alert.Rule.Metric],
            new QuestionPeriod(reading.Window.From, reading.Window.To, reading.Window.Rolling ? "the last 7 days" : reading.Window.Label, reading.Window.Rolling),
            new QuestionPeriod(reading.Window.PreviousFrom, reading.Window.PreviousTo, string.Empty),
            alert.Rule.By, Explain: true);
        var buttons = new List<ChatAction>();
        if (!resolved)
        {
            if (alert.State.AcknowledgedBy is null) buttons.Add(new ChatAction(AcknowledgeAction, "Acknowledge", alert.Id, ChatActionStyle.Primary));
            buttons.Add(new ChatAction(SnoozeAction, "Snooze 1 day", $"{alert.Id}:1d"));
            buttons.Add(new ChatAction(SnoozeAction, "Snooze 1 week", $"{alert.Id}:7d"));
        }
        buttons.Add(new ChatAction(QuestionActionCodec.ExplainAction, "Explain", QuestionActionCodec.Encode(explain)));
        return buttons;
    }

    /// <summary>"Acknowledged by Ana at Dec 7, 09:10." / "Snoozed until Dec 8, 09:10 by Ana." / "Not acknowledged yet."</summary>
    public static string Status(AlertState state, DateTimeOffset now, TimeZoneInfo zone, CultureInfo? culture)
    {
        ArgumentNullException.ThrowIfNull(state);
        var parts = new List<string>();
        if (state.AcknowledgedBy is not null) parts.Add($"Acknowledged by {state.AcknowledgedByName ?? state.AcknowledgedBy} at {Local(state.AcknowledgedAt ?? now, zone, culture)}.");
        else if (state.Firing) parts.Add("Not acknowledged yet.");
        if (state.IsSnoozed(now)) parts.Add($"Snoozed until {Local(state.SnoozedUntil!.Value, zone, culture)}{(state.SnoozedByName is { } who ? $" by {who}" : string.Empty)}.");
        return string.Join(" ", parts);
    }

    private static string Condition(AlertRule rule, AlertReading reading, MetricDefinition metric, string currency, CultureInfo? culture)
    {
        var verdict = reading.Verdict;
        // The margin the verdict allowed for, named for what it is: the value's, or the change's (both at 95%).
        var size = verdict.Margin is { } m && m > 0 ? CultureText.Number(m, "0.0", culture) + (rule.Condition is AlertCondition.Drops or AlertCondition.Rises && rule.Unit == ChangeUnit.Percent ? "%" : string.Empty) : null;
        var margin = size is null ? string.Empty : $", beyond its ±{size} margin of error (95%)";
        var changeMargin = size is null ? string.Empty : $", more than the ±{size} margin of error of a change (95%)";
        return rule.Condition switch
        {
            AlertCondition.Above => $"above the {MetricFormatter.Value(metric, rule.Threshold, currency, culture)} threshold{margin}",
            AlertCondition.Below => $"below the {MetricFormatter.Value(metric, rule.Threshold, currency, culture)} threshold{margin}",
            AlertCondition.Drops => $"down {Moved(metric, rule, verdict.Change, culture)} from {reading.Window.PreviousLabel}, at least the {Amount(metric, rule, currency)} watched for{changeMargin}",
            AlertCondition.Rises => $"up {Moved(metric, rule, verdict.Change, culture)} from {reading.Window.PreviousLabel}, at least the {Amount(metric, rule, currency)} watched for{changeMargin}",
            _ => verdict.Expected is { } expected && verdict.Band is { } band
                ? $"unusual: its earlier periods averaged {MetricFormatter.Value(metric, Math.Round(expected, 2), currency, culture)}, and values within ±{CultureText.Number(band, "0.##", culture)} of that are usual"
                : "unusual for its history",
        };
    }

    private static string Moved(MetricDefinition metric, AlertRule rule, decimal? change, CultureInfo? culture)
    {
        var size = Math.Abs(change ?? 0m);
        return rule.Unit == ChangeUnit.Percent
            ? CultureText.Percent(CultureText.Number(size, "0.#", culture), culture)
            : CultureText.Number(size, "#,0.##", culture) + (metric.Unit is MetricUnit.Money or MetricUnit.Count ? string.Empty : " points");
    }

    private static string Threshold(AlertRule rule, MetricDefinition metric, AlertReading reading, string currency, CultureInfo? culture) => rule.Condition switch
    {
        AlertCondition.Above => "above " + MetricFormatter.Value(metric, rule.Threshold, currency, culture),
        AlertCondition.Below => "below " + MetricFormatter.Value(metric, rule.Threshold, currency, culture),
        AlertCondition.Drops => "a drop of " + Amount(metric, rule, currency),
        AlertCondition.Rises => "a rise of " + Amount(metric, rule, currency),
        _ => reading.Verdict.Expected is { } expected && reading.Verdict.Band is { } band
            ? $"outside {MetricFormatter.Value(metric, Math.Round(expected - band, 2), currency, culture)} to {MetricFormatter.Value(metric, Math.Round(expected + band, 2), currency, culture)}"
            : "outside its usual range",
    };

    /// <summary>"Mon Dec 7, 09:00" in the company's zone.</summary>
    public static string Local(DateTimeOffset instant, TimeZoneInfo zone, CultureInfo? culture)
    {
        var local = LocalCalendar.ToLocal(instant.UtcDateTime, zone);
        return $"{local.ToString("ddd", CultureInfo.InvariantCulture)} {CultureText.MonthDay(local, culture)}, {CultureText.Time(local, culture)}";
    }

    private static string Capitalised(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}
