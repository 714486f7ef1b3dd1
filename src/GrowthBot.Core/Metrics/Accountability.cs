namespace GrowthBot.Core.Metrics;

/// <summary>
/// Which teams answer for which metric: the catalog's defaults, overridden per metric by the
/// company's settings (e.g. <c>Metrics:Teams:ltv = ["Sales"]</c>).
/// </summary>
public sealed class Accountability
{
    private readonly Dictionary<MetricId, IReadOnlyList<Team>> _teams;

    public Accountability(IReadOnlyDictionary<MetricId, IReadOnlyList<Team>>? overrides = null)
    {
        _teams = MetricCatalog.All.ToDictionary(definition => definition.Id, definition => definition.DefaultTeams);
        foreach (var (metric, teams) in overrides ?? new Dictionary<MetricId, IReadOnlyList<Team>>())
        {
            _teams[metric] = teams;
        }
    }

    public IReadOnlyList<Team> TeamsFor(MetricId metric) => _teams[metric];

    /// <summary>The metrics a team is accountable for, in catalog order.</summary>
    public IReadOnlyList<MetricId> MetricsFor(Team team) =>
        MetricCatalog.All.Select(definition => definition.Id).Where(metric => _teams[metric].Contains(team)).ToList();
}
