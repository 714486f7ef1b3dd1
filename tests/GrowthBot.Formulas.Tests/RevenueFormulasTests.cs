using GrowthBot.Formulas;
using static GrowthBot.Formulas.Tests.TestSupport;

namespace GrowthBot.Formulas.Tests;

public sealed class RevenueFormulasTests
{
    /// <summary>
    /// A typical month: 100 customers paying 10 000 at from. 8 new (800), 6 expansions (+600),
    /// 3 contractions (−200), 5 starting customers churn (−900), 1 earlier churner returns (200).
    /// At to: 104 customers (100 + 8 + 1 − 5), 10 500 (10 000 + 800 + 600 + 200 − 200 − 900).
    /// Starting customers at to: 95 paying 9 500 (10 000 + 600 − 200 − 900).
    /// The expansions, contractions and churns are all starting customers', each moving once, so judged
    /// start against end the base's sums equal the flow's (base churned 900, contraction 200, expansion
    /// 600); the returner churned before the period and is not in the base.
    /// </summary>
    private static readonly RevenueFacts Typical = new()
    {
        PayingAtFrom = 100,
        PayingAtTo = 104,
        MrrAtFrom = 10_000m,
        MrrAtTo = 10_500m,
        NewCustomers = 8,
        NewMrr = 800m,
        Expansions = 6,
        ExpansionMrr = 600m,
        Contractions = 3,
        ContractionMrr = 200m,
        Churns = 5,
        ChurnedMrr = 900m,
        Reactivations = 1,
        ReactivationMrr = 200m,
        BaseChurnedMrr = 900m,
        BaseContractionMrr = 200m,
        BaseExpansionMrr = 600m,
        StartCustomersChurned = 5,
        StartCustomersPayingAtTo = 95,
        StartCustomersMrrAtTo = 9_500m,
    };

    /// <summary>
    /// Negative churn: 50 customers paying 5 000; 4 expansions (+700) outgrow 2 contractions (−100)
    /// and 3 churns (−300). No sign-ups and no returns, and each customer moves once, so the starting
    /// base judged start against end has the same sums. At to: 47 customers paying 5 300.
    /// </summary>
    private static readonly RevenueFacts NegativeChurn = new()
    {
        PayingAtFrom = 50,
        PayingAtTo = 47,
        MrrAtFrom = 5_000m,
        MrrAtTo = 5_300m,
        Expansions = 4,
        ExpansionMrr = 700m,
        Contractions = 2,
        ContractionMrr = 100m,
        Churns = 3,
        ChurnedMrr = 300m,
        BaseChurnedMrr = 300m,
        BaseContractionMrr = 100m,
        BaseExpansionMrr = 700m,
        StartCustomersChurned = 3,
        StartCustomersPayingAtTo = 47,
        StartCustomersMrrAtTo = 5_300m,
    };

    /// <summary>A company's first month: nothing at from, 3 sign-ups paying 300 at to.</summary>
    private static readonly RevenueFacts FirstMonth = new()
    {
        PayingAtTo = 3,
        MrrAtTo = 300m,
        NewCustomers = 3,
        NewMrr = 300m,
    };

    private static RevenueFacts Example(string name) => name switch
    {
        "typical" => Typical,
        "negative churn" => NegativeChurn,
        "first month" => FirstMonth,
        "empty" => RevenueFacts.Empty,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown example"),
    };

    public static TheoryData<string> Examples => new() { "typical", "negative churn", "first month", "empty" };

    [Theory]
    [InlineData("typical", 10_500.0, 104)]
    [InlineData("negative churn", 5_300.0, 47)]
    [InlineData("first month", 300.0, 3)]
    [InlineData("empty", 0.0, 0)]
    public void Mrr_IsMrrAtTo(string example, double mrr, long paying)
    {
        var result = RevenueFormulas.Mrr(Example(example));

        Assert.Equal((decimal)mrr, result.Value);
        AssertParts((decimal)mrr, null, paying, result);
    }

    [Theory]
    [InlineData("typical", 100.961538461538, 10_500.0, 104)] // 10 500 / 104
    [InlineData("negative churn", 112.765957446809, 5_300.0, 47)] // 5 300 / 47
    [InlineData("first month", 100.0, 300.0, 3)]
    public void Arpa_IsMrrPerPayingCustomerAtTo(string example, double arpa, double mrr, long paying)
    {
        var result = RevenueFormulas.Arpa(Example(example));

        AssertValue((decimal)arpa, result, 9);
        AssertParts((decimal)mrr, paying, paying, result);
    }

    [Fact]
    public void Arpa_NoPayingCustomers_IsUndefined()
    {
        var result = RevenueFormulas.Arpa(RevenueFacts.Empty);

        Assert.Null(result.Value);
        Assert.Equal(0, result.SampleSize);
    }

    [Fact]
    public void Arpa_AllChurned_IsUndefined()
    {
        var allGone = new RevenueFacts { PayingAtFrom = 2, MrrAtFrom = 200m, Churns = 2, ChurnedMrr = 200m, StartCustomersChurned = 2 };

        Assert.Null(RevenueFormulas.Arpa(allGone).Value);
    }

    // Starting base's (churned + contraction) / MRR at from: typical (900 + 200) / 10 000 = 11%;
    // negative churn (300 + 100) / 5 000 = 8%.
    [Theory]
    [InlineData("typical", 11.0, 1_100.0, 10_000.0, 100)]
    [InlineData("negative churn", 8.0, 400.0, 5_000.0, 50)]
    public void GrossRevenueChurn_IsLostMrrOverMrrAtFrom(string example, double rate, double lost, double mrrAtFrom, long paying)
    {
        var result = RevenueFormulas.GrossRevenueChurn(Example(example));

        AssertValue((decimal)rate, result);
        AssertParts((decimal)lost, (decimal)mrrAtFrom, paying, result);
    }

    // Starting base's (churned + contraction − expansion) / MRR at from:
    // typical (900 + 200 − 600) / 10 000 = 5% (the earlier churner's 200 is not the base's);
    // negative churn (300 + 100 − 700) / 5 000 = −6%.
    [Theory]
    [InlineData("typical", 5.0, 500.0, 10_000.0, 100)]
    [InlineData("negative churn", -6.0, -300.0, 5_000.0, 50)]
    public void NetRevenueChurn_IsNetLostMrrOverMrrAtFrom(string example, double rate, double netLost, double mrrAtFrom, long paying)
    {
        var result = RevenueFormulas.NetRevenueChurn(Example(example));

        AssertValue((decimal)rate, result);
        AssertParts((decimal)netLost, (decimal)mrrAtFrom, paying, result);
    }

    [Fact]
    public void NetRevenueChurn_ExpansionOutgrowsLosses_IsNegative()
    {
        var result = RevenueFormulas.NetRevenueChurn(NegativeChurn);

        Assert.True(result.Value < 0m);
        Assert.Equal(-6m, result.Value);
    }

    [Fact]
    public void RevenueChurn_StartingCustomerWhoReturnsAtTheSameMrr_IsNoRevenueChurn()
    {
        // 1 000 at from over 10; a starting customer paying 100 churns and comes back at 100. Judged start
        // against end they lost nothing: no Base* sums, gross and net revenue churn 0%, GRR and NRR 100%.
        // The flow still has the churn and the reactivation; customer churn does not count a customer back by the end: 0 of 10.
        var facts = new RevenueFacts
        {
            PayingAtFrom = 10, PayingAtTo = 10, MrrAtFrom = 1_000m, MrrAtTo = 1_000m,
            Churns = 1, ChurnedMrr = 100m, Reactivations = 1, ReactivationMrr = 100m,
            StartCustomersPayingAtTo = 10, StartCustomersMrrAtTo = 1_000m,
        };

        Assert.Equal(0m, RevenueFormulas.NetRevenueChurn(facts).Value);
        Assert.Equal(0m, RevenueFormulas.GrossRevenueChurn(facts).Value);
        Assert.Equal(100m, RevenueFormulas.GrossRevenueRetention(facts).Value);
        Assert.Equal(100m, RevenueFormulas.NetRevenueRetention(facts).Value);
        Assert.Equal(0m, CustomerFormulas.ChurnRate(facts).Value);
        // The same month from the ledger: 9 steady customers and the one who leaves and returns.
        var log = Enumerable.Range(0, 9).Select(i => Row($"s{i}", Day(1, 1), 100m))
            .Concat([Row("a", Day(1, 1), 100m), Row("a", Day(3, 10), 0m), Row("a", Day(3, 20), 100m)]);
        Assert.Equal(facts, RevenueLedger.Facts(log, Day(3, 1), Day(4, 1)));
    }

    // NRR: typical (10 000 − 500) / 10 000 = 95% = 9 500 kept by the starting base;
    // negative churn (5 000 + 300) / 5 000 = 106%.
    [Theory]
    [InlineData("typical", 95.0, 9_500.0, 10_000.0, 100)]
    [InlineData("negative churn", 106.0, 5_300.0, 5_000.0, 50)]
    public void NetRevenueRetention_IsKeptMrrNetOfMovementsOverMrrAtFrom(string example, double rate, double kept, double mrrAtFrom, long paying)
    {
        var result = RevenueFormulas.NetRevenueRetention(Example(example));

        AssertValue((decimal)rate, result);
        AssertParts((decimal)kept, (decimal)mrrAtFrom, paying, result);
    }

    // GRR over the starting base: typical (10 000 − 900 − 200) / 10 000 = 89%;
    // negative churn (5 000 − 300 − 100) / 5 000 = 92%.
    [Theory]
    [InlineData("typical", 89.0, 8_900.0, 10_000.0, 100)]
    [InlineData("negative churn", 92.0, 4_600.0, 5_000.0, 50)]
    public void GrossRevenueRetention_IsMrrKeptBeforeGainsOverMrrAtFrom(string example, double rate, double kept, double mrrAtFrom, long paying)
    {
        var result = RevenueFormulas.GrossRevenueRetention(Example(example));

        AssertValue((decimal)rate, result);
        AssertParts((decimal)kept, (decimal)mrrAtFrom, paying, result);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Retention_IsHundredMinusChurn(string example)
    {
        var facts = Example(example);

        Assert.Equal(100m - RevenueFormulas.NetRevenueChurn(facts).Value, RevenueFormulas.NetRevenueRetention(facts).Value);
        Assert.Equal(100m - RevenueFormulas.GrossRevenueChurn(facts).Value, RevenueFormulas.GrossRevenueRetention(facts).Value);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void NetRevenueRetention_IsHundredPlusExistingCustomerRevenueGrowth(string example)
    {
        var facts = Example(example);

        var growth = RevenueFormulas.ExistingCustomerRevenueGrowth(facts).Value;

        Assert.Equal(100m + growth, RevenueFormulas.NetRevenueRetention(facts).Value);
        Assert.Equal(-growth, RevenueFormulas.NetRevenueChurn(facts).Value);
    }

    [Fact]
    public void RevenueChurnAndRetention_ReadOnlyTheStartingBaseMovements()
    {
        // 1 000 at from. The flow has 5 000 churned, 1 000 contracted, 3 000 expanded, 2 000 reactivated
        // (mostly by mid-period sign-ups and earlier churners); the starting base, start against end, only
        // 100 churned / 50 contraction / 30 expansion, so it ends at 1 000 − 100 − 50 + 30 = 880.
        var facts = new RevenueFacts
        {
            PayingAtFrom = 10, MrrAtFrom = 1_000m,
            ChurnedMrr = 5_000m, ContractionMrr = 1_000m, ExpansionMrr = 3_000m, ReactivationMrr = 2_000m,
            BaseChurnedMrr = 100m, BaseContractionMrr = 50m, BaseExpansionMrr = 30m,
            StartCustomersMrrAtTo = 880m,
        };

        // Gross (100 + 50) / 1 000 = 15%, GRR 85%; net (100 + 50 − 30) / 1 000 = 12%, NRR 88%;
        // the flow's reactivations are no part of either.
        Assert.Equal(15m, RevenueFormulas.GrossRevenueChurn(facts).Value);
        Assert.Equal(85m, RevenueFormulas.GrossRevenueRetention(facts).Value);
        Assert.Equal(12m, RevenueFormulas.NetRevenueChurn(facts).Value);
        Assert.Equal(88m, RevenueFormulas.NetRevenueRetention(facts).Value);
        AssertParts(880m, 1_000m, 10, RevenueFormulas.NetRevenueRetention(facts));
        Assert.Equal(-12m, RevenueFormulas.ExistingCustomerRevenueGrowth(facts).Value);
    }

    [Fact]
    public void FlowMetrics_IgnoreTheStartingBaseSums()
    {
        // Quick ratio, revenue growth and expansion revenue keep every customer's movements: setting
        // Base* sums changes none of them.
        var withoutBase = Typical with
        {
            BaseChurnedMrr = 0m, BaseContractionMrr = 0m, BaseExpansionMrr = 0m,
        };

        Assert.Equal(RevenueFormulas.QuickRatio(Typical), RevenueFormulas.QuickRatio(withoutBase));
        Assert.Equal(RevenueFormulas.RevenueGrowth(Typical), RevenueFormulas.RevenueGrowth(withoutBase));
        Assert.Equal(RevenueFormulas.ExpansionRevenue(Typical), RevenueFormulas.ExpansionRevenue(withoutBase));
        Assert.Equal(RevenueFormulas.ExistingCustomerRevenueGrowth(Typical), RevenueFormulas.ExistingCustomerRevenueGrowth(withoutBase));
    }

    // (starting customers' MRR at to − MRR at from) / MRR at from:
    // typical (9 500 − 10 000) / 10 000 = −5% = NRR 95% − 100% (the 800 of sign-ups and 200 of the returner do not count);
    // negative churn (5 300 − 5 000) / 5 000 = 6%.
    [Theory]
    [InlineData("typical", -5.0, -500.0, 10_000.0, 100)]
    [InlineData("negative churn", 6.0, 300.0, 5_000.0, 50)]
    public void ExistingCustomerRevenueGrowth_IgnoresSignUps(string example, double rate, double growth, double mrrAtFrom, long paying)
    {
        var result = RevenueFormulas.ExistingCustomerRevenueGrowth(Example(example));

        AssertValue((decimal)rate, result);
        AssertParts((decimal)growth, (decimal)mrrAtFrom, paying, result);
    }

    [Theory]
    [InlineData("typical", 600.0, 6)]
    [InlineData("negative churn", 700.0, 4)]
    [InlineData("first month", 0.0, 0)]
    [InlineData("empty", 0.0, 0)]
    public void ExpansionRevenue_IsExpansionMrr(string example, double expansion, long expansions)
    {
        var result = RevenueFormulas.ExpansionRevenue(Example(example));

        Assert.Equal((decimal)expansion, result.Value);
        AssertParts((decimal)expansion, null, expansions, result);
    }

    // (new + expansion + reactivation) / (churned + contraction):
    // typical (800 + 600 + 200) / (900 + 200) = 1 600 / 1 100 = 1.4545…, from 8 + 6 + 1 + 5 + 3 = 23 movements;
    // negative churn 700 / 400 = 1.75, from 4 + 3 + 2 = 9 movements.
    [Theory]
    [InlineData("typical", 1.454545454545, 1_600.0, 1_100.0, 23)]
    [InlineData("negative churn", 1.75, 700.0, 400.0, 9)]
    public void QuickRatio_IsGainedOverLostMrr(string example, double ratio, double gained, double lost, long movements)
    {
        var result = RevenueFormulas.QuickRatio(Example(example));

        AssertValue((decimal)ratio, result, 10);
        AssertParts((decimal)gained, (decimal)lost, movements, result);
    }

    [Fact]
    public void QuickRatio_NothingLost_IsUndefined()
    {
        var result = RevenueFormulas.QuickRatio(FirstMonth);

        Assert.Null(result.Value);
        AssertParts(300m, 0m, 3, result);
    }

    // (new + expansion + reactivation − contraction − churned) / MRR at from:
    // typical (800 + 600 + 200 − 200 − 900) / 10 000 = 5%; negative churn (700 − 100 − 300) / 5 000 = 6%.
    [Theory]
    [InlineData("typical", 5.0, 500.0, 10_000.0, 100)]
    [InlineData("negative churn", 6.0, 300.0, 5_000.0, 50)]
    public void RevenueGrowth_IsNetNewMrrOverMrrAtFrom(string example, double rate, double net, double mrrAtFrom, long paying)
    {
        var result = RevenueFormulas.RevenueGrowth(Example(example));

        AssertValue((decimal)rate, result);
        AssertParts((decimal)net, (decimal)mrrAtFrom, paying, result);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void RevenueGrowth_NumeratorIsMrrAtToMinusMrrAtFrom(string example)
    {
        var facts = Example(example);

        Assert.Equal(facts.MrrAtTo - facts.MrrAtFrom, RevenueFormulas.RevenueGrowth(facts).Numerator);
    }

    [Theory]
    [InlineData("first month")]
    [InlineData("empty")]
    public void RatesOverMrrAtFrom_NoMrrAtFrom_AreUndefined(string example)
    {
        var facts = Example(example);

        Assert.Null(RevenueFormulas.GrossRevenueChurn(facts).Value);
        Assert.Null(RevenueFormulas.NetRevenueChurn(facts).Value);
        Assert.Null(RevenueFormulas.NetRevenueRetention(facts).Value);
        Assert.Null(RevenueFormulas.GrossRevenueRetention(facts).Value);
        Assert.Null(RevenueFormulas.ExistingCustomerRevenueGrowth(facts).Value);
        Assert.Null(RevenueFormulas.RevenueGrowth(facts).Value);
        Assert.Equal(0m, RevenueFormulas.GrossRevenueChurn(facts).Denominator);
        Assert.Equal(0, RevenueFormulas.GrossRevenueChurn(facts).SampleSize);
    }

    [Fact]
    public void Empty_ArpaAndQuickRatioAreUndefined()
    {
        Assert.Null(RevenueFormulas.Arpa(RevenueFacts.Empty).Value);
        Assert.Null(RevenueFormulas.QuickRatio(RevenueFacts.Empty).Value);
    }

    /// <summary>Starting customer a pays 100 all month; b signs up at 1 000 on Mar 5 and leaves Mar 20.</summary>
    private static readonly SubscriptionChange[] SignUpChurnsLog =
        [Row("a", Day(1, 1), 100m), Row("b", Day(3, 5), 1_000m), Row("b", Day(3, 20), 0m)];

    /// <summary>a (100) leaves Mar 10; b signs up at 1 000 on Mar 5 and leaves Mar 20.</summary>
    private static readonly SubscriptionChange[] BaseAndSignUpChurnLog =
    [
        Row("a", Day(1, 1), 100m), Row("a", Day(3, 10), 0m),
        Row("b", Day(3, 5), 1_000m), Row("b", Day(3, 20), 0m),
    ];

    /// <summary>Starting customer a pays 100 all month; b signs up at 50 on Mar 5 and expands to 550 on Mar 20.</summary>
    private static readonly SubscriptionChange[] SignUpExpandsLog =
        [Row("a", Day(1, 1), 100m), Row("b", Day(3, 5), 50m), Row("b", Day(3, 20), 550m)];

    /// <summary>a pays 100 all month; b paid 80 in January, left Feb 1, and is back at 300 on Mar 10.</summary>
    private static readonly SubscriptionChange[] EarlierChurnerReturnsLog =
    [
        Row("a", Day(1, 1), 100m),
        Row("b", Day(1, 1), 80m), Row("b", Day(2, 1), 0m), Row("b", Day(3, 10), 300m),
    ];

    /// <summary>The hand-worked logs of these specs, each over March 2025.</summary>
    internal static IEnumerable<(string Name, SubscriptionChange[] Log)> Logs =>
    [
        ("mid-period sign-up churns", SignUpChurnsLog),
        ("starting customer and mid-period sign-up both churn", BaseAndSignUpChurnLog),
        ("mid-period sign-up expands", SignUpExpandsLog),
        ("customer who churned before the period returns", EarlierChurnerReturnsLog),
    ];

    [Fact]
    public void GrossRevenueRetention_MidPeriodSignUpWhoChurns_DoesNotCountAgainstStartingBase()
    {
        // b's 1 000 was never part of the 100 at from: the starting base (a, 100 → 100) lost nothing.
        var facts = RevenueLedger.Facts(SignUpChurnsLog, Day(3, 1), Day(4, 1));

        Assert.Equal(100m, RevenueFormulas.GrossRevenueRetention(facts).Value);
        Assert.Equal(0m, RevenueFormulas.GrossRevenueChurn(facts).Value);
        // The flow still sees b: one churn of 1 000 in the quick ratio, (1 000 − 1 000) / 100 = 0% revenue growth.
        AssertParts(1_000m, 1_000m, 2, RevenueFormulas.QuickRatio(facts));
        Assert.Equal(0m, RevenueFormulas.RevenueGrowth(facts).Value);
    }

    [Fact]
    public void GrossRevenueRetention_MidPeriodSignUpWhoChurns_IsNeverBelowZero()
    {
        // The whole starting base goes: a 100 → 0 is churned 100. b is not in the base.
        // Over the flow GRR would be (100 − 1 100) / 100 = −1 000%; over the starting base it is (100 − 100) / 100 = 0%.
        var facts = RevenueLedger.Facts(BaseAndSignUpChurnLog, Day(3, 1), Day(4, 1));

        Assert.Equal(1_100m, facts.ChurnedMrr);
        Assert.Equal(100m, facts.BaseChurnedMrr);
        var grr = RevenueFormulas.GrossRevenueRetention(facts);
        Assert.Equal(0m, grr.Value);
        AssertParts(0m, 100m, 1, grr);
        Assert.Equal(100m, RevenueFormulas.GrossRevenueChurn(facts).Value);
        Assert.InRange(grr.Value!.Value, 0m, 100m);
    }

    [Fact]
    public void NetRevenueRetention_MidPeriodSignUpWhoExpands_DoesNotCountTowardsStartingBase()
    {
        // The starting base (a, 100 → 100) kept exactly 100%; b's +500 is expansion revenue of the month
        // but not the base's.
        var facts = RevenueLedger.Facts(SignUpExpandsLog, Day(3, 1), Day(4, 1));

        Assert.Equal(0m, RevenueFormulas.ExistingCustomerRevenueGrowth(facts).Value);
        Assert.Equal(100m, RevenueFormulas.NetRevenueRetention(facts).Value);
        Assert.Equal(0m, RevenueFormulas.NetRevenueChurn(facts).Value);
        Assert.Equal(500m, RevenueFormulas.ExpansionRevenue(facts).Value);
    }

    [Fact]
    public void NetRevenueRetention_ReturnOfCustomerWhoChurnedBeforeThePeriod_DoesNotCountTowardsStartingBase()
    {
        // b was not paying at from, so the starting base is a alone, 100 → 100: no Base* sums.
        // NRR stays 100% = 100% + 0% existing growth; the reactivation is still in the flow (revenue growth 300%).
        var facts = RevenueLedger.Facts(EarlierChurnerReturnsLog, Day(3, 1), Day(4, 1));

        Assert.Equal(300m, facts.ReactivationMrr);
        Assert.Equal(0m, facts.BaseChurnedMrr);
        Assert.Equal(0m, facts.BaseContractionMrr);
        Assert.Equal(0m, facts.BaseExpansionMrr);
        Assert.Equal(100m, RevenueFormulas.NetRevenueRetention(facts).Value);
        Assert.Equal(0m, RevenueFormulas.ExistingCustomerRevenueGrowth(facts).Value);
        Assert.Equal(300m, RevenueFormulas.RevenueGrowth(facts).Value);
    }
}
