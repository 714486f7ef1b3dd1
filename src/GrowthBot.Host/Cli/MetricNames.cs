using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Core.Text;

namespace GrowthBot.Host.Cli;

/// <summary>
/// A metric named on the command line: its catalog name, or any name or synonym <c>ask</c>
/// understands ("churn", "NRR", "lifetime value"), so the two verbs accept the same words.
/// </summary>
internal static class MetricNames
{
    public static bool TryResolve(string name, out MetricDefinition metric)
    {
        if (MetricCatalog.TryFind(name, out metric)) return true;
        var phrase = string.Join(' ', QuestionTokenizer.Tokenize(name).Where(word => word != "-"));
        foreach (var (words, id) in MetricSynonyms.Phrases)
        {
            if (string.Join(' ', words) != phrase) continue;
            metric = MetricCatalog.Get(id);
            return true;
        }
        return false;
    }

    /// <summary>The catalog names closest to a name that is neither a metric nor a synonym.</summary>
    public static IReadOnlyList<string> Closest(string name)
    {
        var keys = MetricSynonyms.SuggestionKeys;
        return Suggestions.Closest(name, keys.Keys, max: 6)
            .Select(key => MetricCatalog.Get(keys[key]).Name)
            .Distinct(StringComparer.Ordinal)
            .Take(3)
            .ToList();
    }
}
