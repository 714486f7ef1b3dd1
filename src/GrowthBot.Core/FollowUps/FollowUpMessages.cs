using System.Globalization;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Questions;
using GrowthBot.Core.Text;

namespace GrowthBot.Core.FollowUps;

/// <summary>
/// What the owning team sees, channel-neutral: the case post (customer, segment, MRR, tenure, score,
/// comment, earlier answers, who has it) with its buttons, the same post asking for the outcome, the
/// resolved post, the <c>followups</c> list and the refusals. Comments are plain text in
/// <see cref="TextBlock"/>s, which every adapter escapes for its markup.
/// </summary>
public sealed class FollowUpMessages(ICustomerProfiles profiles, FollowUpOptions options, string currency)
{
    public const string ClaimAction = "followup.claim";
    public const string ResolveAction = "followup.resolve";
    public const string OutcomeAction = "followup.outcome";
    public const string OutcomeInput = "outcome";
    public const int MaxOutcomeLength = 300;

    public static bool IsFollowUpAction(string? actionId) => actionId?.StartsWith("followup.", StringComparison.Ordinal) == true;

    /// <summary>The case as posted (and as updated after a claim or resolution), at <paramref name="now"/>.</summary>
    public ChatMessage Post(FollowUpCase followUp, DateTimeOffset now, bool askOutcome = false)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        var profile = profiles.Profile(followUp.CustomerId, followUp.AnsweredAt.UtcDateTime, options.PreviousAnswers + 1);
        var blocks = new List<ChatBlock>
        {
            new HeaderBlock($"{Title(followUp.Survey)}: {Score(followUp.Survey, followUp.Score)} from {followUp.CustomerId}"),
            new FieldsBlock([
                new ChatField("Customer", followUp.CustomerId),
                new ChatField("Segment", profile?.Segment ?? "(unknown)"),
                new ChatField("MRR", profile?.Mrr is { } mrr ? CultureText.Money(CultureText.Number(mrr, "N2", null), currency, null) : "none"),
                new ChatField("Customer for", Tenure(profile?.SignedUpAt, followUp.AnsweredAt.UtcDateTime)),
                new ChatField("Score", Score(followUp.Survey, followUp.Score)),
                new ChatField("Answered", Moment(followUp.AnsweredAt)),
            ]),
            new TextBlock(string.IsNullOrWhiteSpace(followUp.Comment) ? "No comment." : $"Comment: \"{followUp.Comment}\""),
            new ContextBlock(Earlier(profile, followUp)),
        };
        if (followUp.LaterAnswers > 0)
        {
            blocks.Add(new ContextBlock($"{followUp.LaterAnswers} more unhappy {(followUp.LaterAnswers == 1 ? "answer" : "answers")} from this customer the same day (one case per customer per day)."));
        }
        blocks.Add(new TextBlock(Status(followUp, now)));
        if (!followUp.IsResolved)
        {
            if (askOutcome)
            {
                blocks.Add(new TextInputBlock(OutcomeInput, "Outcome", "One line: what happened?", Multiline: false, MaxLength: MaxOutcomeLength));
                blocks.Add(new ActionsBlock([new ChatAction(OutcomeAction, "Save outcome", followUp.Id, ChatActionStyle.Primary)]));
            }
            else
            {
                var actions = new List<ChatAction>();
                if (followUp.ClaimedBy is null) actions.Add(new ChatAction(ClaimAction, "I'll follow up", followUp.Id, ChatActionStyle.Primary));
                actions.Add(new ChatAction(ResolveAction, "Resolved", followUp.Id));
                blocks.Add(new ActionsBlock(actions));
            }
        }
        return QuestionGuide.Message([.. blocks]);
    }

    /// <summary>"Open: nobody has it yet", "Ana has it (since 10:42 UTC)", "Resolved by Ana after 3 h: called them, refunded".</summary>
    public static string Status(FollowUpCase followUp, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        if (followUp.IsResolved)
        {
            return $"Resolved by {followUp.ResolverText} after {Age(followUp.ResolvedAt!.Value - followUp.OpenedAt)}: {followUp.Outcome}";
        }
        return followUp.ClaimedBy is null
            ? $"Open for {Age(now - followUp.OpenedAt)}: nobody has it yet."
            : $"{followUp.ClaimerText} is following up (since {Moment(followUp.ClaimedAt!.Value)}).";
    }

    public static ChatMessage TakenBy(FollowUpCase followUp)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        return ChatMessage.Plain($"{followUp.ClaimerText} already has this case (since {Moment(followUp.ClaimedAt!.Value)}). Ask them, or press Resolved once it is done.");
    }

    public static ChatMessage AlreadyResolved(FollowUpCase followUp)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        return ChatMessage.Plain($"This case was resolved already by {followUp.ResolverText}: {followUp.Outcome}");
    }

    public static ChatMessage UnknownCase() => ChatMessage.Plain("I can't find that follow-up case any more.");

    public static ChatMessage OutcomeNeeded() => ChatMessage.Plain("Please write the outcome in one line, then press Save outcome.");

    /// <summary>The <c>followups</c> answer: open cases, oldest first, with their age and who has them.</summary>
    public static ChatMessage List(IReadOnlyList<FollowUpCase> open, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(open);
        if (open.Count == 0) return ChatMessage.Plain("No open follow-ups: every unhappy answer has been followed up.");
        const int Shown = 30;
        var lines = open.Take(Shown).Select(followUp =>
            $"• {followUp.CustomerId}: {Score(followUp.Survey, followUp.Score)}, open {Age(now - followUp.OpenedAt)}, " +
            (followUp.ClaimedBy is null ? "nobody has it" : $"{followUp.ClaimerText} has it"));
        var blocks = new List<ChatBlock> { new HeaderBlock($"Open follow-ups ({open.Count})"), new TextBlock(string.Join("\n", lines)) };
        if (open.Count > Shown) blocks.Add(new ContextBlock($"{open.Count - Shown} more, older ones first."));
        return QuestionGuide.Message([.. blocks]);
    }

    public static string Title(SurveyKind survey) => survey switch
    {
        SurveyKind.Nps => "Detractor",
        SurveyKind.Csat => "Dissatisfied customer",
        _ => "Hard customer effort",
    };

    public static string Score(SurveyKind survey, int score) => survey switch
    {
        SurveyKind.Nps => $"NPS {score}/10",
        SurveyKind.Csat => $"CSAT {score}/5",
        _ => $"CES {score}/7",
    };

    /// <summary>"45 min", "3 h", "2 d 4 h".</summary>
    public static string Age(TimeSpan age)
    {
        if (age < TimeSpan.Zero) age = TimeSpan.Zero;
        if (age < TimeSpan.FromHours(1)) return $"{(int)age.TotalMinutes} min";
        if (age < TimeSpan.FromDays(1)) return $"{(int)age.TotalHours} h";
        return age.Hours == 0 ? $"{(int)age.TotalDays} d" : $"{(int)age.TotalDays} d {age.Hours} h";
    }

    private static string Moment(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Tenure(DateTime? signedUp, DateTime at)
    {
        if (signedUp is not { } since) return "unknown";
        var months = ((at.Year - since.Year) * 12) + at.Month - since.Month - (at.Day < since.Day ? 1 : 0);
        var started = since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (months < 1) return $"{Math.Max(0, (int)(at - since).TotalDays)} days (since {started})";
        var (years, rest) = (months / 12, months % 12);
        var text = years == 0 ? $"{rest} {(rest == 1 ? "month" : "months")}"
            : rest == 0 ? $"{years} {(years == 1 ? "year" : "years")}"
            : $"{years} {(years == 1 ? "year" : "years")} {rest} {(rest == 1 ? "month" : "months")}";
        return $"{text} (since {started})";
    }

    private string Earlier(CustomerProfile? profile, FollowUpCase followUp)
    {
        // The profile is read up to the answer itself, which the engine may already hold: it is not "earlier".
        var answers = (profile?.Answers ?? [])
            .Where(answer => !(answer.Survey == followUp.Survey && answer.Score == followUp.Score && Math.Abs((answer.RespondedAt - followUp.AnsweredAt.UtcDateTime).TotalSeconds) < 1))
            .Take(options.PreviousAnswers)
            .ToList();
        if (answers.Count == 0) return "No earlier answers from this customer.";
        return "Earlier answers: " + string.Join("; ", answers.Select(answer =>
            $"{Score(answer.Survey, answer.Score)} on {answer.RespondedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"));
    }
}
