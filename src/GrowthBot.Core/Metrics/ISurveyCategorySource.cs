using GrowthBot.Core.Data;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Metrics;

/// <summary>Scores meet revenue: each paying customer's survey group and MRR over a period (the metric engine answers it).</summary>
public interface ISurveyCategorySource
{
    /// <summary>
    /// The customers with MRR at <paramref name="start"/>, each in the group of their latest <paramref name="survey"/>
    /// answer before it, with their MRR at <paramref name="start"/> and at <paramref name="until"/>; and how many customers
    /// paying at <paramref name="start"/> had never answered (left out of every group); and the billing gap when the
    /// billing data ends well before <paramref name="until"/> (then a customer's MRR at the end is not known, and no
    /// split is to be shown: a churn of 0 would be made up from missing rows).
    /// </summary>
    (IReadOnlyList<CategoryMember> Members, int NotAnswered, DataGap? Gap) CategoryMembers(SurveyKind survey, DateTime start, DateTime until);
}
