using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Questions;

/// <summary>
/// One metric's part of an answer: the engine's answer for the whole period (with the comparison
/// period as <see cref="MetricAnswer.Previous"/>), the steps of a series if one was asked for, or
/// why it could not be answered (<see cref="Error"/>, e.g. "CAC can't be split by segment").
/// </summary>
public sealed record MetricReply(MetricDefinition Metric, MetricAnswer? Answer, IReadOnlyList<MetricAnswer>? Series, string? Error);

/// <summary>The reply to a question: what a person sees, and the numbers behind it for the command line's JSON.</summary>
public sealed record QuestionReply(ParsedQuestion Question, ChatMessage Message, IReadOnlyList<MetricReply> Answers);
