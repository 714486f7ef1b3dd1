using GrowthBot.Core.Data;

namespace GrowthBot.Core.Surveys;

/// <summary>
/// Survey settings (configuration section <c>Surveys</c>): the wording and timing of each survey,
/// the delay of the CES survey after a resolved ticket, campaign pacing and the button signing
/// key. Wording may use <c>{company}</c> (Company:Name) and <c>{topic}</c> (the campaign's topic).
/// Validated at start by <see cref="SurveyOptionsValidator"/>.
/// </summary>
public sealed class SurveyOptions
{
    public const string SectionName = "Surveys";

    public SurveyKindOptions Nps { get; set; } = new()
    {
        Question = "How likely are you to recommend {company} to a friend or colleague?",
        FatigueWindow = TimeSpan.FromDays(90),
        InvitationLifetime = TimeSpan.FromDays(7),
        ReminderAfter = TimeSpan.FromDays(3),
    };

    public SurveyKindOptions Ces { get; set; } = new()
    {
        Question = "It was easy to handle my issue with {company}.",
        FatigueWindow = TimeSpan.FromDays(7),
        InvitationLifetime = TimeSpan.FromDays(3),
        ReminderAfter = TimeSpan.FromDays(1),
    };

    public SurveyKindOptions Csat { get; set; } = new()
    {
        Question = "How satisfied were you with {topic}?",
        FatigueWindow = TimeSpan.FromDays(30),
        InvitationLifetime = TimeSpan.FromDays(7),
        ReminderAfter = TimeSpan.FromDays(3),
    };

    /// <summary>How long after a ticket's resolved_at its customer is asked the CES survey. Default 1 hour.</summary>
    public TimeSpan CesAfterTicketDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Tickets resolved longer ago than this when they arrive (an import of old history) get no CES survey. Default 2 days.</summary>
    public TimeSpan CesAfterTicketMaxAge { get; set; } = TimeSpan.FromDays(2);

    /// <summary>
    /// Least time between two invitations a campaign sends (Slack's conversations.open allows
    /// about 50 a minute, chat.postMessage about one a second per conversation). Default 1.2 s.
    /// </summary>
    public TimeSpan SendInterval { get; set; } = TimeSpan.FromSeconds(1.2);

    /// <summary>
    /// The HMAC key that signs survey buttons. A secret (from the environment). Empty: a random
    /// key is created once and kept in the store, so buttons stay valid across restarts.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>The settings of one survey.</summary>
    public SurveyKindOptions For(SurveyKind kind) => kind switch
    {
        SurveyKind.Nps => Nps,
        SurveyKind.Ces => Ces,
        SurveyKind.Csat => Csat,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown survey."),
    };
}

/// <summary>The wording and timing of one survey.</summary>
public sealed class SurveyKindOptions
{
    /// <summary>The question, with <c>{company}</c> and <c>{topic}</c> placeholders.</summary>
    public string Question { get; set; } = string.Empty;

    /// <summary>The optional free-text follow-up after the score.</summary>
    public string FollowUp { get; set; } = "What's the main reason for your score?";

    /// <summary>The thank-you that replaces the buttons at the end.</summary>
    public string Thanks { get; set; } = "Thank you for your feedback! It helps {company} get better.";

    /// <summary>Nobody is asked this survey again within this time.</summary>
    public TimeSpan FatigueWindow { get; set; }

    /// <summary>How long an invitation can be answered (and an answer changed).</summary>
    public TimeSpan InvitationLifetime { get; set; }

    /// <summary>When an unanswered invitation gets its one reminder; zero: no reminder.</summary>
    public TimeSpan ReminderAfter { get; set; }
}
