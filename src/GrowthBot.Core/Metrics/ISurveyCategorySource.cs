using GrowthBot.Core.Data;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Metrics;

/// <summary>Scores meet revenue: each paying customer's survey group and MRR over a period (the metric engine answers it).</summary>
public interface ISurveyCategorySource
{
    /// <summary>
    /// The customers with MRR at <paramref name="start"/>, each in the group of their latest <paramref name="survey"/>
    /// answer before it, with their MRR at <paramref name="start"/> and at <paramref name="until"/>; and how many customers
    /// paying at <paramref name="start"/> had never answered (left out of every group).
    /// </summary>
    (IReadOnlyList<CategoryMember> Members, int NotAnswered) CategoryMembers(SurveyKind survey, DateTime start, DateTime until);
}
