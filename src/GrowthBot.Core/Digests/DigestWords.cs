using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Core.Text;

namespace GrowthBot.Core.Digests;

/// <summary>Reads the team, metric and time-zone names typed in digest commands, with suggestions for typos.</summary>
internal static class DigestWords
{
    private static readonly Dictionary<string, MetricId> MetricWords = BuildMetricWords();

    public static IEnumerable<string> TeamNames => Enum.GetNames<Team>().Select(name => name.ToLowerInvariant());

    public static bool TryTeam(string word, out Team team) =>
        Enum.TryParse(word.Trim(), ignoreCase: true, out team) && Enum.IsDefined(team) && !int.TryParse(word, out _);

    /// <summary>A catalog name ("customer-churn") or a one-word name people use ("churn", "nps", "attrition").</summary>
    public static bool TryMetric(string word, out MetricId metric) => MetricWords.TryGetValue(word.Trim().ToLowerInvariant(), out metric);

    /// <summary>"Did you mean marketing?" or an empty string.</summary>
    public static string DidYouMean(string typed, IEnumerable<string> candidates)
    {
        var closest = Suggestions.Closest(typed, candidates);
        return closest.Count == 0 ? string.Empty : $" Did you mean {string.Join(" or ", closest)}?";
    }

    /// <summary>Finds an IANA zone id, ignoring case; false with suggestions (matching the city too: "Berln" → Europe/Berlin).</summary>
    public static bool TryZone(string id, out TimeZoneInfo zone, out string suggestion)
    {
        suggestion = string.Empty;
        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone!)) return true;
        var ids = TimeZoneInfo.GetSystemTimeZones().Select(candidate => candidate.Id).ToList();
        var exact = ids.FirstOrDefault(candidate => string.Equals(candidate, id, StringComparison.OrdinalIgnoreCase));
        if (exact is not null && TimeZoneInfo.TryFindSystemTimeZoneById(exact, out zone!)) return true;
        var typed = id.Trim().ToLowerInvariant();
        var closest = ids
            .Select(candidate => (candidate, distance: Math.Min(Suggestions.Distance(typed, candidate.ToLowerInvariant()), Suggestions.Distance(typed, candidate[(candidate.LastIndexOf('/') + 1)..].ToLowerInvariant()))))
            .Where(pair => pair.distance <= Math.Max(2, typed.Length / 3) && pair.candidate.Contains('/', StringComparison.Ordinal))
            .OrderBy(pair => pair.distance)
            .ThenBy(pair => pair.candidate, StringComparer.Ordinal)
            .Take(3)
            .Select(pair => pair.candidate)
            .ToList();
        suggestion = closest.Count == 0 ? string.Empty : $" Did you mean {string.Join(" or ", closest)}?";
        return false;
    }

    public static IEnumerable<string> MetricNames => MetricCatalog.Names;

    private static Dictionary<string, MetricId> BuildMetricWords()
    {
        var words = new Dictionary<string, MetricId>(StringComparer.Ordinal);
        foreach (var (phrase, metric) in MetricSynonyms.Phrases)
        {
            if (phrase.Length == 1) words.TryAdd(phrase[0], metric);
        }
        foreach (var definition in MetricCatalog.All) words[definition.Name] = definition.Id;
        return words;
    }
}
