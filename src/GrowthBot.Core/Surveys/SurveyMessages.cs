using System.Globalization;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;

namespace GrowthBot.Core.Surveys;

/// <summary>
/// What the customer sees, channel-neutral: the invitation (question + one button per score), the
/// reminder, the follow-up that replaces the buttons after a score (a text box, Send, Skip and
/// Change my score), the thank-you that replaces that (no buttons left), and the polite refusals.
/// Every button value is signed by the <see cref="SurveyButtonCodec"/>.
/// </summary>
public sealed class SurveyMessages(SurveyOptions options, string companyName, SurveyButtonCodec codec)
{
    public const string ScoreAction = "survey.score";
    public const string CommentAction = "survey.comment";
    public const string SkipAction = "survey.skip";
    public const string ChangeAction = "survey.change";
    public const string CommentInput = "comment";

    /// <summary>
    /// True for survey buttons. Adapters acknowledge these only after the answer is committed
    /// (the handler awaits the durable write), and answer them without platform look-ups.
    /// </summary>
    public static bool IsSurveyAction(string? actionId) => actionId?.StartsWith("survey.", StringComparison.Ordinal) == true;

    /// <summary>The longest comment kept; longer ones are cut.</summary>
    public const int MaxCommentLength = 2000;

    private readonly string _company = string.IsNullOrWhiteSpace(companyName) ? "us" : companyName.Trim();

    public string Question(SurveyKind kind, string? topic) => Fill(options.For(kind).Question, topic);

    public ChatMessage Invitation(SurveyInvitation invitation)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        return Scale(invitation, intro: null);
    }

    public ChatMessage Reminder(SurveyInvitation invitation)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        return Scale(invitation, intro: "A gentle reminder: we'd still love your answer. One tap is enough.");
    }

    /// <summary>The scale again, after "Change my score", with the current answer noted.</summary>
    public ChatMessage ChangeScore(SurveyInvitation invitation)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        var intro = invitation.Score is { } score ? $"Your answer so far is {score}. Pick a new score:" : null;
        return Scale(invitation, intro) with { ReplacesOriginal = true };
    }

    public ChatMessage FollowUp(SurveyInvitation invitation)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        var followUp = Fill(options.For(invitation.Kind).FollowUp, invitation.Topic);
        var score = invitation.Score?.ToString(CultureInfo.InvariantCulture) ?? "?";
        var text = $"Thanks! You answered {score}. {followUp}";
        return new ChatMessage(text, [
            new TextBlock(text),
            new TextInputBlock(CommentInput, followUp, "Optional: a sentence or two is plenty", Multiline: true, MaxLength: MaxCommentLength),
            new ActionsBlock([
                new ChatAction(CommentAction, "Send", codec.Sign(CommentAction, invitation.RunId, invitation.Id), ChatActionStyle.Primary),
                new ChatAction(SkipAction, "Skip", codec.Sign(SkipAction, invitation.RunId, invitation.Id)),
                new ChatAction(ChangeAction, "Change my score", codec.Sign(ChangeAction, invitation.RunId, invitation.Id)),
            ]),
        ]) { ReplacesOriginal = true };
    }

    public ChatMessage Thanks(SurveyInvitation invitation)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        var thanks = Fill(options.For(invitation.Kind).Thanks, invitation.Topic);
        var answer = $"Your answer: {invitation.Score?.ToString(CultureInfo.InvariantCulture) ?? "?"}" +
                     (string.IsNullOrWhiteSpace(invitation.Comment) ? "." : $", \"{invitation.Comment}\".");
        return new ChatMessage($"{thanks} {answer}", [new TextBlock(thanks), new ContextBlock(answer)]) { ReplacesOriginal = true };
    }

    public static ChatMessage Closed() => new("This survey has closed. Thank you anyway!",
        [new TextBlock("This survey has closed, so your answer was not recorded. Thank you anyway!")]) { ReplacesOriginal = true };

    /// <summary>An invitation a reminder repeats (replaces its buttons, so only the newest card can be answered).</summary>
    public static ChatMessage Superseded() => new("This survey is repeated in a newer message below.",
        [new TextBlock("This survey is repeated in a newer message below: please answer there.")]);

    /// <summary>The same invitation after it expired unanswered (replaces its buttons in the chat).</summary>
    public static ChatMessage Expired() => new("This survey has closed.", [new TextBlock("This survey has closed. Thank you for your time!")]);

    public static ChatMessage Forged() => ChatMessage.Plain("Sorry, I couldn't verify that button, so nothing was recorded.");

    public static ChatMessage UnknownSurvey() => ChatMessage.Plain("I can't find that survey any more, so nothing was recorded. Thank you anyway!");

    public static ChatMessage NotYours() => ChatMessage.Plain("This survey was sent to someone else, so I can't record your answer. Thanks for wanting to help!");

    public static ChatMessage OutOfRange(SurveyKind kind)
    {
        var (min, max) = SurveyScales.Of(kind);
        return ChatMessage.Plain($"That score isn't on this survey's scale ({min}–{max}), so nothing was recorded.");
    }

    /// <summary>"0 = not at all likely, 10 = extremely likely" and the like.</summary>
    public static string Legend(SurveyKind kind) => kind switch
    {
        SurveyKind.Nps => "0 = not at all likely, 10 = extremely likely",
        SurveyKind.Ces => "1 = strongly disagree, 7 = strongly agree",
        SurveyKind.Csat => "1 = very dissatisfied, 5 = very satisfied",
        _ => string.Empty,
    };

    private ChatMessage Scale(SurveyInvitation invitation, string? intro)
    {
        var question = Question(invitation.Kind, invitation.Topic);
        var (min, max) = SurveyScales.Of(invitation.Kind);
        var buttons = new List<ChatAction>();
        for (var score = min; score <= max; score++)
        {
            buttons.Add(new ChatAction(ScoreAction, score.ToString(CultureInfo.InvariantCulture), codec.Sign(ScoreAction, invitation.RunId, invitation.Id, score)));
        }
        var blocks = new List<ChatBlock>();
        if (intro is not null) blocks.Add(new TextBlock(intro));
        blocks.Add(new TextBlock(question));
        blocks.Add(new ActionsBlock(buttons));
        blocks.Add(new ContextBlock(Legend(invitation.Kind)));
        var fallback = intro is null ? $"{question} ({Legend(invitation.Kind)})" : $"{intro} {question} ({Legend(invitation.Kind)})";
        return new ChatMessage(fallback, blocks);
    }

    private string Fill(string template, string? topic)
    {
        var about = string.IsNullOrWhiteSpace(topic) ? $"your recent experience with {_company}" : topic.Trim();
        return template.Replace("{company}", _company, StringComparison.OrdinalIgnoreCase).Replace("{topic}", about, StringComparison.OrdinalIgnoreCase);
    }
}
