using GrowthBot.Core.Metrics;

namespace GrowthBot.Host.Hosting;

/// <summary>
/// Reads the company's changes to who is accountable for what, from <c>Metrics:Teams</c>:
/// <c>"Teams": { "ltv": ["Sales"], "fcr": "Service, Sales" }</c> (or <c>Metrics__Teams__ltv=Sales</c>).
/// Unknown metric or team names stop the start with the name that is wrong.
/// </summary>
internal static class AccountabilitySettings
{
    public const string SectionName = "Metrics:Teams";

    public static Accountability Read(IConfiguration configuration)
    {
        var overrides = new Dictionary<MetricId, IReadOnlyList<Team>>();
        foreach (var entry in configuration.GetSection(SectionName).GetChildren())
        {
            if (!MetricCatalog.TryFind(entry.Key, out var metric))
            {
                throw new InvalidOperationException($"{SectionName}:{entry.Key} names an unknown metric. Known metrics: {string.Join(" ", MetricCatalog.Names)}");
            }
            var names = entry.Value is { Length: > 0 } single
                ? single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : entry.GetChildren().Select(child => child.Value ?? string.Empty).ToArray();
            var teams = new List<Team>();
            foreach (var name in names)
            {
                if (!Enum.TryParse<Team>(name, ignoreCase: true, out var team) || !Enum.IsDefined(team) || int.TryParse(name, out _))
                {
                    throw new InvalidOperationException($"{SectionName}:{entry.Key} names an unknown team '{name}'. Teams: {string.Join(", ", Enum.GetNames<Team>())}");
                }
                teams.Add(team);
            }
            overrides[metric.Id] = teams;
        }
        return new Accountability(overrides);
    }
}
