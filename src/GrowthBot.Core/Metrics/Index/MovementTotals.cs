using GrowthBot.Formulas;

namespace GrowthBot.Core.Metrics.Index;

/// <summary>Counts and MRR (in engine money units) of each kind of movement, summed over some span of time.</summary>
internal struct MovementTotals
{
    public long NewCount;
    public long NewMrr;
    public long ExpansionCount;
    public long ExpansionMrr;
    public long ContractionCount;
    public long ContractionMrr;
    public long ChurnCount;
    public long ChurnMrr;
    public long ReactivationCount;
    public long ReactivationMrr;

    public void Add(MrrMovementKind kind, long previous, long next)
    {
        switch (kind)
        {
            case MrrMovementKind.New: NewCount++; NewMrr += next; break;
            case MrrMovementKind.Expansion: ExpansionCount++; ExpansionMrr += next - previous; break;
            case MrrMovementKind.Contraction: ContractionCount++; ContractionMrr += previous - next; break;
            case MrrMovementKind.Churn: ChurnCount++; ChurnMrr += previous; break;
            case MrrMovementKind.Reactivation: ReactivationCount++; ReactivationMrr += next; break;
            case MrrMovementKind.None: break;
        }
    }

    public static MovementTotals operator -(MovementTotals left, MovementTotals right) => new()
    {
        NewCount = left.NewCount - right.NewCount,
        NewMrr = left.NewMrr - right.NewMrr,
        ExpansionCount = left.ExpansionCount - right.ExpansionCount,
        ExpansionMrr = left.ExpansionMrr - right.ExpansionMrr,
        ContractionCount = left.ContractionCount - right.ContractionCount,
        ContractionMrr = left.ContractionMrr - right.ContractionMrr,
        ChurnCount = left.ChurnCount - right.ChurnCount,
        ChurnMrr = left.ChurnMrr - right.ChurnMrr,
        ReactivationCount = left.ReactivationCount - right.ReactivationCount,
        ReactivationMrr = left.ReactivationMrr - right.ReactivationMrr,
    };

    public readonly MovementTotals Plus(MovementTotals other) => new()
    {
        NewCount = NewCount + other.NewCount,
        NewMrr = NewMrr + other.NewMrr,
        ExpansionCount = ExpansionCount + other.ExpansionCount,
        ExpansionMrr = ExpansionMrr + other.ExpansionMrr,
        ContractionCount = ContractionCount + other.ContractionCount,
        ContractionMrr = ContractionMrr + other.ContractionMrr,
        ChurnCount = ChurnCount + other.ChurnCount,
        ChurnMrr = ChurnMrr + other.ChurnMrr,
        ReactivationCount = ReactivationCount + other.ReactivationCount,
        ReactivationMrr = ReactivationMrr + other.ReactivationMrr,
    };

    public static MovementTotals Subtract(MovementTotals left, MovementTotals right) => left - right;
}
