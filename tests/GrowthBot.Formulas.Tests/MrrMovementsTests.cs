using GrowthBot.Formulas;

namespace GrowthBot.Formulas.Tests;

public sealed class MrrMovementsTests
{
    public static TheoryData<decimal, decimal, bool, MrrMovementKind> Cases => new()
    {
        // previous, next, has paid before, movement
        { 0m, 100m, false, MrrMovementKind.New },
        { 0m, 0.01m, false, MrrMovementKind.New },
        { 0m, 100m, true, MrrMovementKind.Reactivation },
        { 0m, 25m, true, MrrMovementKind.Reactivation },
        { 100m, 150m, true, MrrMovementKind.Expansion },
        { 100m, 100.01m, true, MrrMovementKind.Expansion },
        { 150m, 100m, true, MrrMovementKind.Contraction },
        { 100m, 0.01m, true, MrrMovementKind.Contraction },
        { 100m, 0m, true, MrrMovementKind.Churn },
        { 0.01m, 0m, true, MrrMovementKind.Churn },
        { 100m, 100m, true, MrrMovementKind.None },
        { 100m, 100.00m, true, MrrMovementKind.None },
        { 0m, 0m, false, MrrMovementKind.None },
        { 0m, 0m, true, MrrMovementKind.None },
        // At or below zero is "not paying": between two such values there is no movement.
        { 0m, -10m, false, MrrMovementKind.None },
        { 0m, -10m, true, MrrMovementKind.None },
        { -10m, 0m, true, MrrMovementKind.None },
        { -10m, -5m, false, MrrMovementKind.None },
        { -10m, 30m, false, MrrMovementKind.New },
        { -10m, 30m, true, MrrMovementKind.Reactivation },
        { 50m, -5m, true, MrrMovementKind.Churn },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_Table(decimal previous, decimal next, bool hasPaidBefore, MrrMovementKind expected) =>
        Assert.Equal(expected, MrrMovements.Classify(previous, next, hasPaidBefore));

    [Fact]
    public void Classify_FirstRowZeroThenPaying_IsNew()
    {
        // A free trial: the first row (0 from nothing) is no movement and does not count as paying,
        // so the first paid row is a new customer.
        var trial = MrrMovements.Classify(0m, 0m, hasPaidBefore: false);
        var firstPayment = MrrMovements.Classify(0m, 49m, hasPaidBefore: false);

        Assert.Equal(MrrMovementKind.None, trial);
        Assert.Equal(MrrMovementKind.New, firstPayment);
    }

    [Fact]
    public void Classify_ZeroAfterChurnThenPaying_IsReactivation()
    {
        var churn = MrrMovements.Classify(80m, 0m, hasPaidBefore: true);
        var comeBack = MrrMovements.Classify(0m, 90m, hasPaidBefore: true);

        Assert.Equal(MrrMovementKind.Churn, churn);
        Assert.Equal(MrrMovementKind.Reactivation, comeBack);
    }

    [Fact]
    public void Classify_ZeroToNegative_IsNone()
    {
        Assert.Equal(MrrMovementKind.None, MrrMovements.Classify(0m, -10m, hasPaidBefore: false));
        Assert.Equal(MrrMovementKind.None, MrrMovements.Classify(0m, -10m, hasPaidBefore: true));
    }

    [Fact]
    public void Classify_PayingToNegative_IsChurn() =>
        Assert.Equal(MrrMovementKind.Churn, MrrMovements.Classify(50m, -5m, hasPaidBefore: true));
}
