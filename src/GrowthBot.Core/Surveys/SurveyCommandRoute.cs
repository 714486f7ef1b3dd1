using System.Globalization;
using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Ports;

namespace GrowthBot.Core.Surveys;

/// <summary>
/// The staff commands <c>survey nps|ces|csat @a @b [about TOPIC]</c>, <c>survey status</c> and
/// <c>survey link @person CUSTOMER_ID</c>, on any platform. Only staff may use them; anyone else
/// is told so politely (and can still answer surveys).
/// </summary>
public sealed class SurveyCommandRoute(SurveyCampaigns campaigns, ISurveyStore store, IAccessPolicy access, string companyName) : IMessageRoute
{
    public const string Verb = "survey";

    public IReadOnlyList<string> HelpLines { get; } =
    [
        "survey nps|ces|csat @person … [about TOPIC] — ask people a survey in a direct message",
        "survey status — response rates of every survey run",
        "survey link @person CUSTOMER_ID — say which customer a person answers for",
    ];

    public bool Claims(IncomingMessage message) => CommandWords.StartsWith(message?.Text, Verb);

    public Task<ChatMessage?> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!access.IsStaff(message.From))
        {
            return Task.FromResult<ChatMessage?>(ChatMessage.Plain(
                $"Sorry, only staff of {companyName} can start surveys or see their results. If I send you a survey, you can answer it right here."));
        }
        CommandWords.StartsWith(message.Text, Verb, out var arguments);
        ChatMessage reply = SurveyCommandParser.Parse(arguments) switch
        {
            SurveyCommand.Send send => Send(message, send),
            SurveyCommand.Status => StatusReply(campaigns.Status()),
            SurveyCommand.Link link => Link(message, link),
            SurveyCommand.Help help => Help(help.Problem),
            _ => Help(null),
        };
        return Task.FromResult<ChatMessage?>(reply);
    }

    private ChatMessage Send(IncomingMessage message, SurveyCommand.Send send)
    {
        var targets = send.UserIds.Select(id => new SurveyTarget(message.Platform, id)).ToList();
        // Shown to people in "survey status": the name they know, not a platform id.
        var startedBy = string.IsNullOrWhiteSpace(message.From.DisplayName) ? $"a {message.Platform} user" : message.From.DisplayName.Trim();
        var started = campaigns.Start(send.Kind, send.Topic, startedBy, targets, message.From.Workspace);
        var name = send.Kind.ToString().ToUpperInvariant();
        var lines = new List<string>();
        if (started.Run is { } run)
        {
            lines.Add(started.Invited > 0
                ? $"Sending the {name} survey to {Plural(started.Invited, "person", "people")} in a direct message (run {run.Id})."
                : $"Nobody new to ask for the {name} survey (run {run.Id}).");
        }
        if (started.SkippedFatigue > 0)
        {
            lines.Add($"Skipped {Plural(started.SkippedFatigue, "person", "people")} who were asked the {name} survey recently.");
        }
        if (started.Unknown.Count > 0)
        {
            var who = string.Join(", ", started.Unknown.Select(target => target.UserId));
            lines.Add($"Not asked, because I don't know which customer they answer for: {who}. Link each with \"survey link @person CUSTOMER_ID\", " +
                      "or list them in a recipients file (customer_id, platform, user_id) and run: growthbot survey send " +
                      $"{send.Kind.ToString().ToLowerInvariant()} --to recipients.csv");
        }
        if (started.Run is not null) lines.Add("Say \"survey status\" to see the response rate.");
        var text = string.Join("\n", lines);
        return new ChatMessage(text, lines.Select(line => (ChatBlock)new TextBlock(line)).ToList());
    }

    private ChatMessage Link(IncomingMessage message, SurveyCommand.Link link)
    {
        // The person was named in this workspace, so its installation can reach them for the surveys a schedule starts.
        store.SaveRecipients([new SurveyRecipient(link.CustomerId, message.Platform, link.UserId, message.From.Workspace)]);
        return ChatMessage.Plain($"Linked {link.UserId} to customer {link.CustomerId}: their survey answers count for that customer.");
    }

    /// <summary>The status of every run, as a message (also used by the command line).</summary>
    public static ChatMessage StatusReply(IReadOnlyList<SurveyRunStatus> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) return ChatMessage.Plain("No surveys have been sent yet. Start one with \"survey nps @person\".");
        var blocks = new List<ChatBlock> { new HeaderBlock("Survey runs") };
        var fallback = new List<string>();
        foreach (var status in runs.Take(20))
        {
            var line = Line(status);
            fallback.Add(line);
            blocks.Add(new TextBlock(line));
        }
        if (runs.Count > 20) blocks.Add(new ContextBlock($"…and {runs.Count - 20} older runs."));
        blocks.Add(new ContextBlock("Rate = answered ÷ sent. Comments feed the weekly digests."));
        return new ChatMessage(string.Join("\n", fallback), blocks);
    }

    /// <summary>One run in one line: "NPS run nps-… (about X), started … by …: sent 10, answered 4 (40%), 2 comments, 1 expired, 3 pending".</summary>
    public static string Line(SurveyRunStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var run = status.Run;
        var rate = status.Rate is { } value ? (value * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "n/a";
        var about = run.Topic is null ? string.Empty : $" about {run.Topic}";
        var parts = new List<string>
        {
            $"sent {status.Sent}",
            $"answered {status.Answered} ({rate})",
            $"commented {status.Commented}",
            $"expired {status.Expired}",
        };
        if (status.Pending > 0) parts.Add($"still sending {status.Pending}");
        if (status.Skipped > 0) parts.Add($"skipped {status.Skipped} (asked recently)");
        if (status.Failed > 0) parts.Add($"failed {status.Failed}");
        if (run.Unknown.Count > 0) parts.Add($"not linked {run.Unknown.Count}");
        return string.Create(CultureInfo.InvariantCulture,
            $"{run.Kind.ToString().ToUpperInvariant()} {run.Id}{about}, started {run.StartedAt:yyyy-MM-dd HH:mm} UTC by {run.StartedBy}: {string.Join(", ", parts)}");
    }

    private ChatMessage Help(string? problem)
    {
        var lines = new List<string>();
        if (problem is not null) lines.Add(problem);
        lines.Add("Survey commands:");
        lines.AddRange(HelpLines.Select(line => "• " + line));
        var text = string.Join("\n", lines);
        return ChatMessage.Plain(text);
    }

    private static string Plural(int count, string one, string many) => $"{count} {(count == 1 ? one : many)}";
}
