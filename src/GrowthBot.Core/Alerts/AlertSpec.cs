using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Alerts;

/// <summary>
/// An alert as read from what was typed, before it is given an id and a place. <see cref="PeriodText"/>
/// is the words besides the condition when they name a period (read again at every check); null for
/// the default 7 days.
/// </summary>
internal sealed record AlertSpec(MetricId Metric, AlertCondition Condition, decimal? Threshold, ChangeUnit Unit, Breakdown By, string? PeriodText);
