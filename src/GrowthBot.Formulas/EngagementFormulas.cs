namespace GrowthBot.Formulas;

/// <summary>Service, purchase and product-adoption metrics from counts, in %.</summary>
public static class EngagementFormulas
{
    /// <summary>
    /// First-contact resolution = tickets resolved in the period with exactly one contact ÷
    /// tickets resolved in the period (by resolution date, wherever they were opened).
    /// </summary>
    public static MetricResult FirstContactResolution(long resolvedOnFirstContact, long resolved) =>
        MetricResult.Percent(resolvedOnFirstContact, resolved, resolved);

    /// <summary>
    /// Repeat purchase rate = returning buyers ÷ buyers: of the customers who ordered in the period,
    /// the share who had already ordered before it started ("came back to buy again"). Someone
    /// who bought in January and again in February is a repeat buyer for February; a first-time
    /// buyer who orders twice inside the period is not (yet).
    /// </summary>
    public static MetricResult RepeatPurchaseRate(long returningBuyers, long buyers) =>
        MetricResult.Percent(returningBuyers, buyers, buyers);

    /// <summary>
    /// Activation rate = customers who signed up in the period and activated within the
    /// activation window (e.g. 14 days after sign-up) ÷ customers who signed up in the period.
    /// Callers leave out sign-ups whose window has not closed yet: they have not had their chance.
    /// </summary>
    public static MetricResult ActivationRate(long activatedWithinWindow, long signedUp) =>
        MetricResult.Percent(activatedWithinWindow, signedUp, signedUp);

    /// <summary>True when an activation at <paramref name="activatedAt"/> falls within <paramref name="window"/> of sign-up.</summary>
    public static bool ActivatedWithin(DateTime signedUpAt, DateTime? activatedAt, TimeSpan window) =>
        activatedAt is { } at && at >= signedUpAt && at - signedUpAt <= window;
}
