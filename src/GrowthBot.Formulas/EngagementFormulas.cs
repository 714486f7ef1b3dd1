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
    /// Repeat purchase rate = customers with two or more orders in the period ÷ customers with at
    /// least one order in the period (only orders inside the period count).
    /// </summary>
    public static MetricResult RepeatPurchaseRate(long customersWithRepeatOrders, long customersWithOrders) =>
        MetricResult.Percent(customersWithRepeatOrders, customersWithOrders, customersWithOrders);

    /// <summary>
    /// Activation rate = customers who signed up in the period and activated within the
    /// activation window (e.g. 14 days after sign-up) ÷ customers who signed up in the period.
    /// A recent sign-up still inside the window counts as not (yet) activated.
    /// </summary>
    public static MetricResult ActivationRate(long activatedWithinWindow, long signedUp) =>
        MetricResult.Percent(activatedWithinWindow, signedUp, signedUp);

    /// <summary>True when an activation at <paramref name="activatedAt"/> falls within <paramref name="window"/> of sign-up.</summary>
    public static bool ActivatedWithin(DateTime signedUpAt, DateTime? activatedAt, TimeSpan window) =>
        activatedAt is { } at && at >= signedUpAt && at - signedUpAt <= window;
}
