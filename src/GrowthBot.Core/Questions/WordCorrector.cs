using GrowthBot.Core.Text;

namespace GrowthBot.Core.Questions;

/// <summary>
/// Puts each word into the form the grammar knows: shorthands expanded ("wk" → "week"), plurals
/// and possessives of known words folded ("npss" → "nps"), run-together words split
/// ("lastmonth" → "last month") and typos corrected by edit distance (<see cref="Suggestions"/>;
/// "chrun" → "churn"). Words of three letters or fewer are only corrected when they are a
/// metric abbreviation with its letters swapped ("nsp" → "nps"); anything else stays as typed
/// and counts as not understood unless it is filler.
/// </summary>
internal static class WordCorrector
{
    private static readonly string[] Abbreviations = ["nps", "ces", "cac", "ltv", "mrr", "fcr", "nrr", "grr", "clv", "arpa", "arpu", "csat"];

    public static List<string> Correct(IReadOnlyList<string> words)
    {
        var corrected = new List<string>(words.Count);
        foreach (var word in words)
        {
            if (QuestionWords.Aliases.TryGetValue(word, out var alias))
            {
                corrected.Add(alias);
            }
            else if (IsKnownOrNumeric(word))
            {
                corrected.Add(word);
            }
            else if (word.Length > 3 && word[^1] == 's' && QuestionWords.CorrectionTargets.Contains(word[..^1]))
            {
                corrected.Add(word[..^1]);
            }
            else if (TrySplit(word, out var left, out var right))
            {
                corrected.Add(left);
                corrected.Add(right);
            }
            else
            {
                corrected.Add(Closest(word) ?? word);
            }
        }
        return corrected;
    }

    /// <summary>True for a word the grammar knows as it stands, a number, or a date.</summary>
    public static bool IsKnownOrNumeric(string word) =>
        QuestionWords.Known.Contains(word) || QuestionWords.Months.ContainsKey(word) || char.IsDigit(word[0]) || IsPeriodName(word);

    private static bool IsPeriodName(string word) =>
        word.Length is 2 or 3 && word[0] is 'q' or 'h' or 'w' && word[1..].All(char.IsDigit);

    private static bool TrySplit(string word, out string left, out string right)
    {
        left = right = string.Empty;
        if (word.Length < 6) return false;
        for (var i = 2; i <= word.Length - 2; i++)
        {
            var (a, b) = (word[..i], word[i..]);
            if ((QuestionWords.Known.Contains(a) || QuestionWords.Months.ContainsKey(a)) && a.Length > 1
                && (QuestionWords.CorrectionTargets.Contains(b) || QuestionWords.Months.ContainsKey(b)))
            {
                (left, right) = (a, b);
                return true;
            }
        }
        return false;
    }

    private static string? Closest(string word)
    {
        if (word.Length <= 3) return Abbreviations.FirstOrDefault(abbreviation => abbreviation.Length == word.Length && IsAnagram(word, abbreviation));
        var allowed = word.Length <= 5 ? 1 : 2;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var target in QuestionWords.CorrectionTargets)
        {
            if (Math.Abs(target.Length - word.Length) > allowed) continue;
            if (word.Length <= 5 && target[0] != word[0]) continue;
            var distance = Suggestions.Distance(word, target);
            if (distance > allowed || distance > bestDistance) continue;
            if (distance < bestDistance || string.CompareOrdinal(target, best) < 0)
            {
                best = target;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static bool IsAnagram(string a, string b) => a.Order().SequenceEqual(b.Order());
}
