using GrowthBot.Formulas;

namespace GrowthBot.Core.Metrics;

/// <summary>How to split an answer.</summary>
public enum Breakdown
{
    None,
    Segment,
    Channel,
}

/// <summary>"Metric M over [From, To), optionally by segment or channel, compared with the previous period."</summary>
public sealed record MetricQuery(MetricId Metric, DateTime From, DateTime To, Breakdown By = Breakdown.None, bool ComparePrevious = false);

/// <summary>One group of a broken-down answer, e.g. segment "Enterprise".</summary>
public sealed record MetricGroup(string Name, MetricResult Result);

/// <summary>The engine's answer to a <see cref="MetricQuery"/>.</summary>
public sealed record MetricAnswer(
    MetricDefinition Metric,
    DateTime From,
    DateTime To,
    MetricResult Result,
    IReadOnlyList<MetricGroup>? Groups,
    MetricAnswer? Previous)
{
    /// <summary>The formula as it was computed, with its terms (see <see cref="MetricWorkings"/>).</summary>
    public MetricWorkings? Workings { get; init; }

    /// <summary>Set when the period runs past the end of the data the metric depends on.</summary>
    public DataGap? DataGap { get; init; }

    /// <summary>How old the data behind the answer is (set by whoever asked, from the sources' freshness; null when unknown).</summary>
    public Freshness.DataAge? Age { get; init; }

    /// <summary>What a reader needs to read the value right, in plain words (e.g. sign-ups left out).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
