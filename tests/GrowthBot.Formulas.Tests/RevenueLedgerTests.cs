using GrowthBot.Formulas;
using static GrowthBot.Formulas.Tests.TestSupport;

namespace GrowthBot.Formulas.Tests;

public sealed class RevenueLedgerTests
{
    /// <summary>The period of every case: March 2025, [Mar 1, Apr 1).</summary>
    private static readonly DateTime From = Day(3, 1);
    private static readonly DateTime To = Day(4, 1);

    /// <summary>One customer paying 100 all along: the facts of a quiet month.</summary>
    private static readonly RevenueFacts SteadyHundred = new()
    {
        PayingAtFrom = 1,
        PayingAtTo = 1,
        MrrAtFrom = 100m,
        MrrAtTo = 100m,
        StartCustomersPayingAtTo = 1,
        StartCustomersMrrAtTo = 100m,
    };

    /// <summary>Eight customers, every kind of movement, rows deliberately out of date order.</summary>
    private static readonly SubscriptionChange[] MixedLog =
    [
        Row("g", Day(3, 28), 0m),
        Row("b", Day(3, 15), 0m),
        Row("a", Day(1, 1), 100m),
        Row("f", Day(3, 25), 70m),
        Row("c", Day(3, 5), 60m),
        Row("d", Day(3, 20), 45m),
        Row("d", Day(2, 1), 0m),
        Row("h", Day(4, 2), 500m),
        Row("e", Day(3, 10), 80m),
        Row("b", Day(2, 1), 200m),
        Row("d", Day(1, 1), 30m),
        Row("e", Day(2, 1), 50m),
        Row("f", Day(1, 15), 90m),
        Row("g", Day(3, 8), 25m),
    ];

    // Hand-worked for MixedLog over March:
    //   a 100 steady; b 200 churns Mar 15; c new 60 Mar 5; d paid 30 in Jan, churned Feb 1, back at 45 Mar 20;
    //   e 50 → 80 Mar 10; f 90 → 70 Mar 25; g signs up 25 Mar 8 and churns Mar 28; h starts in April.
    //   Paying at from: a b e f = 4, MRR 100 + 200 + 50 + 90 = 440.
    //   Paying at to: a c d e f = 5, MRR 100 + 60 + 45 + 80 + 70 = 355.
    //   New c, g = 2 (85); expansion e (30); contraction f (20); churn b, g = 2 (225); reactivation d (45).
    //   Check: 440 + 85 + 30 − 20 − 225 + 45 = 355; 4 + 2 + 1 − 2 = 5.
    //   Starting customers: b churned (1); a e f still paying (3) with 100 + 80 + 70 = 250.
    //   Starting base a b e f, each judged at to against at from: a 100 → 100 (nothing), b 200 → 0
    //   (churned 200), e 50 → 80 (expansion 30), f 90 → 70 (contraction 20) — d's return and g's sign-up
    //   and churn are not the base's. Check: 440 − 200 + 30 − 20 = 250.
    private static readonly RevenueFacts MixedFacts = new()
    {
        PayingAtFrom = 4,
        PayingAtTo = 5,
        MrrAtFrom = 440m,
        MrrAtTo = 355m,
        NewCustomers = 2,
        NewMrr = 85m,
        Expansions = 1,
        ExpansionMrr = 30m,
        Contractions = 1,
        ContractionMrr = 20m,
        Churns = 2,
        ChurnedMrr = 225m,
        Reactivations = 1,
        ReactivationMrr = 45m,
        BaseChurnedMrr = 200m,
        BaseContractionMrr = 20m,
        BaseExpansionMrr = 30m,
        StartCustomersChurned = 1,
        StartCustomersPayingAtTo = 3,
        StartCustomersMrrAtTo = 250m,
    };

    public static TheoryData<string, SubscriptionChange[], RevenueFacts> Cases => new()
    {
        { "empty log", [], RevenueFacts.Empty },
        { "paying throughout, no change", [Row("a", Day(1, 1), 100m)], SteadyHundred },
        {
            "sign-up dated exactly from is inside the period",
            [Row("a", Day(3, 1), 100m)],
            new RevenueFacts { PayingAtTo = 1, MrrAtTo = 100m, NewCustomers = 1, NewMrr = 100m }
        },
        { "sign-up dated exactly to is outside the period", [Row("a", Day(4, 1), 100m)], RevenueFacts.Empty },
        {
            // a pays 100 at from (the Mar 1 row is inside the period) and 0 at to: base churned 100.
            "churn dated exactly from is inside the period",
            [Row("a", Day(1, 1), 100m), Row("a", Day(3, 1), 0m)],
            new RevenueFacts
            {
                PayingAtFrom = 1, MrrAtFrom = 100m, Churns = 1, ChurnedMrr = 100m, BaseChurnedMrr = 100m,
                StartCustomersChurned = 1,
            }
        },
        {
            "churn dated exactly to is outside the period",
            [Row("a", Day(1, 1), 100m), Row("a", Day(4, 1), 0m)],
            SteadyHundred
        },
        {
            // Only the Mar 10 expansion is inside; May's churn and June's return are not. Base: 100 → 120, +20.
            "changes after to are ignored",
            [Row("a", Day(1, 1), 100m), Row("a", Day(3, 10), 120m), Row("a", Day(5, 1), 0m), Row("a", Day(6, 1), 500m)],
            new RevenueFacts
            {
                PayingAtFrom = 1, PayingAtTo = 1, MrrAtFrom = 100m, MrrAtTo = 120m,
                Expansions = 1, ExpansionMrr = 20m, BaseExpansionMrr = 20m,
                StartCustomersPayingAtTo = 1, StartCustomersMrrAtTo = 120m,
            }
        },
        {
            "customer who churned before the period is nothing in it",
            [Row("a", Day(1, 1), 100m), Row("a", Day(2, 1), 0m)],
            RevenueFacts.Empty
        },
        {
            // New and churn both count in the flow, but a was never in the starting base: no Base* sums.
            "mid-period sign-up churns in the same period",
            [Row("a", Day(3, 5), 50m), Row("a", Day(3, 20), 0m)],
            new RevenueFacts { NewCustomers = 1, NewMrr = 50m, Churns = 1, ChurnedMrr = 50m }
        },
        {
            // Paid in January, churned in February: coming back in March is a reactivation, not a new customer.
            // Not paying at from, so not in the starting base: no Base* sums.
            "customer churned before the period comes back in it",
            [Row("a", Day(1, 1), 80m), Row("a", Day(2, 1), 0m), Row("a", Day(3, 10), 90m)],
            new RevenueFacts { PayingAtTo = 1, MrrAtTo = 90m, Reactivations = 1, ReactivationMrr = 90m }
        },
        {
            // Back by the end, so not churned (ChartMogul's rule) and paying at the end (StartCustomersPayingAtTo).
            // The flow has the churn (100) and the reactivation (120); the base judges 100 at from against
            // 120 at to: expansion 20, not churned.
            "starting customer churns and reactivates higher inside the period",
            [Row("a", Day(1, 1), 100m), Row("a", Day(3, 10), 0m), Row("a", Day(3, 20), 120m)],
            new RevenueFacts
            {
                PayingAtFrom = 1, PayingAtTo = 1, MrrAtFrom = 100m, MrrAtTo = 120m,
                Churns = 1, ChurnedMrr = 100m, Reactivations = 1, ReactivationMrr = 120m,
                BaseExpansionMrr = 20m,
                StartCustomersPayingAtTo = 1, StartCustomersMrrAtTo = 120m,
            }
        },
        {
            // 100 → 0 → 80: the flow has a churn of 100 and a reactivation of 80; the base, 100 against 80:
            // contraction 20, not churned; and back by the end, so no starting customer churned.
            "starting customer churns and reactivates lower inside the period",
            [Row("a", Day(1, 1), 100m), Row("a", Day(3, 10), 0m), Row("a", Day(3, 20), 80m)],
            new RevenueFacts
            {
                PayingAtFrom = 1, PayingAtTo = 1, MrrAtFrom = 100m, MrrAtTo = 80m,
                Churns = 1, ChurnedMrr = 100m, Reactivations = 1, ReactivationMrr = 80m,
                BaseContractionMrr = 20m,
                StartCustomersPayingAtTo = 1, StartCustomersMrrAtTo = 80m,
            }
        },
        {
            // 100 → 300 → 0: the flow has +200 expansion and a churn of 300; the base, 100 against 0: churned 100
            // (the 200 gained and lost again is neither churn nor expansion). GRR 0%.
            "starting customer expands then churns",
            [Row("a", Day(1, 1), 100m), Row("a", Day(3, 5), 300m), Row("a", Day(3, 20), 0m)],
            new RevenueFacts
            {
                PayingAtFrom = 1, MrrAtFrom = 100m,
                Expansions = 1, ExpansionMrr = 200m, Churns = 1, ChurnedMrr = 300m,
                BaseChurnedMrr = 100m,
                StartCustomersChurned = 1,
            }
        },
        {
            // 100 → 0 → 100 → 0: the flow has two churns (200) and a reactivation (100); the base, 100 against 0:
            // churned 100 once. GRR 0%.
            "starting customer churns, returns and churns again",
            [Row("a", Day(1, 1), 100m), Row("a", Day(3, 5), 0m), Row("a", Day(3, 10), 100m), Row("a", Day(3, 20), 0m)],
            new RevenueFacts
            {
                PayingAtFrom = 1, MrrAtFrom = 100m,
                Churns = 2, ChurnedMrr = 200m, Reactivations = 1, ReactivationMrr = 100m,
                BaseChurnedMrr = 100m,
                StartCustomersChurned = 1,
            }
        },
        {
            // 100 → 300 → 50: the flow has +200 expansion and 250 contraction; the base, 100 against 50:
            // contraction 50. GRR 50%.
            "starting customer expands then contracts below the start",
            [Row("a", Day(1, 1), 100m), Row("a", Day(3, 5), 300m), Row("a", Day(3, 20), 50m)],
            new RevenueFacts
            {
                PayingAtFrom = 1, PayingAtTo = 1, MrrAtFrom = 100m, MrrAtTo = 50m,
                Expansions = 1, ExpansionMrr = 200m, Contractions = 1, ContractionMrr = 250m,
                BaseContractionMrr = 50m,
                StartCustomersPayingAtTo = 1, StartCustomersMrrAtTo = 50m,
            }
        },
        {
            // 100 → 150 is +50 expansion, 150 → 120 is 30 contraction in the flow; the base, 100 against 120:
            // expansion 20 and no contraction.
            "expansion then contraction",
            [Row("a", Day(2, 1), 100m), Row("a", Day(3, 5), 150m), Row("a", Day(3, 15), 120m)],
            new RevenueFacts
            {
                PayingAtFrom = 1, PayingAtTo = 1, MrrAtFrom = 100m, MrrAtTo = 120m,
                Expansions = 1, ExpansionMrr = 50m, Contractions = 1, ContractionMrr = 30m,
                BaseExpansionMrr = 20m,
                StartCustomersPayingAtTo = 1, StartCustomersMrrAtTo = 120m,
            }
        },
        {
            // 100 → 60 → 100: the flow has 40 contraction and +40 expansion; the base, 100 against 100: nothing.
            "contraction then expansion back to the start",
            [Row("a", Day(2, 1), 100m), Row("a", Day(3, 5), 60m), Row("a", Day(3, 15), 100m)],
            new RevenueFacts
            {
                PayingAtFrom = 1, PayingAtTo = 1, MrrAtFrom = 100m, MrrAtTo = 100m,
                Expansions = 1, ExpansionMrr = 40m, Contractions = 1, ContractionMrr = 40m,
                StartCustomersPayingAtTo = 1, StartCustomersMrrAtTo = 100m,
            }
        },
        {
            // +10 then +20 in the flow; the base, 100 against 130: 30 of expansion.
            "two expansions in the period are two movements",
            [Row("a", Day(2, 1), 100m), Row("a", Day(3, 5), 110m), Row("a", Day(3, 15), 130m)],
            new RevenueFacts
            {
                PayingAtFrom = 1, PayingAtTo = 1, MrrAtFrom = 100m, MrrAtTo = 130m,
                Expansions = 2, ExpansionMrr = 30m, BaseExpansionMrr = 30m,
                StartCustomersPayingAtTo = 1, StartCustomersMrrAtTo = 130m,
            }
        },
        {
            "free trial row of 0 then first payment is new",
            [Row("a", Day(2, 10), 0m), Row("a", Day(3, 3), 40m)],
            new RevenueFacts { PayingAtTo = 1, MrrAtTo = 40m, NewCustomers = 1, NewMrr = 40m }
        },
        {
            "free trial that never pays is nothing",
            [Row("a", Day(2, 10), 0m), Row("a", Day(3, 3), 0m)],
            RevenueFacts.Empty
        },
        {
            "repeated value is no movement",
            [Row("a", Day(1, 1), 100m), Row("a", Day(3, 1), 100m), Row("a", Day(3, 15), 100m)],
            SteadyHundred
        },
        {
            // Expansion of a customer who was not in the starting base still counts as expansion (flow),
            // but not as base expansion.
            "mid-period sign-up expands",
            [Row("a", Day(3, 2), 50m), Row("a", Day(3, 20), 70m)],
            new RevenueFacts
            {
                PayingAtTo = 1, MrrAtTo = 70m, NewCustomers = 1, NewMrr = 50m, Expansions = 1, ExpansionMrr = 20m,
            }
        },
        {
            // Signs up Mar 2, churns Mar 10, returns Mar 20: one new, one churn, then a reactivation (not a second new).
            // None of it is the starting base's: a was not paying at from.
            "new is counted once per customer, ever",
            [Row("a", Day(3, 2), 50m), Row("a", Day(3, 10), 0m), Row("a", Day(3, 20), 60m)],
            new RevenueFacts
            {
                PayingAtTo = 1, MrrAtTo = 60m, NewCustomers = 1, NewMrr = 50m,
                Churns = 1, ChurnedMrr = 50m, Reactivations = 1, ReactivationMrr = 60m,
            }
        },
        {
            "customer ids are compared ordinally (case-sensitive)",
            [Row("acme", Day(1, 1), 100m), Row("ACME", Day(3, 5), 0m)],
            SteadyHundred
        },
        { "several customers mixed, rows out of order", MixedLog, MixedFacts },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Facts_HandWorkedLogs(string name, SubscriptionChange[] log, RevenueFacts expected)
    {
        Assert.NotNull(name);
        Assert.Equal(expected, RevenueLedger.Facts(log, From, To));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Facts_PayingAtToIsPayingAtFromPlusMovements(string name, SubscriptionChange[] log, RevenueFacts expected)
    {
        Assert.NotNull(name);
        Assert.NotNull(expected);
        var facts = RevenueLedger.Facts(log, From, To);

        Assert.Equal(facts.PayingAtTo, facts.PayingAtFrom + facts.NewCustomers + facts.Reactivations - facts.Churns);
        Assert.Equal(
            facts.MrrAtTo,
            facts.MrrAtFrom + facts.NewMrr + facts.ExpansionMrr + facts.ReactivationMrr - facts.ContractionMrr - facts.ChurnedMrr);
        Assert.InRange(facts.StartCustomersChurned, 0, facts.PayingAtFrom);
        Assert.InRange(facts.StartCustomersPayingAtTo, 0, Math.Min(facts.PayingAtFrom, facts.PayingAtTo));
        Assert.InRange(facts.JoinersPayingAtTo, 0, facts.PayingAtTo);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Facts_StartingBaseMrrAtToIsMrrAtFromPlusBaseMovements(string name, SubscriptionChange[] log, RevenueFacts expected)
    {
        Assert.NotNull(name);
        Assert.NotNull(expected);
        var facts = RevenueLedger.Facts(log, From, To);

        Assert.Equal(
            facts.StartCustomersMrrAtTo,
            facts.MrrAtFrom + facts.BaseExpansionMrr - facts.BaseContractionMrr - facts.BaseChurnedMrr);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Facts_BaseSumsAreBoundedByTheFlow(string name, SubscriptionChange[] log, RevenueFacts expected)
    {
        Assert.NotNull(name);
        Assert.NotNull(expected);
        var facts = RevenueLedger.Facts(log, From, To);

        // Judged start against end, a base customer's net loss is at most the MRR they lost movement by
        // movement, and their net gain at most what they gained — but not kind by kind: 100 → 0 → 80 is
        // base contraction 20 with no contraction movement, 100 → 50 → 0 base churn 100 with a churn of 50.
        Assert.True(facts.BaseChurnedMrr >= 0m);
        Assert.True(facts.BaseContractionMrr >= 0m);
        Assert.True(facts.BaseExpansionMrr >= 0m);
        Assert.InRange(facts.BaseChurnedMrr + facts.BaseContractionMrr, 0m, facts.ChurnedMrr + facts.ContractionMrr);
        Assert.InRange(facts.BaseChurnedMrr + facts.BaseContractionMrr, 0m, facts.MrrAtFrom);
        Assert.InRange(facts.BaseExpansionMrr, 0m, facts.ExpansionMrr + facts.ReactivationMrr);
    }

    /// <summary>
    /// Every hand-worked log of the formula specs with its period: the cases above, the standalone
    /// logs below, February of <see cref="MixedLog"/>, the empty period, the worked month (March and
    /// February) and the logs of <see cref="RevenueFormulasTests"/>.
    /// </summary>
    public static TheoryData<string, SubscriptionChange[], DateTime, DateTime> AllHandWorkedLogs
    {
        get
        {
            var data = new TheoryData<string, SubscriptionChange[], DateTime, DateTime>();
            foreach (var row in Cases)
            {
                data.Add((string)row[0], (SubscriptionChange[])row[1], From, To);
            }
            data.Add("mixed log over February", MixedLog, Day(2, 1), Day(3, 1));
            data.Add("mixed log over the empty period", MixedLog, From, From);
            data.Add("earlier churner returns, starting customer expands", EarlierChurnerReturnsLog, From, To);
            data.Add("starting customer churns twice and returns twice", ChurnsTwiceReturnsTwiceLog, From, To);
            data.Add("starting customer churns and returns higher beside a steady one", ChurnsAndReturnsHigherLog, From, To);
            foreach (var row in OneStartingCustomerPaths)
            {
                data.Add((string)row[0], (SubscriptionChange[])row[1], From, To);
            }
            data.Add("worked month: March", WorkedMonthTests.Log, From, To);
            data.Add("worked month: February", WorkedMonthTests.Log, Day(2, 1), Day(3, 1));
            foreach (var (name, log) in RevenueFormulasTests.Logs)
            {
                data.Add(name, log, From, To);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(AllHandWorkedLogs))]
    public void NetRevenueRetention_IsHundredPlusExistingCustomerRevenueGrowth(string name, SubscriptionChange[] log, DateTime from, DateTime to)
    {
        Assert.NotNull(name);
        var facts = RevenueLedger.Facts(log, from, to);

        var nrr = RevenueFormulas.NetRevenueRetention(facts);
        var growth = RevenueFormulas.ExistingCustomerRevenueGrowth(facts);
        var netChurn = RevenueFormulas.NetRevenueChurn(facts);

        if (facts.MrrAtFrom == 0m)
        {
            Assert.Null(nrr.Value);
            Assert.Null(growth.Value);
            Assert.Null(netChurn.Value);
            return;
        }
        Assert.NotNull(growth.Value);
        Assert.NotNull(netChurn.Value);
        AssertValue(100m + growth.Value.Value, nrr);
        AssertValue(-growth.Value.Value, netChurn);
        // The numerators agree exactly: MRR kept net of the base's movements is the starting base's MRR
        // at to, and it exceeds the MRR at from by exactly the existing customers' growth.
        Assert.Equal(facts.StartCustomersMrrAtTo, nrr.Numerator);
        Assert.Equal(nrr.Numerator - nrr.Denominator, growth.Numerator);
        Assert.Equal(-growth.Numerator, netChurn.Numerator);
        Assert.Equal(nrr.Denominator, growth.Denominator);
    }

    [Theory]
    [MemberData(nameof(AllHandWorkedLogs))]
    public void GrossRevenueRetention_AllHandWorkedLogs_IsBetweenZeroAndHundred(string name, SubscriptionChange[] log, DateTime from, DateTime to)
    {
        Assert.NotNull(name);
        var facts = RevenueLedger.Facts(log, from, to);

        var grr = RevenueFormulas.GrossRevenueRetention(facts).Value;
        var grossChurn = RevenueFormulas.GrossRevenueChurn(facts).Value;

        if (facts.MrrAtFrom == 0m)
        {
            Assert.Null(grr);
            Assert.Null(grossChurn);
            return;
        }
        Assert.NotNull(grr);
        Assert.NotNull(grossChurn);
        Assert.InRange(grr.Value, 0m, 100m);
        Assert.InRange(grossChurn.Value, 0m, 100m);
        Assert.Equal(100m - grossChurn.Value, grr.Value);
    }

    /// <summary>
    /// One starting customer's path through March → gross revenue churn, GRR, net revenue churn, NRR
    /// (all over the 100 they paid at from), and whether they churned at least once on the way (the
    /// customer churn count, which stays movement by movement). Movement by movement the first three would lose 300, 200
    /// and 250 of 100 (GRR −200%, −100%, −150%); judged start against end they never lose more than 100.
    /// </summary>
    public static TheoryData<string, SubscriptionChange[], decimal, decimal, decimal, decimal, long> OneStartingCustomerPaths => new()
    {
        // 100 → 300 → 0: ends at 0, so churned 100 (the 200 gained and lost again is neither): 100%, GRR 0%, NRR 0%.
        {
            "100 → 300 → 0",
            [Row("a", Day(1, 1), 100m), Row("a", Day(3, 5), 300m), Row("a", Day(3, 20), 0m)],
            100m, 0m, 100m, 0m, 1
        },
        // 100 → 0 → 100 → 0: ends at 0, churned 100 once: 100%, GRR 0%, NRR 0%.
        {
            "100 → 0 → 100 → 0",
            [Row("a", Day(1, 1), 100m), Row("a", Day(3, 5), 0m), Row("a", Day(3, 10), 100m), Row("a", Day(3, 20), 0m)],
            100m, 0m, 100m, 0m, 1
        },
        // 100 → 300 → 50: ends at 50 < 100, contraction 50: 50%, GRR 50%, net 50%, NRR 50%. Never churned.
        {
            "100 → 300 → 50",
            [Row("a", Day(1, 1), 100m), Row("a", Day(3, 5), 300m), Row("a", Day(3, 20), 50m)],
            50m, 50m, 50m, 50m, 0
        },
        // 100 → 0 → 120: ends at 120 > 100, expansion 20, not churned: gross 0%, GRR 100%, net −20%, NRR 120%.
        {
            "100 → 0 → 120",
            [Row("a", Day(1, 1), 100m), Row("a", Day(3, 10), 0m), Row("a", Day(3, 20), 120m)],
            0m, 100m, -20m, 120m, 0
        },
        // 100 → 0 → 80: ends at 80 < 100, contraction 20, not churned: 20%, GRR 80%, net 20%, NRR 80%.
        {
            "100 → 0 → 80",
            [Row("a", Day(1, 1), 100m), Row("a", Day(3, 10), 0m), Row("a", Day(3, 20), 80m)],
            20m, 80m, 20m, 80m, 0
        },
        // 100 → 0 → 100: ends where it started: nothing lost or gained, gross 0%, GRR 100%, NRR 100%.
        {
            "100 → 0 → 100",
            [Row("a", Day(1, 1), 100m), Row("a", Day(3, 10), 0m), Row("a", Day(3, 20), 100m)],
            0m, 100m, 0m, 100m, 0
        },
    };

    [Theory]
    [MemberData(nameof(OneStartingCustomerPaths))]
    public void RevenueChurnAndRetention_OneStartingCustomer_JudgedStartAgainstEnd(
        string path, SubscriptionChange[] log, decimal grossChurn, decimal grr, decimal netChurn, decimal nrr, long churned)
    {
        Assert.NotNull(path);
        var facts = RevenueLedger.Facts(log, From, To);

        Assert.Equal(grossChurn, RevenueFormulas.GrossRevenueChurn(facts).Value);
        Assert.Equal(grr, RevenueFormulas.GrossRevenueRetention(facts).Value);
        Assert.Equal(netChurn, RevenueFormulas.NetRevenueChurn(facts).Value);
        Assert.Equal(nrr, RevenueFormulas.NetRevenueRetention(facts).Value);
        Assert.InRange(RevenueFormulas.GrossRevenueRetention(facts).Value!.Value, 0m, 100m);
        AssertParts(100m - grossChurn, 100m, 1, RevenueFormulas.GrossRevenueRetention(facts));
        // Customer churn judges where the customer ends too: back by the end is not churned.
        Assert.Equal(churned, facts.StartCustomersChurned);
        Assert.Equal(churned * 100m, CustomerFormulas.ChurnRate(facts).Value);
    }

    /// <summary>
    /// a and b pay 100 each at from. a leaves Mar 10 and is back at 150 on Mar 20; b stays at 100.
    /// </summary>
    private static readonly SubscriptionChange[] ChurnsAndReturnsHigherLog =
    [
        Row("a", Day(1, 1), 100m), Row("a", Day(3, 10), 0m), Row("a", Day(3, 20), 150m),
        Row("b", Day(1, 1), 100m),
    ];

    [Fact]
    public void StartingCustomerWhoChurnsAndReturnsHigher_IsExpansionForRevenueAndNotChurnedForCustomers()
    {
        var facts = RevenueLedger.Facts(ChurnsAndReturnsHigherLog, From, To);

        // Revenue: a is judged 100 at from against 150 at to — expansion 50, not churned.
        Assert.Equal(0m, facts.BaseChurnedMrr);
        Assert.Equal(0m, facts.BaseContractionMrr);
        Assert.Equal(50m, facts.BaseExpansionMrr);
        // Gross 0 / 200 = 0%, GRR 100%; net −50 / 200 = −25%, NRR 250 / 200 = 125% = 100% + 25% growth.
        Assert.Equal(0m, RevenueFormulas.GrossRevenueChurn(facts).Value);
        Assert.Equal(100m, RevenueFormulas.GrossRevenueRetention(facts).Value);
        Assert.Equal(-25m, RevenueFormulas.NetRevenueChurn(facts).Value);
        Assert.Equal(125m, RevenueFormulas.NetRevenueRetention(facts).Value);
        AssertParts(250m, 200m, 2, RevenueFormulas.NetRevenueRetention(facts));
        Assert.Equal(25m, RevenueFormulas.ExistingCustomerRevenueGrowth(facts).Value);

        // Customers: a is back by the end, so not churned — 0 of 2 = 0% customer churn — and
        // retention is 2 of 2 = 100%: churn + retention = 100%.
        Assert.Equal(0, facts.StartCustomersChurned);
        Assert.Equal(0m, CustomerFormulas.ChurnRate(facts).Value);
        Assert.Equal(2, facts.StartCustomersPayingAtTo);
        Assert.Equal(100m, CustomerFormulas.RetentionRate(facts).Value);

        // The flow keeps both movements: a churn of 100 and a reactivation of 150, quick ratio 150 / 100.
        Assert.Equal(100m, facts.ChurnedMrr);
        Assert.Equal(150m, facts.ReactivationMrr);
        Assert.Equal(1.5m, RevenueFormulas.QuickRatio(facts).Value);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CustomerFacts_SumOverCustomers_IsFacts(string name, SubscriptionChange[] log, RevenueFacts expected)
    {
        Assert.NotNull(name);
        var sum = log
            .GroupBy(change => change.CustomerId, StringComparer.Ordinal)
            .Select(customer => RevenueLedger.CustomerFacts(customer.OrderBy(change => change.At), From, To))
            .Aggregate(RevenueFacts.Empty, (total, facts) => total + facts);

        Assert.Equal(expected, sum);
    }

    [Fact]
    public void Facts_DisjointCustomerSets_AddUp()
    {
        var firstSegment = MixedLog.Where(change => change.CustomerId is "a" or "b" or "c" or "d").ToArray();
        var secondSegment = MixedLog.Where(change => change.CustomerId is "e" or "f" or "g" or "h").ToArray();

        var first = RevenueLedger.Facts(firstSegment, From, To);
        var second = RevenueLedger.Facts(secondSegment, From, To);

        Assert.Equal(MixedFacts, first + second);
        Assert.Equal(MixedFacts, RevenueFacts.Add(second, first));
        Assert.NotEqual(MixedFacts, first);
    }

    [Fact]
    public void Facts_EmptyPeriod_HasStateButNoMovements()
    {
        // from == to: a's history gives the state; b's sign-up dated that instant is not inside [t, t).
        var log = new[] { Row("a", Day(1, 1), 100m), Row("b", Day(3, 1), 50m) };

        var facts = RevenueLedger.Facts(log, From, From);

        Assert.Equal(SteadyHundred, facts);
    }

    [Fact]
    public void Facts_EmptyLogAndEmptyPeriod_IsEmpty() =>
        Assert.Equal(RevenueFacts.Empty, RevenueLedger.Facts([], From, From));

    [Fact]
    public void Facts_PreviousPeriodOfSameLog_SeesItsOwnMovements()
    {
        // February for MixedLog: a (100, Jan 1), d (30, Jan 1) and f (90, Jan 15) pay at Feb 1 = 220;
        // b 200 and e 50 sign up on Feb 1 (inside), d churns on Feb 1 (inside) → at Mar 1: a b e f = 440,
        // which is March's MrrAtFrom. Starting customers a and f still pay 190.
        // Starting base a d f: only d's churn (30) moves it; b and e are sign-ups. 220 − 30 = 190.
        var facts = RevenueLedger.Facts(MixedLog, Day(2, 1), Day(3, 1));

        var expected = new RevenueFacts
        {
            PayingAtFrom = 3,
            PayingAtTo = 4,
            MrrAtFrom = 220m,
            MrrAtTo = 440m,
            NewCustomers = 2,
            NewMrr = 250m,
            Churns = 1,
            ChurnedMrr = 30m,
            BaseChurnedMrr = 30m,
            StartCustomersChurned = 1,
            StartCustomersPayingAtTo = 2,
            StartCustomersMrrAtTo = 190m,
        };
        Assert.Equal(expected, facts);
    }

    [Fact]
    public void CustomerFacts_OneCustomer_MatchesFacts()
    {
        var changes = new[] { Row("a", Day(1, 1), 100m), Row("a", Day(3, 10), 0m), Row("a", Day(3, 20), 120m) };

        Assert.Equal(RevenueLedger.Facts(changes, From, To), RevenueLedger.CustomerFacts(changes, From, To));
    }

    [Fact]
    public void CustomerFacts_NoChanges_IsEmpty() =>
        Assert.Equal(RevenueFacts.Empty, RevenueLedger.CustomerFacts([], From, To));

    [Fact]
    public void CustomerFacts_NegativeMrrRow_IsNotPaying()
    {
        // 0 → −10 is no movement (not paying either way), so the first real payment is the one New.
        var changes = new[] { Row("a", Day(3, 2), -10m), Row("a", Day(3, 10), 50m) };

        var facts = RevenueLedger.CustomerFacts(changes, From, To);

        Assert.Equal(new RevenueFacts { PayingAtTo = 1, MrrAtTo = 50m, NewCustomers = 1, NewMrr = 50m }, facts);
    }

    [Fact]
    public void CustomerFacts_NegativeMrrRowBeforeThePeriod_IsNotPayingAtFrom()
    {
        // A credit row in February leaves a not paying at from; March's payment is New, not the base's.
        var changes = new[] { Row("a", Day(2, 2), -10m), Row("a", Day(3, 10), 50m) };

        var facts = RevenueLedger.CustomerFacts(changes, From, To);

        Assert.Equal(new RevenueFacts { PayingAtTo = 1, MrrAtTo = 50m, NewCustomers = 1, NewMrr = 50m }, facts);
    }

    /// <summary>
    /// b paid 80 in January and left Feb 1; back at 90 on Mar 10. a is a starting customer paying 100
    /// who expands to 110.
    /// </summary>
    private static readonly SubscriptionChange[] EarlierChurnerReturnsLog =
    [
        Row("a", Day(1, 1), 100m), Row("a", Day(3, 20), 110m),
        Row("b", Day(1, 1), 80m), Row("b", Day(2, 1), 0m), Row("b", Day(3, 10), 90m),
    ];

    /// <summary>a pays 100 at from; leaves Mar 5, back at 100 Mar 10, leaves Mar 15, back at 60 Mar 20.</summary>
    private static readonly SubscriptionChange[] ChurnsTwiceReturnsTwiceLog =
    [
        Row("a", Day(1, 1), 100m), Row("a", Day(3, 5), 0m), Row("a", Day(3, 10), 100m),
        Row("a", Day(3, 15), 0m), Row("a", Day(3, 20), 60m),
    ];

    [Fact]
    public void Facts_CustomerWhoChurnedBeforeThePeriodReactivates_IsFlowReactivationNotBaseMovement()
    {
        // b's return is a reactivation of the month (flow) but b was not paying at from, so it is nothing
        // of the starting base's. The base is a alone, 100 against 110: expansion 10.
        var facts = RevenueLedger.Facts(EarlierChurnerReturnsLog, From, To);

        Assert.Equal(1, facts.Reactivations);
        Assert.Equal(90m, facts.ReactivationMrr);
        Assert.Equal(0m, facts.BaseChurnedMrr);
        Assert.Equal(0m, facts.BaseContractionMrr);
        Assert.Equal(10m, facts.BaseExpansionMrr);
        // NRR = (100 + 10) / 100 = 110% — b's 90 is not in it — while revenue growth (flow) is (10 + 90) / 100 = 100%.
        Assert.Equal(110m, RevenueFormulas.NetRevenueRetention(facts).Value);
        Assert.Equal(10m, RevenueFormulas.ExistingCustomerRevenueGrowth(facts).Value);
        Assert.Equal(100m, RevenueFormulas.RevenueGrowth(facts).Value);
        // The quick ratio keeps the flow: (10 + 90) / 0 lost is undefined, with 2 movements.
        AssertParts(100m, 0m, 2, RevenueFormulas.QuickRatio(facts));
    }

    [Fact]
    public void Facts_StartingCustomerChurnsTwiceAndReturnsTwice_IsJudgedByWhereTheyEnd()
    {
        // The flow has every movement: churns 100 + 100 = 200, reactivations 100 + 60 = 160.
        // The base judges 100 at from against 60 at to: contraction 40, not churned, no expansion.
        var facts = RevenueLedger.Facts(ChurnsTwiceReturnsTwiceLog, From, To);

        Assert.Equal(2, facts.Churns);
        Assert.Equal(200m, facts.ChurnedMrr);
        Assert.Equal(2, facts.Reactivations);
        Assert.Equal(160m, facts.ReactivationMrr);
        Assert.Equal(0m, facts.BaseChurnedMrr);
        Assert.Equal(40m, facts.BaseContractionMrr);
        Assert.Equal(0m, facts.BaseExpansionMrr);
        Assert.Equal(60m, facts.StartCustomersMrrAtTo);
        // For customer churn a is paying at the end, so not churned: 0 of 1.
        Assert.Equal(0, facts.StartCustomersChurned);
        Assert.Equal(0m, CustomerFormulas.ChurnRate(facts).Value);
        // Gross revenue churn 40 / 100 = 40%, GRR 60%; NRR 60 / 100 = 60% = 100% + (−40%).
        Assert.Equal(40m, RevenueFormulas.GrossRevenueChurn(facts).Value);
        Assert.Equal(60m, RevenueFormulas.GrossRevenueRetention(facts).Value);
        Assert.Equal(60m, RevenueFormulas.NetRevenueRetention(facts).Value);
        Assert.Equal(-40m, RevenueFormulas.ExistingCustomerRevenueGrowth(facts).Value);
    }

    [Fact]
    public void Add_SumsEveryField()
    {
        var left = new RevenueFacts
        {
            PayingAtFrom = 1, PayingAtTo = 2, MrrAtFrom = 3m, MrrAtTo = 4m, NewCustomers = 5, NewMrr = 6m,
            Expansions = 7, ExpansionMrr = 8m, Contractions = 9, ContractionMrr = 10m, Churns = 11, ChurnedMrr = 12m,
            Reactivations = 13, ReactivationMrr = 14m, StartCustomersChurned = 15, StartCustomersPayingAtTo = 16,
            StartCustomersMrrAtTo = 17m, BaseChurnedMrr = 18m, BaseContractionMrr = 19m, BaseExpansionMrr = 20m,
        };
        var right = new RevenueFacts
        {
            PayingAtFrom = 100, PayingAtTo = 200, MrrAtFrom = 300m, MrrAtTo = 400m, NewCustomers = 500, NewMrr = 600m,
            Expansions = 700, ExpansionMrr = 800m, Contractions = 900, ContractionMrr = 1000m, Churns = 1100,
            ChurnedMrr = 1200m, Reactivations = 1300, ReactivationMrr = 1400m, StartCustomersChurned = 1500,
            StartCustomersPayingAtTo = 1600, StartCustomersMrrAtTo = 1700m, BaseChurnedMrr = 1800m,
            BaseContractionMrr = 1900m, BaseExpansionMrr = 2000m,
        };
        var expected = new RevenueFacts
        {
            PayingAtFrom = 101, PayingAtTo = 202, MrrAtFrom = 303m, MrrAtTo = 404m, NewCustomers = 505, NewMrr = 606m,
            Expansions = 707, ExpansionMrr = 808m, Contractions = 909, ContractionMrr = 1010m, Churns = 1111,
            ChurnedMrr = 1212m, Reactivations = 1313, ReactivationMrr = 1414m, StartCustomersChurned = 1515,
            StartCustomersPayingAtTo = 1616, StartCustomersMrrAtTo = 1717m, BaseChurnedMrr = 1818m,
            BaseContractionMrr = 1919m, BaseExpansionMrr = 2020m,
        };

        Assert.Equal(expected, left + right);
        Assert.Equal(expected, RevenueFacts.Add(right, left));
    }

    [Fact]
    public void Add_EmptyIsIdentity()
    {
        Assert.Equal(MixedFacts, MixedFacts + RevenueFacts.Empty);
        Assert.Equal(MixedFacts, RevenueFacts.Empty + MixedFacts);
    }

    [Fact]
    public void JoinersPayingAtTo_IsPayingAtToNotInStartingBase() =>
        Assert.Equal(2, MixedFacts.JoinersPayingAtTo);
}
