using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace GrowthBot.Teams.Inbound;

/// <summary>
/// Turns the text of a Teams message into what the person meant: the bot's own
/// <c>&lt;at&gt;GrowthBot&lt;/at&gt;</c> removed, other people's mentions written <c>&lt;@USERID&gt;</c>
/// (as Slack writes them, so commands like "survey nps @ana" parse the same on both platforms),
/// HTML entities and non-breaking spaces (Teams sends both) decoded, whitespace collapsed.
/// </summary>
internal static partial class MentionText
{
    public static string Normalise(string? text, IReadOnlyList<TeamsMention> mentions, Func<TeamsAccount, bool> isBot, out bool botMentioned)
    {
        botMentioned = false;
        var result = text ?? string.Empty;
        foreach (var mention in mentions)
        {
            var at = result.IndexOf(mention.Markup, StringComparison.Ordinal);
            if (at < 0) continue;
            var bot = isBot(mention.Mentioned);
            botMentioned |= bot;
            var replacement = bot ? " " : $"<@{mention.Mentioned.UserId}>";
            result = string.Concat(result.AsSpan(0, at), replacement, result.AsSpan(at + mention.Markup.Length));
        }
        // Any <at>…</at> left (a mention entity Teams did not send) is dropped rather than read as words.
        result = LeftoverMention().Replace(result, " ");
        result = WebUtility.HtmlDecode(result).Replace('\u00A0', ' ');
        return Whitespace().Replace(result, " ").Trim();
    }

    [GeneratedRegex("<at[^>]*>.*?</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex LeftoverMention();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
