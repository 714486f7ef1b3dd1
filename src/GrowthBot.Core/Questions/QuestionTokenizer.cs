using System.Text;
using System.Text.RegularExpressions;

namespace GrowthBot.Core.Questions;

/// <summary>
/// Turns a question into lower-case words. Punctuation and emoji become spaces, apostrophes
/// vanish ("what's" → "whats"), hyphenated words split ("year-to-date" → "year to date") except
/// ISO dates, and numbers split from letters ("30d" → "30 d") except quarter, half and week
/// names ("q3", "h1", "w45"). A dash standing alone ("Jan 1 – Feb 15") stays as "-"; a two-digit
/// year after an apostrophe ("Q3 '25") becomes 2025, and Slack emoji codes (":tada:") vanish.
/// </summary>
internal static partial class QuestionTokenizer
{
    /// <summary>Longer questions are cut here: nobody asks for a metric in more words, and parsing stays cheap.</summary>
    public const int MaxLength = 500;

    public static List<string> Tokenize(string? text)
    {
        var input = text ?? string.Empty;
        if (input.Length > MaxLength) input = input[..MaxLength];
        // ":rocket:" is an emoji in Slack's notation; "Q3 '25", "March’24": a two-digit year after an apostrophe means 20xx.
        var expanded = ShortYear().Replace(EmojiCode().Replace(input, " "), " 20$1");
        var spaced = new StringBuilder(expanded.Length + 8);
        foreach (var character in expanded.ToLowerInvariant())
        {
            switch (character)
            {
                case '\'' or '’' or '‘' or '`' or '´':
                    break;
                case '–' or '—' or '−':
                    spaced.Append(" - ");
                    break;
                case '-':
                    spaced.Append('-');
                    break;
                default:
                    spaced.Append(char.IsLetterOrDigit(character) ? character : ' ');
                    break;
            }
        }

        var words = new List<string>();
        foreach (var raw in spaced.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw == "-" || IsoDate().IsMatch(raw))
            {
                words.Add(raw);
                continue;
            }
            foreach (var part in raw.Split('-', StringSplitOptions.RemoveEmptyEntries)) SplitLettersFromDigits(part, words);
        }
        return words;
    }

    private static void SplitLettersFromDigits(string word, List<string> words)
    {
        if (PeriodName().IsMatch(word) || !word.Any(char.IsDigit) || word.All(char.IsDigit))
        {
            words.Add(word);
            return;
        }
        var start = 0;
        for (var i = 1; i <= word.Length; i++)
        {
            if (i == word.Length || char.IsDigit(word[i]) != char.IsDigit(word[i - 1]))
            {
                words.Add(word[start..i]);
                start = i;
            }
        }
    }

    [GeneratedRegex(@":[a-z0-9_+\-]+:", RegexOptions.IgnoreCase)]
    private static partial Regex EmojiCode();

    [GeneratedRegex(@"['’‘`´](\d{2})(?!\d)")]
    private static partial Regex ShortYear();

    [GeneratedRegex(@"^\d{4}-\d{1,2}(-\d{1,2})?$")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"^([qh][1-4]|w\d{1,2})$")]
    private static partial Regex PeriodName();
}
