using GrowthBot.Core.Data;

namespace GrowthBot.Core.FollowUps;

/// <summary>One earlier survey answer of a customer, as a follow-up post lists it.</summary>
public sealed record PastAnswer(SurveyKind Survey, int Score, DateTime RespondedAt);

/// <summary>
/// What a follow-up post says about a customer besides their answer: their segment, MRR and
/// sign-up date as the metric engine holds them at <c>asOf</c>, and their survey answers
/// before it, newest first. <see cref="Mrr"/> is null for a customer with no subscription rows,
/// <see cref="SignedUpAt"/> null for one the customers file has not described.
/// </summary>
public sealed record CustomerProfile(string CustomerId, string Segment, decimal? Mrr, DateTime? SignedUpAt, IReadOnlyList<PastAnswer> Answers);

/// <summary>Reads a customer's profile for a follow-up post (the metric engine answers it from its index).</summary>
public interface ICustomerProfiles
{
    /// <summary>The customer as known at <paramref name="asOf"/>, with at most <paramref name="maxAnswers"/> answers before it; null for an unknown id.</summary>
    CustomerProfile? Profile(string customerId, DateTime asOf, int maxAnswers);
}
