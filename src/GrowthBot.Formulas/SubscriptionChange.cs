namespace GrowthBot.Formulas;

/// <summary>
/// One row of the subscriptions log: from <see cref="At"/> on, the customer's MRR is
/// <see cref="Mrr"/> (0 = not paying). Annual plans are expected normalised to MRR (price ÷ 12)
/// before they reach this log.
/// </summary>
public readonly record struct SubscriptionChange(string CustomerId, DateTime At, decimal Mrr);
