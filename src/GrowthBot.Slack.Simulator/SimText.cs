using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GrowthBot.Slack.Simulator;

/// <summary>
/// Text between the terminal and Slack's formats: what the bot wrote (mrkdwn with Slack's escapes
/// and &lt;@U…&gt; references) made readable and safe to print, and what a person types escaped and
/// linked the way Slack's own client sends it.
/// </summary>
internal static partial class SimText
{
    /// <summary>
    /// Makes text safe for a terminal: control characters (an escape sequence could recolour or
    /// clear the screen), bidirectional overrides and line/paragraph separators are shown as
    /// <c>\u001B</c>-style codes; new lines stay, tabs become spaces.
    /// </summary>
    public static string Printable(string text)
    {
        var printable = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == '\n') printable.Append(c);
            else if (c == '\t') printable.Append("    ");
            else if (char.IsControl(c) || IsInvisibleFormat(c)) printable.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else printable.Append(c);
        }
        return printable.ToString();
    }

    /// <summary>Whether a typed line holds characters no keyboard types (a pasted escape sequence, a NUL).</summary>
    public static bool HasControlCharacters(string line) => line.Any(c => c != '\t' && (char.IsControl(c) || IsInvisibleFormat(c)));

    private static bool IsInvisibleFormat(char c) =>
        c is '\u2028' or '\u2029' or >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F';

    /// <summary>
    /// mrkdwn as a person reads it in Slack: <c>&lt;@U1&gt;</c> → @name, <c>&lt;#C1|general&gt;</c> →
    /// #general, <c>&lt;!here&gt;</c> → @here, <c>&lt;url|label&gt;</c> → label (url), then Slack's three
    /// escapes undone. The result is then made <see cref="Printable"/>.
    /// </summary>
    public static string Readable(string mrkdwn, SimWorkspace workspace)
    {
        var linked = Reference().Replace(mrkdwn, match =>
        {
            var target = match.Groups["target"].Value;
            var label = match.Groups["label"].Success ? match.Groups["label"].Value : null;
            return target[0] switch
            {
                '@' => "@" + (workspace.User(target[1..])?.Name ?? label ?? target[1..]),
                '#' => "#" + (label ?? workspace.Channel(target[1..])?.Name ?? target[1..]),
                '!' => "@" + (label ?? target[1..].Split('^')[0]),
                _ => label is null ? target : $"{label} ({target})",
            };
        });
        return Printable(Unescape(Bold().Replace(linked, "$1")));
    }

    /// <summary>Undoes Slack's escaping of &amp;, &lt; and &gt;.</summary>
    public static string Unescape(string text) =>
        text.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    /// <summary>Escapes &amp;, &lt; and &gt; as Slack's client does before it sends what was typed.</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>
    /// A typed line as Slack's client sends it in a message: escaped, and each <c>@name</c> of a
    /// member turned into <c>&lt;@U…&gt;</c> (with <paramref name="withNames"/>, <c>&lt;@U…|name&gt;</c>,
    /// the form a slash command with "escape channels, users, and links" receives), <c>#general</c>
    /// into <c>&lt;#C…|general&gt;</c>. Unknown names stay plain text, as in Slack.
    /// </summary>
    public static string AsSent(string typed, SimWorkspace workspace, bool withNames)
    {
        var escaped = Escape(typed);
        escaped = Mention().Replace(escaped, match => workspace.UserNamed(match.Groups["name"].Value) is { } user
            ? withNames ? $"<@{user.Id}|{user.Name}>" : $"<@{user.Id}>"
            : match.Value);
        return ChannelMention().Replace(escaped, match => workspace.Channels.FirstOrDefault(channel => !channel.IsIm && string.Equals(channel.Name, match.Groups["name"].Value, StringComparison.OrdinalIgnoreCase)) is { } channel
            ? $"<#{channel.Id}|{channel.Name}>"
            : match.Value);
    }

    /// <summary>*bold* (the terminal shows it plain).</summary>
    [GeneratedRegex(@"(?<![\w*])\*([^*\n]+?)\*(?![\w*])")]
    private static partial Regex Bold();

    [GeneratedRegex(@"<(?<target>[^<>|]+)(\|(?<label>[^<>]*))?>")]
    private static partial Regex Reference();

    [GeneratedRegex(@"(?<![\w@])@(?<name>[A-Za-z0-9._-]+)")]
    private static partial Regex Mention();

    [GeneratedRegex(@"(?<![\w#&])#(?<name>[a-z0-9_-]+)")]
    private static partial Regex ChannelMention();
}
