namespace GrowthBot.Core.Questions;

/// <summary>What kind of question the words suggest, beyond its metrics and periods.</summary>
internal sealed class QuestionCues
{
    public QuestionCues(IReadOnlyList<string> words, bool[] taken)
    {
        var free = words.Where((_, index) => !taken[index]).ToList();
        Explain = free.Any(QuestionWords.ExplainWords.Contains) || ContainsRun(words, "how", "did", "you", "get");
        Definition = free.Any(QuestionWords.DefinitionWords.Contains);
        Owner = free.Any(QuestionWords.OwnerWords.Contains) || ContainsRun(words, "in", "charge");
        Help = free.Any(QuestionWords.HelpWords.Contains) || ContainsRun(words, "what", "can", "you") || ContainsRun(words, "what", "do", "you", "know");
        var first = words.Count > 0 ? words[0] : string.Empty;
        var second = words.Count > 1 ? words[1] : string.Empty;
        FollowUpCue = first is "and" or "also" or "same" or "now" or "ok" or "okay" or "then" or "plus" or "but"
                      || (first is "what" or "how" && second == "about")
                      || words.Contains("instead") || ContainsRun(words, "same", "for") || ContainsRun(words, "as", "well");
    }

    public bool Explain { get; }
    public bool Definition { get; }
    public bool Owner { get; }
    public bool Help { get; }
    public bool FollowUpCue { get; }

    private static bool ContainsRun(IReadOnlyList<string> words, params string[] run)
    {
        for (var i = 0; i + run.Length <= words.Count; i++)
        {
            if (run.Select((word, k) => words[i + k] == word).All(match => match)) return true;
        }
        return false;
    }
}
