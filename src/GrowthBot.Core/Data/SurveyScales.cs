using GrowthBot.Formulas;

namespace GrowthBot.Core.Data;

/// <summary>The valid score range of each survey, shared by import, the survey flow and the engine.</summary>
public static class SurveyScales
{
    public static (int Min, int Max) Of(SurveyKind survey) => survey switch
    {
        SurveyKind.Nps => (0, SurveyFormulas.NpsMax),
        SurveyKind.Ces => (1, SurveyFormulas.CesMax),
        SurveyKind.Csat => (1, SurveyFormulas.CsatMax),
        _ => throw new ArgumentOutOfRangeException(nameof(survey), survey, "Unknown survey."),
    };

    public static bool IsValid(SurveyKind survey, int score)
    {
        var (min, max) = Of(survey);
        return score >= min && score <= max;
    }
}
