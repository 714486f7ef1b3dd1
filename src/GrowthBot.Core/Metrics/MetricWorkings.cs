namespace GrowthBot.Core.Metrics;

/// <summary>How a term's number is shown.</summary>
public enum TermUnit
{
    Money,
    Count,
    Percent,
    Number,
}

/// <summary>One named number that went into a metric, e.g. "churned MRR" 250.</summary>
public sealed record MetricTerm(string Name, decimal Value, TermUnit Unit);

/// <summary>
/// The formula a metric was computed with, filled with the numbers that went in, so an
/// explanation shows what was computed rather than a textbook definition.
/// <see cref="Formula"/> names the terms as {0}, {1}, … in the order of <see cref="Terms"/>;
/// <see cref="Caveat"/> says why its figures may differ from a related metric's.
/// </summary>
public sealed record MetricWorkings(string Formula, IReadOnlyList<MetricTerm> Terms, string? Caveat = null);
