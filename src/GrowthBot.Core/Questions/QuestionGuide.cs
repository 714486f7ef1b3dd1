using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Text;

namespace GrowthBot.Core.Questions;

/// <summary>The replies that carry no numbers: help, definitions, who owns what, and "I didn't understand".</summary>
internal static class QuestionGuide
{
    public const string Examples = "\"churn this month\", \"NPS vs last quarter\", \"CAC by channel since March\", \"MRR trend\", \"how is NRR calculated?\", \"who owns CES?\"";

    public const string PeriodExamples = "today, this week, last month, Q3, March 2025, last 30 days, since March, YTD, 2025-01-01 to 2025-02-15";

    public static ChatMessage Help(string zoneId)
    {
        var metrics = string.Join("\n", MetricCatalog.All.Select(metric => $"• {metric.Title} — {string.Join(", ", MetricSynonyms.ExamplesFor(metric.Id))}"));
        return Message(
            new HeaderBlock("What you can ask me"),
            new TextBlock("Ask about a metric in plain words, for any period. For example: " + Examples + "."),
            new TextBlock("Metrics:\n" + metrics),
            new TextBlock($"Periods (in {zoneId} time): {PeriodExamples}. Without a period I answer for this month so far."),
            new TextBlock("Comparisons and breakdowns: \"vs last month\", \"compared to Q2\", \"YoY\", \"by segment\", \"by channel\". " +
                          "Trends: \"trend\", \"monthly\", \"weekly\", \"over the last 6 months\". Follow-ups work too: \"and last month?\", \"by segment?\", \"what about NPS?\""),
            new ContextBlock("Every answer says how it was computed; ask \"explain\" for the numerator, denominator and sample size."));
    }

    public static ChatMessage Definitions(IReadOnlyList<MetricId> metrics, Accountability accountability)
    {
        var blocks = new List<ChatBlock> { new HeaderBlock(metrics.Count == 1 ? $"How {MetricCatalog.Get(metrics[0]).Title} is calculated" : "How these metrics are calculated") };
        foreach (var id in metrics)
        {
            var metric = MetricCatalog.Get(id);
            var better = metric.Direction == Direction.HigherIsBetter ? "Higher is better." : "Lower is better.";
            blocks.Add(new TextBlock($"{metric.Title} ({metric.Name}): {metric.Definition} {better}"));
            blocks.Add(new ContextBlock($"Accountable: {Teams(accountability.TeamsFor(id))}. Ask \"explain {ShortName(id)} this month\" for the numbers behind it."));
        }
        return Message([.. blocks]);
    }

    public static ChatMessage Owners(IReadOnlyList<MetricId> metrics, Accountability accountability)
    {
        if (metrics.Count == 1)
        {
            var metric = MetricCatalog.Get(metrics[0]);
            var teams = accountability.TeamsFor(metric.Id);
            return Message(new TextBlock($"{metric.Title} is owned by {Teams(teams)} ({(teams.Count == 1 ? "the accountable team" : "the accountable teams")})."));
        }
        var lines = metrics.Select(id => $"• {MetricCatalog.Get(id).Title}: {Teams(accountability.TeamsFor(id))}");
        return Message(new HeaderBlock("Who owns which metric"), new TextBlock(string.Join("\n", lines)));
    }

    /// <summary>"I didn't understand…" with the closest metrics, or "Which metric…?" when only a period was found.</summary>
    public static ChatMessage NotUnderstood(string text, ParsedQuestion question, string? period)
    {
        if (question.Problem is { } problem)
        {
            return Message(new TextBlock(problem.Contains("hasn't started", StringComparison.Ordinal) ? $"{problem} Try a period that has started, such as {PeriodExamples}." : problem));
        }
        if (period is not null && question.Period is { } named)
        {
            var label = named.Label.Length > 0 ? named.Label : period;
            return Message(new TextBlock($"Which metric do you want for {period}? For example \"churn {label}\" or \"NPS {label}\". Say \"help\" for every metric I know."));
        }
        var closest = Closest(question.UnknownWordList);
        var shown = string.IsNullOrWhiteSpace(text) ? "that" : $"\"{Shorten(text.Trim())}\"";
        var suggestion = closest.Count > 0
            ? $" Did you mean {string.Join(" or ", closest.Select(metric => $"{MetricCatalog.Get(metric).Title} ({MetricCatalog.Get(metric).Name})"))}?"
            : string.Empty;
        return Message(
            new TextBlock($"I didn't understand {shown}.{suggestion}"),
            new TextBlock($"I answer questions about metrics such as churn, retention, NPS, CSAT, CES, MRR, NRR, CAC and LTV, for periods like {PeriodExamples}. " +
                          $"For example: {Examples}. Say \"help\" to see everything."));
    }

    /// <summary>The metrics whose names are closest to the words that were not understood (fuzzy: "chrn" → churn).</summary>
    public static IReadOnlyList<MetricId> Closest(IReadOnlyList<string> words)
    {
        var found = new List<MetricId>();
        foreach (var word in words.Where(word => word.Length >= 3))
        {
            foreach (var key in Suggestions.Closest(word, MetricSynonyms.SuggestionKeys.Keys, 3))
            {
                var metric = MetricSynonyms.SuggestionKeys[key];
                if (!found.Contains(metric)) found.Add(metric);
            }
        }
        return found.Take(3).ToList();
    }

    /// <summary>What people call a metric in a sentence: "churn", "NPS".</summary>
    public static string ShortName(MetricId id) => MetricSynonyms.ExamplesFor(id) is { Count: > 0 } names ? names[0] : MetricCatalog.Get(id).Name;

    public static string Teams(IReadOnlyList<Team> teams) => teams.Count switch
    {
        0 => "no team",
        1 => teams[0].ToString(),
        _ => $"{string.Join(", ", teams.Take(teams.Count - 1))} and {teams[^1]}",
    };

    public static ChatMessage Message(params ChatBlock[] blocks)
    {
        var text = string.Join("\n", blocks.Select(TextOf).Where(line => line.Length > 0));
        return new ChatMessage(text, blocks);
    }

    private static string TextOf(ChatBlock block) => block switch
    {
        HeaderBlock header => header.Text,
        TextBlock paragraph => paragraph.Text,
        ContextBlock context => context.Text,
        FieldsBlock fields => string.Join("\n", fields.Fields.Select(field => $"{field.Label}: {field.Value}")),
        ImageBlock image => image.AltText,
        _ => string.Empty,
    };

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "…";
}
