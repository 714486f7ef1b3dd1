using GrowthBot.Core.Data;

namespace GrowthBot.Core.Surveys;

/// <summary>How a survey run began.</summary>
public enum SurveyRunSource
{
    /// <summary>A campaign started by staff (chat command or <c>growthbot survey send</c>).</summary>
    Campaign,

    /// <summary>The standing run of CES surveys sent after support tickets resolve.</summary>
    Tickets,
}

/// <summary>
/// One survey run (a campaign): which survey, about what, who started it and when, and how many
/// of the people asked were left out. What happened to each invitation is in its
/// <see cref="SurveyInvitation"/>; <see cref="SurveyRunStatus"/> adds them up.
/// <see cref="Queued"/> holds the recipients of an accepted campaign not yet prepared (linked to
/// their customers and given an invitation): the <see cref="CampaignPreparer"/> works through them
/// in the background, saving the run with what is left after each chunk, so a restart resumes
/// where it stopped. Null (or empty) once every recipient is prepared.
/// </summary>
public sealed record SurveyRun(
    string Id,
    SurveyKind Kind,
    string? Topic,
    string StartedBy,
    DateTimeOffset StartedAt,
    SurveyRunSource Source,
    int Requested,
    int SkippedFatigue,
    IReadOnlyList<string> Unknown,
    IReadOnlyList<SurveyRecipient>? Queued = null)
{
    /// <summary>Recipients accepted but not prepared yet.</summary>
    public int QueuedCount => Queued?.Count ?? 0;

    /// <summary>The id of the standing run that holds every CES-after-ticket invitation.</summary>
    public const string TicketRunId = "ces-after-tickets";
}
