namespace GrowthBot.Core.Metrics.Index;

/// <summary>
/// What revenue answers are computed from: the built <see cref="RevenueIndex"/>, plus the
/// customers changed since it was built (<see cref="Changed"/>), whose old contribution is taken
/// away and new one added at answer time. Immutable: the engine publishes a new state after each
/// batch, so a reader never sees a half-applied one.
/// </summary>
internal sealed class RevenueState
{
    public static RevenueState Empty { get; } = new(RevenueIndex.Empty, new Dictionary<int, CustomerRevenue>(), null, 0);

    public RevenueState(RevenueIndex index, IReadOnlyDictionary<int, CustomerRevenue> changed, (int First, int Last)? billingSpan, int movementCount)
    {
        Index = index;
        Changed = changed;
        BillingSpan = billingSpan;
        MovementCount = movementCount;
    }

    public RevenueIndex Index { get; }

    /// <summary>Customers whose rows or cell changed since <see cref="Index"/> was built, by directory index.</summary>
    public IReadOnlyDictionary<int, CustomerRevenue> Changed { get; }

    /// <summary>The first and last moment of any subscription row.</summary>
    public (int First, int Last)? BillingSpan { get; }

    /// <summary>Deduplicated subscription rows, as a rebuilt index would count them.</summary>
    public int MovementCount { get; }

    /// <summary>A state over a freshly built index, with no changed customers.</summary>
    public static RevenueState Built(RevenueIndex index) =>
        new(index, new Dictionary<int, CustomerRevenue>(), index.MomentSpan, index.MovementCount);
}
