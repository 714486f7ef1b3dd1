using GrowthBot.Formulas;
using static GrowthBot.Formulas.Tests.TestSupport;

namespace GrowthBot.Formulas.Tests;

public sealed class CustomerFormulasTests
{
    private static readonly DateTime From = Day(3, 1);
    private static readonly DateTime To = Day(4, 1);

    /// <summary>Facts with only the customer counts set, as a table row describes them.</summary>
    private static RevenueFacts Counts(
        long payingAtFrom, long payingAtTo, long newCustomers, long reactivations, long churns,
        long startChurned, long startPayingAtTo) => new()
        {
            PayingAtFrom = payingAtFrom,
            PayingAtTo = payingAtTo,
            NewCustomers = newCustomers,
            Reactivations = reactivations,
            Churns = churns,
            StartCustomersChurned = startChurned,
            StartCustomersPayingAtTo = startPayingAtTo,
        };

    // Rows: paying at from, paying at to, new, reactivations, churns, starting customers churned,
    //       starting customers paying at to → churn %, retention %, growth %.
    // 100 → 104: 8 new + 1 back − 5 churned (all starting): churn 5%, retention (104 − 9) / 100 = 95%, growth 4%.
    // 200 → 190: 0 new, 10 starting churned: churn 5%, retention 95%, growth −5%.
    // 10 → 10: 2 new, 1 of which churned again, 1 starting churned: churn 10%, retention 9 / 10 = 90%, growth 0%.
    //          (New 2 − churns 2 = 0; joiners at to = 10 − 9 = 1.)
    // 4 → 4: a starting customer churned and came back: churn 25%, retention 100% (the two overlap), growth 0%.
    // 3 → 0: everyone churned: churn 100%, retention 0%, growth −100%.
    // 5 → 5: quiet month: 0%, 100%, 0%.
    // 3 → 4: 1 new, 1 starting churned, 1 earlier churner back: churn 1/3, retention 2/3, growth 1/3.
    [Theory]
    [InlineData(100, 104, 8, 1, 5, 5, 95, 5.0, 95.0, 4.0)]
    [InlineData(200, 190, 0, 0, 10, 10, 190, 5.0, 95.0, -5.0)]
    [InlineData(10, 10, 2, 0, 2, 1, 9, 10.0, 90.0, 0.0)]
    [InlineData(4, 4, 0, 1, 1, 1, 4, 25.0, 100.0, 0.0)]
    [InlineData(3, 0, 0, 0, 3, 3, 0, 100.0, 0.0, -100.0)]
    [InlineData(5, 5, 0, 0, 0, 0, 5, 0.0, 100.0, 0.0)]
    [InlineData(3, 4, 1, 1, 1, 1, 2, 33.3333333333, 66.6666666667, 33.3333333333)]
    public void CustomerRates_WorkedExamples(
        long payingAtFrom, long payingAtTo, long newCustomers, long reactivations, long churns,
        long startChurned, long startPayingAtTo, double churnRate, double retentionRate, double growthRate)
    {
        var facts = Counts(payingAtFrom, payingAtTo, newCustomers, reactivations, churns, startChurned, startPayingAtTo);

        var churn = CustomerFormulas.ChurnRate(facts);
        var retention = CustomerFormulas.RetentionRate(facts);
        var growth = CustomerFormulas.GrowthRate(facts);

        AssertValue((decimal)churnRate, churn, 8);
        AssertParts(startChurned, payingAtFrom, payingAtFrom, churn);
        AssertValue((decimal)retentionRate, retention, 8);
        AssertParts(startPayingAtTo, payingAtFrom, payingAtFrom, retention);
        AssertValue((decimal)growthRate, growth, 8);
        AssertParts(payingAtTo - payingAtFrom, payingAtFrom, payingAtFrom, growth);
    }

    [Fact]
    public void ChurnRate_MidPeriodSignUpWhoChurns_IsNotCounted()
    {
        // a, b pay all month; c signs up Mar 5 and churns Mar 20.
        var log = new[]
        {
            Row("a", Day(1, 1), 100m), Row("b", Day(2, 1), 100m),
            Row("c", Day(3, 5), 100m), Row("c", Day(3, 20), 0m),
        };
        var facts = RevenueLedger.Facts(log, From, To);

        var churn = CustomerFormulas.ChurnRate(facts);

        Assert.Equal(0m, churn.Value);
        AssertParts(0m, 2m, 2, churn);
        Assert.Equal(100m, CustomerFormulas.RetentionRate(facts).Value);
        Assert.Equal(0m, CustomerFormulas.GrowthRate(facts).Value); // +1 new −1 churn
    }

    [Fact]
    public void ChurnRate_StartingCustomerBackByTheEnd_IsNotChurned_SoChurnPlusRetentionIsHundred()
    {
        // a pays all month; b churns Mar 10 and is back Mar 20: as ChartMogul counts, not churned.
        var log = new[]
        {
            Row("a", Day(1, 1), 100m),
            Row("b", Day(1, 1), 100m), Row("b", Day(3, 10), 0m), Row("b", Day(3, 20), 100m),
        };
        var facts = RevenueLedger.Facts(log, From, To);

        Assert.Equal(0m, CustomerFormulas.ChurnRate(facts).Value);
        Assert.Equal(100m, CustomerFormulas.RetentionRate(facts).Value);
        Assert.Equal(0m, CustomerFormulas.GrowthRate(facts).Value);
    }

    [Fact]
    public void RetentionRate_ReactivatedEarlierChurnerIsNotRetained()
    {
        // a, b pay at from; b churns; c (churned in February) comes back: 1 of 2 starting customers kept.
        var log = new[]
        {
            Row("a", Day(1, 1), 100m),
            Row("b", Day(1, 1), 100m), Row("b", Day(3, 10), 0m),
            Row("c", Day(1, 1), 100m), Row("c", Day(2, 1), 0m), Row("c", Day(3, 15), 100m),
        };
        var facts = RevenueLedger.Facts(log, From, To);

        var retention = CustomerFormulas.RetentionRate(facts);

        Assert.Equal(50m, retention.Value);
        AssertParts(1m, 2m, 2, retention);
        Assert.Equal(0m, CustomerFormulas.GrowthRate(facts).Value);
    }

    [Fact]
    public void CustomerRates_NoPayingCustomersAtFrom_AreUndefined()
    {
        var firstMonth = Counts(0, 3, 3, 0, 0, 0, 0);

        Assert.Null(CustomerFormulas.ChurnRate(firstMonth).Value);
        Assert.Null(CustomerFormulas.RetentionRate(firstMonth).Value);
        Assert.Null(CustomerFormulas.GrowthRate(firstMonth).Value);
        Assert.Equal(0, CustomerFormulas.GrowthRate(firstMonth).SampleSize);
        Assert.Null(CustomerFormulas.ChurnRate(RevenueFacts.Empty).Value);
        Assert.Null(CustomerFormulas.RetentionRate(RevenueFacts.Empty).Value);
        Assert.Null(CustomerFormulas.GrowthRate(RevenueFacts.Empty).Value);
    }
}
