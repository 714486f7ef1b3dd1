namespace GrowthBot.Core.Metrics;

/// <summary>What a person (or the parser) needs to know about a metric besides its value.</summary>
/// <param name="Id">The metric.</param>
/// <param name="Name">Its command-line and JSON name, e.g. <c>customer-churn</c>.</param>
/// <param name="Title">How it is shown to people, e.g. "Customer churn rate".</param>
/// <param name="Unit">How its value is read.</param>
/// <param name="Direction">Whether up is good.</param>
/// <param name="Definition">One sentence on how it is calculated.</param>
/// <param name="DefaultTeams">The teams accountable for it unless the company says otherwise.</param>
public sealed record MetricDefinition(
    MetricId Id,
    string Name,
    string Title,
    MetricUnit Unit,
    Direction Direction,
    string Definition,
    IReadOnlyList<Team> DefaultTeams)
{
    /// <summary>Survey scores have a sampling error; a change smaller than it may be noise.</summary>
    public bool IsSurveyScore => Id is MetricId.Nps or MetricId.Csat or MetricId.Ces;
}
