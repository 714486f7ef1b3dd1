using GrowthBot.Core.Data;

namespace GrowthBot.Core.FollowUps;

/// <summary>
/// Which answers open a case: a detractor (NPS 0–6), a dissatisfied CSAT (1–2 of 5) and a hard
/// CES (1–3 of 7, where 7 is "very easy"). The same lines the survey formulas draw.
/// </summary>
public static class FollowUpRules
{
    public const int NpsDetractorMax = 6;
    public const int CsatDissatisfiedMax = 2;
    public const int CesHardMax = 3;

    public static bool IsUnhappy(SurveyKind survey, int score) => survey switch
    {
        SurveyKind.Nps => score <= NpsDetractorMax,
        SurveyKind.Csat => score <= CsatDissatisfiedMax,
        SurveyKind.Ces => score <= CesHardMax,
        _ => false,
    };

    /// <summary>"detractor", "dissatisfied", "hard".</summary>
    public static string Describe(SurveyKind survey) => survey switch
    {
        SurveyKind.Nps => "detractor",
        SurveyKind.Csat => "dissatisfied",
        _ => "hard effort",
    };
}
