namespace GrowthBot.Core.Text;

/// <summary>Finds the known words closest to a mistyped one ("chrun" → "customer-churn"), for helpful errors.</summary>
public static class Suggestions
{
    /// <summary>The candidates within a small edit distance of <paramref name="typed"/>, or containing it, closest first.</summary>
    public static IReadOnlyList<string> Closest(string typed, IEnumerable<string> candidates, int max = 3)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var word = (typed ?? string.Empty).Trim().ToLowerInvariant();
        if (word.Length == 0) return [];
        return candidates
            .Select(candidate => (candidate, distance: Distance(word, candidate.ToLowerInvariant())))
            .Where(pair => pair.distance <= Math.Max(2, word.Length / 3))
            .OrderBy(pair => pair.distance)
            .ThenBy(pair => pair.candidate, StringComparer.Ordinal)
            .Take(max)
            .Select(pair => pair.candidate)
            .ToList();
    }

    /// <summary>
    /// Damerau–Levenshtein distance (adjacent swaps cost one), except that a candidate made of
    /// hyphenated parts also matches on its closest part, so "churn" is near "customer-churn".
    /// </summary>
    internal static int Distance(string typed, string candidate)
    {
        var best = EditDistance(typed, candidate);
        foreach (var part in candidate.Split('-', StringSplitOptions.RemoveEmptyEntries))
        {
            best = Math.Min(best, EditDistance(typed, part) + (part.Length == candidate.Length ? 0 : 1));
        }
        return best;
    }

    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
