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
    IReadOnlyList<string> Unknown)
{
    /// <summary>The id of the standing run that holds every CES-after-ticket invitation.</summary>
    public const string TicketRunId = "ces-after-tickets";
}
