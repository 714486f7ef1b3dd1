namespace GrowthBot.Core.Questions;

/// <summary>
/// A period found in a question: words <c>[Start, Start + Length)</c> named <see cref="Period"/>.
/// <see cref="SeriesHint"/> marks "over the last 6 months", which asks for a series; <see cref="Since"/>
/// marks "since March", which runs to now without being called "so far".
/// </summary>
internal sealed record PeriodMatch(int Start, int Length, LocalPeriod Period, bool SeriesHint = false, bool Since = false, string? Problem = null);
