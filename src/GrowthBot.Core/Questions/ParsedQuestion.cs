using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Questions;

/// <summary>What a question asks for.</summary>
public enum QuestionIntent
{
    /// <summary>The value of one or more metrics.</summary>
    Metrics,
    /// <summary>"How is churn calculated?"</summary>
    Definition,
    /// <summary>"Who owns CES?"</summary>
    Owners,
    /// <summary>"What can you answer?", "help", or nothing at all.</summary>
    Help,
    /// <summary>No metric could be found (and none carried over from the previous question).</summary>
    NotUnderstood,
}

/// <summary>The unit of a series of values.</summary>
public enum SeriesUnit
{
    None,
    Month,
    Week,
}

/// <summary>
/// A question as the parser understood it. <see cref="Period"/> is set for every metric question
/// (the current month so far when none was named, with <see cref="PeriodDefaulted"/>);
/// <see cref="Compare"/> is the period the change is measured against (the like-for-like previous
/// period unless another was named), null for a series. <see cref="UnknownWords"/> are words the
/// parser could not place; <see cref="Problem"/> says why a question that was read cannot be
/// answered as asked ("Q1 2026 hasn't started yet").
/// </summary>
public sealed record ParsedQuestion(
    QuestionIntent Intent,
    IReadOnlyList<MetricId> Metrics,
    QuestionPeriod? Period,
    QuestionPeriod? Compare,
    Breakdown By = Breakdown.None,
    SeriesUnit Series = SeriesUnit.None,
    bool Explain = false,
    bool PeriodDefaulted = false,
    bool IsFollowUp = false,
    IReadOnlyList<string>? UnknownWords = null,
    IReadOnlyList<string>? Notes = null,
    string? Problem = null)
{
    public IReadOnlyList<string> UnknownWordList => UnknownWords ?? [];

    public IReadOnlyList<string> NoteList => Notes ?? [];

    /// <summary>True when the question was read well enough to answer (including help and definitions).</summary>
    public bool Understood => Intent != QuestionIntent.NotUnderstood && Problem is null;
}
