using System.Text;

namespace GrowthBot.Teams.Rendering;

/// <summary>
/// Text for Adaptive Card TextBlocks and Facts, which Teams renders with a markdown subset
/// (<c>**bold**</c>, <c>_italic_</c>, <c>[link](url)</c>, "- " and "1. " lists at the start of a line).
/// GrowthBot's text is plain, so what that subset would misread is backslash-escaped, as CommonMark
/// allows; other punctuation is left alone so no stray backslash can show where a client's
/// markdown would not have acted anyway. Customers' words (survey comments, names, topics) pass
/// through here too, so also escaped: <c>&lt;</c> where it could open an autolink
/// (<c>&lt;https://…&gt;</c>), a tag or a mention (<c>&lt;at&gt;</c>), and <c>&amp;</c> where it
/// starts an HTML entity (<c>&amp;#91;</c>), so a comment shows exactly what was typed.
/// </summary>
internal static class CardText
{
    /// <summary>The characters the markdown subset treats as formatting anywhere in a line.</summary>
    private const string Inline = "\\*_[]";

    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        var result = new StringBuilder(text.Length + 8);
        var lineStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (lineStart)
            {
                // "- x" and "1. x" start a list.
                var marker = LineMarkerLength(text, i);
                if (marker > 0)
                {
                    result.Append(text, i, marker - 1).Append('\\').Append(text[i + marker - 1]);
                    i += marker - 1;
                    lineStart = false;
                    continue;
                }
            }
            if (Inline.Contains(c, StringComparison.Ordinal) || (c == '<' && OpensTag(text, i)) || (c == '&' && StartsEntity(text, i))) result.Append('\\');
            result.Append(c);
            // Teams breaks lines at "\r" as well as "\n" (its own list examples use "\r").
            lineStart = c is '\n' or '\r' || (lineStart && c == ' ');
        }
        return result.ToString();
    }

    /// <summary>Cuts at <paramref name="limit"/> characters with an ellipsis, never inside a surrogate pair or an escape.</summary>
    public static string Cut(string text, int limit)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= limit) return text;
        if (limit <= 1) return "…";
        var end = limit - 1;
        if (char.IsHighSurrogate(text[end - 1])) end--;
        // An escaping backslash left at the end would escape the ellipsis instead.
        var backslashes = 0;
        for (var i = end - 1; i >= 0 && text[i] == '\\'; i--) backslashes++;
        if (backslashes % 2 == 1) end--;
        return string.Concat(text.AsSpan(0, end).TrimEnd(), "…");
    }

    /// <summary>"&lt;" followed by a letter, "/", "!" or "?": an autolink, an HTML tag or comment, or a Teams mention.</summary>
    private static bool OpensTag(string text, int i) =>
        i + 1 < text.Length && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] is '/' or '!' or '?');

    /// <summary>"&amp;name;", "&amp;#123;" or "&amp;#x7B;": what markdown decodes into another character.</summary>
    private static bool StartsEntity(string text, int i)
    {
        var j = i + 1;
        if (j < text.Length && text[j] == '#')
        {
            j++;
            if (j < text.Length && text[j] is 'x' or 'X') j++;
        }
        var start = j;
        while (j < text.Length && j - start <= 32 && char.IsAsciiLetterOrDigit(text[j])) j++;
        return j > start && j < text.Length && text[j] == ';';
    }

    private static int LineMarkerLength(string text, int i)
    {
        var c = text[i];
        if (c == '-' && (i + 1 == text.Length || text[i + 1] == ' ')) return 1;
        var j = i;
        while (j < text.Length && char.IsAsciiDigit(text[j])) j++;
        if (j > i && j < text.Length && text[j] == '.' && (j + 1 == text.Length || text[j + 1] == ' ')) return j - i + 1;
        return 0;
    }
}
