using GrowthBot.Formulas;
using static GrowthBot.Formulas.Tests.TestSupport;

namespace GrowthBot.Formulas.Tests;

/// <summary>
/// A SaaS month told as a story, March 2025 = [Mar 1, Apr 1), 31 days. Every number below was
/// worked out by hand from the log; the tests check the formulas agree.
/// <code>
///   Acme   annual plan 6 000/yr since 1 Nov 2024 → 500 MRR; upgrades to 8 400/yr (700) on Mar 10.
///   Birch  250 since Jan 15; cancels on Mar 15.
///   Cedar  250 since Feb 1; drops seats to 200 on Mar 20.
///   Delta  signs up on Mar 5 at 100 (never paid before).
///   Echo   paid 80 from Dec 1 2024, left on Jan 31, comes back on Mar 12 at 80.
///   Fjord  free trial from Mar 8 (MRR 0 row), never pays in March.
///
///   At from (Mar 1): Acme 500 + Birch 250 + Cedar 250 = 1 000 MRR, 3 paying.
///   Movements: new Delta 100; expansion Acme +200; contraction Cedar −50; churn Birch −250;
///              reactivation Echo +80.
///   At to (Apr 1): Acme 700 + Cedar 200 + Delta 100 + Echo 80 = 1 080 MRR, 4 paying.
///              1 000 + 100 + 200 − 50 − 250 + 80 = 1 080;  3 + 1 + 1 − 1 = 4.
///   Starting customers (Acme, Birch, Cedar): Birch churned; Acme and Cedar still pay 700 + 200 = 900.
///   Starting base, each judged at to against at from: Acme 500 → 700 expansion 200, Birch 250 → 0
///              churned 250, Cedar 250 → 200 contraction 50 (Echo left before the period, so her
///              return is not the base's).  1 000 − 250 − 50 + 200 = 900.
/// </code>
/// </summary>
public sealed class WorkedMonthTests
{
    private static readonly DateTime From = Day(3, 1);
    private static readonly DateTime To = Day(4, 1);

    internal static readonly SubscriptionChange[] Log =
    [
        Row("acme", new DateTime(2024, 11, 1, 0, 0, 0, DateTimeKind.Utc), 6_000m / 12),
        Row("acme", new DateTime(2025, 3, 10, 9, 30, 0, DateTimeKind.Utc), 8_400m / 12),
        Row("birch", Day(1, 15), 250m),
        Row("birch", new DateTime(2025, 3, 15, 17, 0, 0, DateTimeKind.Utc), 0m),
        Row("cedar", Day(2, 1), 250m),
        Row("cedar", Day(3, 20), 200m),
        Row("delta", new DateTime(2025, 3, 5, 14, 12, 0, DateTimeKind.Utc), 100m),
        Row("echo", new DateTime(2024, 12, 1, 0, 0, 0, DateTimeKind.Utc), 80m),
        Row("echo", Day(1, 31), 0m),
        Row("echo", Day(3, 12), 80m),
        Row("fjord", Day(3, 8), 0m),
    ];

    private static RevenueFacts March => RevenueLedger.Facts(Log, From, To);

    [Fact]
    public void Facts_AreTheHandWorkedOnes()
    {
        var expected = new RevenueFacts
        {
            PayingAtFrom = 3,
            PayingAtTo = 4,
            MrrAtFrom = 1_000m,
            MrrAtTo = 1_080m,
            NewCustomers = 1,
            NewMrr = 100m,
            Expansions = 1,
            ExpansionMrr = 200m,
            Contractions = 1,
            ContractionMrr = 50m,
            Churns = 1,
            ChurnedMrr = 250m,
            Reactivations = 1,
            ReactivationMrr = 80m,
            BaseChurnedMrr = 250m,
            BaseContractionMrr = 50m,
            BaseExpansionMrr = 200m,
            StartCustomersChurned = 1,
            StartCustomersPayingAtTo = 2,
            StartCustomersMrrAtTo = 900m,
        };

        Assert.Equal(expected, March);
        Assert.Equal(2, March.JoinersPayingAtTo); // Delta and Echo
    }

    [Fact]
    public void February_EndsWhereMarchBegins()
    {
        // February: Acme 500 and Birch 250 pay at Feb 1 (Echo left Jan 31); Cedar signs up Feb 1 (inside).
        // At Mar 1: 1 000 over 3. Revenue growth 250 / 750 = 33.33%; nobody churned.
        var february = RevenueLedger.Facts(Log, Day(2, 1), Day(3, 1));

        Assert.Equal(750m, february.MrrAtFrom);
        Assert.Equal(March.MrrAtFrom, february.MrrAtTo);
        Assert.Equal(March.PayingAtFrom, february.PayingAtTo);
        AssertValue(100m / 3m, RevenueFormulas.RevenueGrowth(february));
        Assert.Equal(0m, CustomerFormulas.ChurnRate(february).Value);
    }

    [Fact]
    public void RevenueMetrics()
    {
        var facts = March;

        // MRR 1 080 from 4 paying; ARPA 1 080 / 4 = 270.
        Assert.Equal(1_080m, RevenueFormulas.Mrr(facts).Value);
        Assert.Equal(4, RevenueFormulas.Mrr(facts).SampleSize);
        Assert.Equal(270m, RevenueFormulas.Arpa(facts).Value);

        // Gross revenue churn (250 + 50) / 1 000 = 30%; GRR 70%.
        Assert.Equal(30m, RevenueFormulas.GrossRevenueChurn(facts).Value);
        AssertParts(300m, 1_000m, 3, RevenueFormulas.GrossRevenueChurn(facts));
        Assert.Equal(70m, RevenueFormulas.GrossRevenueRetention(facts).Value);

        // Net revenue churn over the starting base (250 + 50 − 200) / 1 000 = 10%; NRR 90%.
        // (Echo's return does not count here: she was not paying at from.)
        Assert.Equal(10m, RevenueFormulas.NetRevenueChurn(facts).Value);
        Assert.Equal(90m, RevenueFormulas.NetRevenueRetention(facts).Value);
        AssertParts(900m, 1_000m, 3, RevenueFormulas.NetRevenueRetention(facts));

        // Existing-customer revenue growth (900 − 1 000) / 1 000 = −10%: Delta and Echo are not existing customers.
        // NRR 90% = 100% + (−10%).
        Assert.Equal(-10m, RevenueFormulas.ExistingCustomerRevenueGrowth(facts).Value);
        Assert.Equal(100m + RevenueFormulas.ExistingCustomerRevenueGrowth(facts).Value, RevenueFormulas.NetRevenueRetention(facts).Value);

        // Expansion revenue: Acme's upgrade, 200, one movement.
        Assert.Equal(200m, RevenueFormulas.ExpansionRevenue(facts).Value);
        Assert.Equal(1, RevenueFormulas.ExpansionRevenue(facts).SampleSize);

        // Quick ratio keeps every customer's movements, Echo's return included:
        // (100 + 200 + 80) / (250 + 50) = 380 / 300 = 1.2667, from 5 movements.
        AssertValue(380m / 300m, RevenueFormulas.QuickRatio(facts));
        AssertParts(380m, 300m, 5, RevenueFormulas.QuickRatio(facts));

        // Revenue growth (100 + 200 + 80 − 50 − 250) / 1 000 = 8% = (1 080 − 1 000) / 1 000.
        Assert.Equal(8m, RevenueFormulas.RevenueGrowth(facts).Value);
    }

    [Fact]
    public void CustomerMetrics()
    {
        var facts = March;

        // Churn: Birch, 1 of 3 = 33.33%.
        AssertValue(100m / 3m, CustomerFormulas.ChurnRate(facts));
        AssertParts(1m, 3m, 3, CustomerFormulas.ChurnRate(facts));

        // Retention: (4 paying − 2 joiners) / 3 = 66.67%.
        AssertValue(200m / 3m, CustomerFormulas.RetentionRate(facts));
        AssertParts(2m, 3m, 3, CustomerFormulas.RetentionRate(facts));

        // Growth: (1 new + 1 back − 1 churned) / 3 = 33.33%.
        AssertValue(100m / 3m, CustomerFormulas.GrowthRate(facts));
        AssertParts(1m, 3m, 3, CustomerFormulas.GrowthRate(facts));
    }

    [Fact]
    public void AcquisitionMetrics()
    {
        var facts = March;

        // CAC: ads 1 800 + sales 900 + onboarding 300 = 3 000 over 1 new customer (Echo's return is not new).
        var cac = AcquisitionFormulas.Cac(1_800m + 900m + 300m, facts.NewCustomers);
        Assert.Equal(3_000m, cac.Value);

        // Monthly churn: March is one calendar month, so its own churn: 1/3.
        Assert.Equal(1m / 3m, AcquisitionFormulas.MonthlyChurnShare(1m / 3m, 1));

        // LTV: ARPA 270 × margin 80% = 216; 216 / (1/3) = 648.
        var ltv = AcquisitionFormulas.Ltv(facts, 1, 0.8m);
        AssertApprox(648, ltv.Value, 5);
        Assert.Equal(216m, ltv.Numerator);
        Assert.Equal(3, ltv.SampleSize);

        // LTV:CAC 648 / 3 000 = 0.216 — this month's churn makes acquisition look ruinous.
        var ratio = AcquisitionFormulas.LtvToCac(ltv, cac);
        AssertApprox(0.216, ratio.Value, 8);
        Assert.Equal(1, ratio.SampleSize);
    }

    [Fact]
    public void SurveyMetrics()
    {
        // NPS, 12 answers: promoters 10 9 9 10 9 10 (6), passives 8 7 8 (3), detractors 6 3 5 (3).
        // (6 − 3) / 12 = 25; p = .5, d = .25: 1.96 × √((.75 − .0625) / 12) × 100 = 46.914.
        var nps = SurveyFormulas.Nps(SurveyFormulas.Tally([10, 9, 9, 10, 8, 7, 6, 3, 9, 10, 8, 5], SurveyFormulas.NpsMax));
        Assert.Equal(25m, nps.Value);
        AssertParts(3m, 12m, 12, nps);
        AssertApprox(46.91392828, nps.MarginOfError, 6);

        // CSAT after support tickets: 5 4 4 3 5 2 4 5 → 6 of 8 satisfied = 75%.
        var csat = SurveyFormulas.Csat(SurveyFormulas.Tally([5, 4, 4, 3, 5, 2, 4, 5], SurveyFormulas.CsatMax));
        Assert.Equal(75m, csat.Value);
        AssertParts(6m, 8m, 8, csat);

        // CES after onboarding: 6 7 5 3 6 → mean 27 / 5 = 5.4; 4 of 5 found it easy = 80%.
        var tally = SurveyFormulas.Tally([6, 7, 5, 3, 6], SurveyFormulas.CesMax);
        Assert.Equal(5.4m, SurveyFormulas.Ces(tally).Value);
        Assert.Equal(80m, SurveyFormulas.CesEasyShare(tally).Value);
    }

    [Fact]
    public void EngagementMetrics()
    {
        // Support resolved 40 tickets in March, 30 on the first contact: 75%.
        Assert.Equal(75m, EngagementFormulas.FirstContactResolution(30, 40).Value);

        // Add-on store: 4 customers ordered in March, 1 of them twice: 25%.
        Assert.Equal(25m, EngagementFormulas.RepeatPurchaseRate(1, 4).Value);

        // Sign-ups in March with a 14-day window: Delta (Mar 5, activated Mar 12, 7 days: yes),
        // Fjord (Mar 8, activated Mar 25, 17 days: no), Gus (Mar 28, not yet: no) → 1 of 3.
        var window = TimeSpan.FromDays(14);
        var activated = new[]
        {
            EngagementFormulas.ActivatedWithin(new DateTime(2025, 3, 5, 14, 12, 0, DateTimeKind.Utc), Day(3, 12), window),
            EngagementFormulas.ActivatedWithin(Day(3, 8), Day(3, 25), window),
            EngagementFormulas.ActivatedWithin(Day(3, 28), null, window),
        };
        var rate = EngagementFormulas.ActivationRate(activated.LongCount(a => a), activated.Length);
        AssertValue(100m / 3m, rate);
        AssertParts(1m, 3m, 3, rate);
    }

    [Fact]
    public void SegmentsAddUpToTheCompany()
    {
        // Segment by plan: annual (Acme) vs monthly (the rest).
        var annual = RevenueLedger.Facts(Log.Where(row => row.CustomerId == "acme"), From, To);
        var monthly = RevenueLedger.Facts(Log.Where(row => row.CustomerId != "acme"), From, To);

        Assert.Equal(March, annual + monthly);

        // Annual: 500 → 700, NRR 140%. Monthly: Birch + Cedar = 500 at from, (500 − 250 − 50) / 500 = 40%
        // (Echo's 80 is not the starting base's). Company: kept 700 + 200 = 900 of 1 000 = 90%: rates do
        // not add, their facts do.
        Assert.Equal(140m, RevenueFormulas.NetRevenueRetention(annual).Value);
        Assert.Equal(40m, RevenueFormulas.NetRevenueRetention(monthly).Value);
        Assert.Equal(90m, RevenueFormulas.NetRevenueRetention(annual + monthly).Value);

        // GRR likewise: annual lost nothing (100%); monthly lost 300 of 500 (40%); company 300 of 1 000 (70%).
        Assert.Equal(100m, RevenueFormulas.GrossRevenueRetention(annual).Value);
        Assert.Equal(40m, RevenueFormulas.GrossRevenueRetention(monthly).Value);
        Assert.Equal(70m, RevenueFormulas.GrossRevenueRetention(annual + monthly).Value);
    }
}
