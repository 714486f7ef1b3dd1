using System.Text.RegularExpressions;
using GrowthBot.Core.Data;

namespace GrowthBot.Core.Surveys;

/// <summary>A parsed <c>survey …</c> command.</summary>
public abstract record SurveyCommand
{
    /// <summary><c>survey nps|ces|csat @a @b … [about TOPIC]</c>.</summary>
    public sealed record Send(SurveyKind Kind, IReadOnlyList<string> UserIds, string? Topic) : SurveyCommand;

    /// <summary><c>survey status</c>.</summary>
    public sealed record Status : SurveyCommand;

    /// <summary><c>survey link @user CUSTOMER_ID</c>.</summary>
    public sealed record Link(string UserId, string CustomerId) : SurveyCommand;

    /// <summary><c>survey</c>, <c>survey help</c>, or something unreadable (with what was wrong).</summary>
    public sealed record Help(string? Problem) : SurveyCommand;
}

/// <summary>
/// Reads the arguments of the <c>survey</c> command. Mentions arrive as <c>&lt;@U123&gt;</c> or
/// <c>&lt;@U123|name&gt;</c> (Slack escapes them so in messages and in slash commands with
/// should_escape; the Teams adapter normalises its mentions to the same form).
/// </summary>
public static partial class SurveyCommandParser
{
    public static SurveyCommand Parse(string arguments)
    {
        var text = (arguments ?? string.Empty).Trim();
        if (text.Length == 0) return new SurveyCommand.Help(null);
        var verb = text.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0].ToLowerInvariant();
        var rest = text[verb.Length..].Trim();
        switch (verb)
        {
            case "help":
                return new SurveyCommand.Help(null);
            case "status":
                return new SurveyCommand.Status();
            case "link":
                var mention = Mention().Match(rest);
                var customer = mention.Success ? rest[(mention.Index + mention.Length)..].Trim() : string.Empty;
                if (!mention.Success || customer.Length == 0 || customer.Contains(' ', StringComparison.Ordinal))
                {
                    return new SurveyCommand.Help("To link a person to a customer, write: survey link @person CUSTOMER_ID");
                }
                return new SurveyCommand.Link(mention.Groups["id"].Value, customer);
            case "nps" or "ces" or "csat":
                return ParseSend(Enum.Parse<SurveyKind>(verb, ignoreCase: true), rest);
            default:
                return new SurveyCommand.Help($"I don't know the survey command \"{verb}\".");
        }
    }

    private static SurveyCommand ParseSend(SurveyKind kind, string rest)
    {
        string? topic = null;
        var about = About().Match(rest);
        if (about.Success)
        {
            topic = rest[(about.Index + about.Length)..].Trim();
            rest = rest[..about.Index];
            if (topic.Length == 0) return new SurveyCommand.Help("Say what the survey is about after \"about\", e.g. about the onboarding call.");
        }
        var users = new List<string>();
        var leftover = Mention().Replace(rest, match =>
        {
            var id = match.Groups["id"].Value;
            if (!users.Contains(id, StringComparer.Ordinal)) users.Add(id);
            return " ";
        }).Trim();
        if (leftover.Length > 0)
        {
            return new SurveyCommand.Help($"I didn't understand \"{leftover}\": mention the people to ask (@name), then optionally \"about TOPIC\".");
        }
        if (users.Count == 0) return new SurveyCommand.Help($"Whom should I ask? Mention them: survey {kind.ToString().ToLowerInvariant()} @ana @ben");
        return new SurveyCommand.Send(kind, users, topic);
    }

    [GeneratedRegex(@"<@(?<id>[^>|\s]+)(\|[^>]*)?>")]
    private static partial Regex Mention();

    [GeneratedRegex(@"(^|\s)about(\s|$)", RegexOptions.IgnoreCase)]
    private static partial Regex About();
}
