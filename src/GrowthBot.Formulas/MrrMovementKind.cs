namespace GrowthBot.Formulas;

/// <summary>What one row of the subscriptions log did to a customer's MRR.</summary>
public enum MrrMovementKind : byte
{
    /// <summary>The MRR did not change (a repeated value, or 0 → 0).</summary>
    None = 0,
    /// <summary>0 → x for the first time: a new paying customer.</summary>
    New = 1,
    /// <summary>x → y with y &gt; x &gt; 0.</summary>
    Expansion = 2,
    /// <summary>x → y with x &gt; y &gt; 0.</summary>
    Contraction = 3,
    /// <summary>x → 0 with x &gt; 0.</summary>
    Churn = 4,
    /// <summary>0 → x after an earlier churn.</summary>
    Reactivation = 5,
}

/// <summary>Classifies rows of the subscriptions log into MRR movements.</summary>
public static class MrrMovements
{
    /// <summary>
    /// Classifies a change from <paramref name="previousMrr"/> to <paramref name="nextMrr"/>.
    /// <paramref name="hasPaidBefore"/> tells a reactivation (the customer paid at some earlier
    /// time and has since churned) from a new customer (never paid; a first row of 0, such as a
    /// free trial, does not count as paying).
    /// </summary>
    public static MrrMovementKind Classify(decimal previousMrr, decimal nextMrr, bool hasPaidBefore)
    {
        // Zero and below both mean "not paying" (the importer refuses negative MRR; this keeps the
        // classification total for any input).
        if (previousMrr == nextMrr || (previousMrr <= 0m && nextMrr <= 0m)) return MrrMovementKind.None;
        if (previousMrr <= 0m) return hasPaidBefore ? MrrMovementKind.Reactivation : MrrMovementKind.New;
        if (nextMrr <= 0m) return MrrMovementKind.Churn;
        return nextMrr > previousMrr ? MrrMovementKind.Expansion : MrrMovementKind.Contraction;
    }
}
