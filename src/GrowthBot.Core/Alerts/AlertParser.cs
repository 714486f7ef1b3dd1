using System.Globalization;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;

namespace GrowthBot.Core.Alerts;

/// <summary>
/// Reads what follows "alert": a condition ("above 3%", "below 0", "drops 5 points", "rises 10%",
/// "unusual") and, in any order around it, the metric, an optional period and an optional
/// "by segment"/"by channel", in the same words a question takes (the question parser reads them,
/// so "churn", "mrr-growth", "NPS this month" mean what they mean in a question).
/// </summary>
internal static class AlertParser
{
    public const string Examples = "\"alert churn above 3%\", \"alert nps drops 5 points\", \"alert mrr-growth below 0 by segment\", \"alert csat unusual\"";

    private static readonly HashSet<string> AboveWords = ["above", "over", "exceeds", "exceed", ">", "higher"];
    private static readonly HashSet<string> BelowWords = ["below", "under", "<", "lower"];
    private static readonly HashSet<string> DropWords = ["drops", "drop", "falls", "fall", "declines", "decline", "decreases", "decrease"];
    private static readonly HashSet<string> RiseWords = ["rises", "rise", "grows", "grow", "jumps", "jump", "increases", "increase", "climbs", "climb"];
    private static readonly HashSet<string> UnusualWords = ["unusual", "unusually", "anomaly", "anomalous", "anomalies", "odd", "abnormal"];
    private static readonly HashSet<string> Fillers = ["is", "goes", "gets", "when", "if", "than", "by", "moves", "looks", "than"];
    private static readonly HashSet<string> PointWords = ["points", "point", "pts", "pt", "pp"];
    private static readonly HashSet<string> PercentWords = ["%", "percent", "pct"];

    public static bool TryParse(string text, DateTimeOffset now, TimeZoneInfo zone, string currency, out AlertSpec spec, out string error)
    {
        spec = null!;
        error = string.Empty;
        var words = (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
        var at = words.FindIndex(word => ConditionOf(word) is not null);
        if (at < 0)
        {
            error = words.Count == 0
                ? $"Which metric, and when should I tell you? For example {Examples}."
                : $"I couldn't find the condition in \"{text}\": say above, below, drops, rises or unusual. For example {Examples}.";
            return false;
        }
        var condition = ConditionOf(words[at])!.Value;
        var used = new bool[words.Count];
        used[at] = true;
        // "churn goes above 3%", "nps drops by 5": the little words around the condition are not the metric's.
        for (var before = at - 1; before >= 0 && Fillers.Contains(words[before].ToLowerInvariant()); before--) used[before] = true;

        string? number = null;
        var unit = ChangeUnit.Points;
        if (condition != AlertCondition.Unusual)
        {
            var next = at + 1;
            if (next < words.Count && words[next].Equals("by", StringComparison.OrdinalIgnoreCase)) used[next++] = true;
            if (next >= words.Count || !LooksLikeNumber(words[next]))
            {
                error = $"{Capitalised(words[at])} what? Give a number after it, for example {Examples}.";
                return false;
            }
            number = words[next];
            used[next++] = true;
            if (next < words.Count && PercentWords.Contains(words[next].ToLowerInvariant()))
            {
                number += "%";
                used[next] = true;
            }
            else if (next < words.Count && PointWords.Contains(words[next].ToLowerInvariant()))
            {
                used[next] = true;
            }
            if (number.EndsWith('%')) unit = ChangeUnit.Percent;
        }

        var rest = string.Join(' ', words.Where((_, index) => !used[index]));
        var question = QuestionParser.Parse(rest, now, zone, previous: null);
        if (question.Intent != QuestionIntent.Metrics || question.Metrics.Count == 0)
        {
            var typed = rest.Length == 0 ? "nothing" : $"\"{rest}\"";
            error = $"I don't know which metric {typed} is. Alerts take the metrics questions do, such as {string.Join(", ", MetricCatalog.Names.Take(8))}… For example {Examples}.";
            return false;
        }
        if (question.Metrics.Count > 1)
        {
            error = $"One metric per alert, please: I read {string.Join(" and ", question.Metrics.Select(metric => MetricCatalog.Get(metric).Name))}.";
            return false;
        }
        if (question.Problem is { } problem)
        {
            error = problem;
            return false;
        }
        if (question.NoteList.FirstOrDefault(note => note.StartsWith("I can split by", StringComparison.Ordinal)) is { } split)
        {
            error = split.Replace(", so this is the total.", ".", StringComparison.Ordinal) + $" For example {Examples}.";
            return false;
        }
        if (question.Series != SeriesUnit.None)
        {
            error = "An alert watches one period (the last 7 days unless you name one, such as \"this month\"), not a series.";
            return false;
        }
        if (question.UnknownWordList.Count > 0)
        {
            error = $"I didn't understand {string.Join(", ", question.UnknownWordList.Select(word => $"\"{word}\""))}. For example {Examples}.";
            return false;
        }
        var metric = MetricCatalog.Get(question.Metrics[0]);
        decimal? threshold = null;
        if (number is not null && !TryThreshold(metric, condition, unit, number, currency, out threshold, out error)) return false;
        spec = new AlertSpec(metric.Id, condition, threshold, unit, question.By, question.PeriodDefaulted ? null : rest);
        return true;
    }

    private static bool TryThreshold(MetricDefinition metric, AlertCondition condition, ChangeUnit unit, string number, string currency, out decimal? threshold, out string error)
    {
        threshold = null;
        error = string.Empty;
        if (condition is AlertCondition.Above or AlertCondition.Below)
        {
            if (!TargetValue.TryParse(metric, number, currency, out var value, out error))
            {
                error = error.Replace("A target for", "A threshold for", StringComparison.Ordinal).Replace("target " + metric.Name, "alert " + metric.Name + " above", StringComparison.Ordinal);
                return false;
            }
            threshold = value;
            return true;
        }
        var cleaned = number.TrimEnd('%').TrimStart('+').Replace(",", "", StringComparison.Ordinal).Trim('$', '€', '£');
        var scale = 1m;
        if (unit == ChangeUnit.Points && cleaned.Length > 1 && char.ToLowerInvariant(cleaned[^1]) is 'k' or 'm')
        {
            scale = char.ToLowerInvariant(cleaned[^1]) == 'k' ? 1_000m : 1_000_000m;
            cleaned = cleaned[..^1];
        }
        if (!decimal.TryParse(cleaned, NumberStyles.Number, CultureInfo.InvariantCulture, out var change))
        {
            error = $"\"{number}\" is not a number. For example: alert {metric.Name} drops 5 points.";
            return false;
        }
        change *= scale;
        var widest = unit == ChangeUnit.Percent ? 1000m : metric.Unit switch
        {
            MetricUnit.NpsScore => 200m,
            MetricUnit.MeanScore => 6m,
            MetricUnit.Percent => 1000m,
            _ => decimal.MaxValue,
        };
        if (change <= 0 || change > widest)
        {
            var most = widest == decimal.MaxValue ? string.Empty : $" and at most {widest.ToString("0.##", CultureInfo.InvariantCulture)}{(unit == ChangeUnit.Percent ? "%" : " points")}";
            error = $"A change to watch for must be more than 0{most}; say \"drops\" or \"rises\" for the direction. For example: alert {metric.Name} drops 5 points.";
            return false;
        }
        threshold = change;
        return true;
    }

    private static AlertCondition? ConditionOf(string word)
    {
        var lower = word.ToLowerInvariant();
        if (AboveWords.Contains(lower)) return AlertCondition.Above;
        if (BelowWords.Contains(lower)) return AlertCondition.Below;
        if (DropWords.Contains(lower)) return AlertCondition.Drops;
        if (RiseWords.Contains(lower)) return AlertCondition.Rises;
        if (UnusualWords.Contains(lower)) return AlertCondition.Unusual;
        return null;
    }

    private static bool LooksLikeNumber(string word) => word.Length > 0 && word.Any(char.IsDigit) &&
        word.All(character => char.IsDigit(character) || character is '.' or ',' or '%' or '-' or '+' or '$' or '€' or '£' or 'k' or 'K' or 'm' or 'M');

    private static string Capitalised(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..].ToLowerInvariant();
}
