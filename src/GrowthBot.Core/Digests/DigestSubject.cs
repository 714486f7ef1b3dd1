using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Digests;

/// <summary>Whose digest: a team (its accountable metrics) or an explicit list of metrics.</summary>
internal sealed record DigestSubject(Team? Team, IReadOnlyList<MetricId> Metrics)
{
    /// <summary>
    /// Reads "marketing", "nps,csat", "nps, csat" or "nps csat". False with a friendly error that
    /// suggests the closest team or metric for a typo.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> words, out DigestSubject subject, out string error)
    {
        subject = new DigestSubject(null, []);
        error = string.Empty;
        var parts = words.SelectMany(word => word.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (parts.Count == 0)
        {
            error = $"Name a team ({string.Join(", ", DigestWords.TeamNames)}) or metrics such as \"nps,csat\".";
            return false;
        }
        if (parts.Count == 1 && DigestWords.TryTeam(parts[0], out var team))
        {
            subject = new DigestSubject(team, []);
            return true;
        }
        var metrics = new List<MetricId>();
        foreach (var part in parts)
        {
            if (DigestWords.TryMetric(part, out var metric))
            {
                if (!metrics.Contains(metric)) metrics.Add(metric);
                continue;
            }
            if (DigestWords.TryTeam(part, out _))
            {
                error = $"\"{part}\" is a team; subscribe to one team, or to a list of metrics, at a time.";
                return false;
            }
            error = $"I don't know a team or metric called \"{part}\".{DigestWords.DidYouMean(part, DigestWords.TeamNames.Concat(DigestWords.MetricNames))} " +
                    $"Teams: {string.Join(", ", DigestWords.TeamNames)}. Metrics: {string.Join(" ", DigestWords.MetricNames)}.";
            return false;
        }
        subject = new DigestSubject(null, metrics);
        return true;
    }
}
