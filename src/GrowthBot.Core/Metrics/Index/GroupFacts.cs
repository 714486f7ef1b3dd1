using GrowthBot.Core.Data;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Metrics.Index;

/// <summary>
/// The additive facts of one group (the whole company, a segment, a channel) for one period,
/// gathered from the indexes; the formulas turn them into metrics. Only the sources a metric
/// needs are filled in.
/// </summary>
internal sealed class GroupFacts
{
    public RevenueFacts Revenue { get; set; } = RevenueFacts.Empty;
    public long[] NpsTally { get; } = new long[SurveyFormulas.NpsMax + 1];
    public long[] CsatTally { get; } = new long[SurveyFormulas.CsatMax + 1];
    public long[] CesTally { get; } = new long[SurveyFormulas.CesMax + 1];
    public long AcquisitionSpend { get; set; }
    public long CustomersWithOrders { get; set; }
    /// <summary>Customers with an order in the period who had ordered before it started.</summary>
    public long ReturningBuyers { get; set; }
    public long TicketsResolved { get; set; }
    public long TicketsResolvedOnFirstContact { get; set; }
    /// <summary>Sign-ups in the period whose activation window has closed.</summary>
    public long SignedUp { get; set; }
    public long Activated { get; set; }
    /// <summary>Sign-ups in the period still inside their activation window: in neither count.</summary>
    public long SignupsStillInWindow { get; set; }

    /// <summary>The tally of <paramref name="kind"/>'s scores (CES for a kind this build does not know, as the scan always did).</summary>
    public long[] TallyOf(SurveyKind kind) => kind switch
    {
        SurveyKind.Nps => NpsTally,
        SurveyKind.Csat => CsatTally,
        _ => CesTally,
    };

    public void Add(GroupFacts other)
    {
        Revenue += other.Revenue;
        AddTally(NpsTally, other.NpsTally);
        AddTally(CsatTally, other.CsatTally);
        AddTally(CesTally, other.CesTally);
        AcquisitionSpend += other.AcquisitionSpend;
        CustomersWithOrders += other.CustomersWithOrders;
        ReturningBuyers += other.ReturningBuyers;
        TicketsResolved += other.TicketsResolved;
        TicketsResolvedOnFirstContact += other.TicketsResolvedOnFirstContact;
        SignedUp += other.SignedUp;
        Activated += other.Activated;
        SignupsStillInWindow += other.SignupsStillInWindow;
    }

    private static void AddTally(long[] into, long[] from)
    {
        for (var i = 0; i < into.Length; i++) into[i] += from[i];
    }
}

/// <summary>The data sources a metric is computed from; the engine scans only those.</summary>
[Flags]
internal enum FactSources
{
    None = 0,
    /// <summary>States at both ends and movement totals (day sums, no scan).</summary>
    RevenueFlow = 1,
    Surveys = 2,
    Spend = 4,
    Orders = 8,
    Tickets = 16,
    Signups = 32,
    /// <summary>Also the starting-base facts (churned starting customers, their MRR at the end): a scan of the period.</summary>
    RevenueCohort = 64,
}
