namespace GrowthBot.Formulas;

/// <summary>
/// The definition of <see cref="RevenueFacts"/>: a direct walk over a subscriptions log. It is
/// the reference the metric engine's fast index is held to, and fine for small logs.
/// </summary>
public static class RevenueLedger
{
    /// <summary>
    /// Computes the facts of <c>[from, to)</c> from every change in <paramref name="log"/> (any
    /// order, any number of customers; history before <c>from</c> is needed for the state at
    /// <c>from</c> and to tell new customers from returning ones).
    /// </summary>
    public static RevenueFacts Facts(IEnumerable<SubscriptionChange> log, DateTime from, DateTime to)
    {
        ArgumentNullException.ThrowIfNull(log);
        var total = RevenueFacts.Empty;
        foreach (var customer in log.GroupBy(change => change.CustomerId, StringComparer.Ordinal))
        {
            total += CustomerFacts(customer.OrderBy(change => change.At), from, to);
        }
        return total;
    }

    /// <summary>The facts of one customer's changes, given in date order.</summary>
    public static RevenueFacts CustomerFacts(IEnumerable<SubscriptionChange> changesInDateOrder, DateTime from, DateTime to)
    {
        ArgumentNullException.ThrowIfNull(changesInDateOrder);
        decimal mrr = 0m, mrrAtFrom = 0m;
        var hasPaid = false;
        long newCustomers = 0, expansions = 0, contractions = 0, churns = 0, reactivations = 0;
        decimal newMrr = 0m, expansionMrr = 0m, contractionMrr = 0m, churnedMrr = 0m, reactivationMrr = 0m;

        foreach (var change in changesInDateOrder)
        {
            if (change.At >= to) break;
            var kind = MrrMovements.Classify(mrr, change.Mrr, hasPaid);
            if (change.At >= from)
            {
                switch (kind)
                {
                    case MrrMovementKind.New: newCustomers++; newMrr += change.Mrr; break;
                    case MrrMovementKind.Expansion: expansions++; expansionMrr += change.Mrr - mrr; break;
                    case MrrMovementKind.Contraction: contractions++; contractionMrr += mrr - change.Mrr; break;
                    case MrrMovementKind.Churn: churns++; churnedMrr += mrr; break;
                    case MrrMovementKind.Reactivation: reactivations++; reactivationMrr += change.Mrr; break;
                    case MrrMovementKind.None: break;
                }
            }
            mrr = Math.Max(0m, change.Mrr);
            hasPaid |= mrr > 0m;
            if (change.At < from) mrrAtFrom = mrr;
        }

        var payingAtFrom = mrrAtFrom > 0m;
        var payingAtTo = mrr > 0m;
        return new RevenueFacts
        {
            PayingAtFrom = payingAtFrom ? 1 : 0,
            PayingAtTo = payingAtTo ? 1 : 0,
            MrrAtFrom = mrrAtFrom,
            MrrAtTo = mrr,
            NewCustomers = newCustomers,
            NewMrr = newMrr,
            Expansions = expansions,
            ExpansionMrr = expansionMrr,
            Contractions = contractions,
            ContractionMrr = contractionMrr,
            Churns = churns,
            ChurnedMrr = churnedMrr,
            Reactivations = reactivations,
            ReactivationMrr = reactivationMrr,
            BaseChurnedMrr = payingAtFrom && !payingAtTo ? mrrAtFrom : 0m,
            BaseContractionMrr = payingAtFrom && payingAtTo && mrr < mrrAtFrom ? mrrAtFrom - mrr : 0m,
            BaseExpansionMrr = payingAtFrom && mrr > mrrAtFrom ? mrr - mrrAtFrom : 0m,
            // As ChartMogul counts churn: a starting customer back by the end of the period is not churned.
            StartCustomersChurned = payingAtFrom && !payingAtTo ? 1 : 0,
            StartCustomersPayingAtTo = payingAtFrom && payingAtTo ? 1 : 0,
            StartCustomersMrrAtTo = payingAtFrom ? mrr : 0m,
        };
    }
}
