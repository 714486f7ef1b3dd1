using GrowthBot.Formulas;
using static GrowthBot.Formulas.Tests.TestSupport;

namespace GrowthBot.Formulas.Tests;

public sealed class AcquisitionFormulasTests
{
    private const double Month = 1.0;

    // ---- CAC -------------------------------------------------------------------------------

    [Theory]
    [InlineData(10_000.0, 8, 1_250.0)]
    [InlineData(5_000.0, 3, 1_666.666666666667)]
    [InlineData(0.0, 4, 0.0)]
    [InlineData(99.99, 1, 99.99)]
    public void Cac_IsSpendPerNewCustomer(double spend, long newCustomers, double cac)
    {
        var result = AcquisitionFormulas.Cac((decimal)spend, newCustomers);

        AssertValue((decimal)cac, result, 9);
        AssertParts((decimal)spend, newCustomers, newCustomers, result);
    }

    [Theory]
    [InlineData(1_000.0)]
    [InlineData(0.0)]
    public void Cac_NoNewCustomers_IsUndefined(double spend)
    {
        var result = AcquisitionFormulas.Cac((decimal)spend, 0);

        Assert.Null(result.Value);
        AssertParts((decimal)spend, 0m, 0, result);
    }

    // ---- Monthly churn ---------------------------------------------------------------------

    // 1 − (1 − c)^(1 / months), months = days / 30.4375.
    // 3 months, 27.1%: 1 − 0.729^(1/3) = 1 − 0.9 = 10%.   2 months, 19%: 1 − 0.81^(1/2) = 10%.
    // 12 months, 1 − 0.9^12 = 71.757%: 10%.   Half a month, 5%: 1 − 0.95² = 9.75%.
    // 90 days (Jan–Mar 2025) = 2.95688 months, 25%: 1 − 0.75^(1/2.95688) = 9.2709%.
    [Theory]
    [InlineData(0.10, 1.0, 0.10)]
    [InlineData(0.271, 3.0, 0.10)]
    [InlineData(0.19, 2.0, 0.10)]
    [InlineData(0.7175704635, 12.0, 0.10)]
    [InlineData(0.05, 0.5, 0.0975)]
    [InlineData(0.0, 3.0, 0.0)]
    [InlineData(1.0, 3.0, 1.0)]
    [InlineData(1.5, 3.0, 1.0)]
    public void MonthlyChurnShare_Compounds(double periodChurn, double months, double monthlyChurn)
    {
        var result = AcquisitionFormulas.MonthlyChurnShare((decimal)periodChurn, months * Month);

        AssertApprox(monthlyChurn, result, 9);
    }

    [Fact]
    public void MonthlyChurnShare_Quarter_IsThreeCalendarMonths()
    {
        // Q1 has 90 days; as calendar months it is 3, whatever their lengths: 1 − 0.75^(1/3) = 9.1440%.
        var result = AcquisitionFormulas.MonthlyChurnShare(0.25m, 3);

        AssertApprox(0.0914397036, result, 9);
    }

    [Fact]
    public void MonthlyChurnShare_OneMonth_ReturnsItsOwnChurn() =>
        AssertApprox(0.2, AcquisitionFormulas.MonthlyChurnShare(0.2m, Month), 12);

    [Theory]
    [InlineData(0.1, 0.0)]
    [InlineData(0.1, -30.0)]
    [InlineData(-0.1, 30.0)]
    public void MonthlyChurnShare_EmptyPeriodOrNegativeChurn_IsUndefined(double periodChurn, double days) =>
        Assert.Null(AcquisitionFormulas.MonthlyChurnShare((decimal)periodChurn, days));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void MonthlyChurnShare_NonFiniteDays_IsUndefined(double days)
    {
        // Formulas are total: undefined is null, never an exception.
        Assert.Null(AcquisitionFormulas.MonthlyChurnShare(0.1m, days));
        Assert.Null(AcquisitionFormulas.MonthlyChurnShare(0m, days));
        Assert.Null(AcquisitionFormulas.MonthlyChurnShare(1m, days));
    }

    // ---- LTV -------------------------------------------------------------------------------

    /// <summary>Facts with what LTV reads: customers and churn at from, MRR and customers at to.</summary>
    private static RevenueFacts LtvFacts(long payingAtFrom, long startChurned, long payingAtTo, decimal mrrAtTo) => new()
    {
        PayingAtFrom = payingAtFrom,
        StartCustomersChurned = startChurned,
        PayingAtTo = payingAtTo,
        MrrAtTo = mrrAtTo,
    };

    // LTV = ARPA × margin / monthly churn.
    // 10 customers, 1 churned in a month, 1 000 over 10 at to: 100 × 0.8 / 0.1 = 800.
    // 1 000 customers, 271 churned in 3 months (10%/month), 80 000 over 1 000: 80 × 1 / 0.1 = 800.
    // 20 customers, 1 churned in a month (5%), 4 000 over 20: 200 × 0.75 / 0.05 = 3 000.
    // 2 customers, both churned in a month (100%), 1 new paying 50: 50 × 1 / 1 = 50.
    // 10 customers, 1 churned in 2 months: 1 − 0.9^(1/2) = 5.1317%; 100 × 0.8 / 0.0513167 = 1 558.9466.
    [Theory]
    [InlineData(10, 1, 10, 1_000.0, 1.0, 0.8, 80.0, 0.1, 800.0)]
    [InlineData(1_000, 271, 1_000, 80_000.0, 3.0, 1.0, 80.0, 0.1, 800.0)]
    [InlineData(20, 1, 20, 4_000.0, 1.0, 0.75, 150.0, 0.05, 3_000.0)]
    [InlineData(2, 2, 1, 50.0, 1.0, 1.0, 50.0, 1.0, 50.0)]
    [InlineData(10, 1, 10, 1_000.0, 2.0, 0.8, 80.0, 0.0513167019, 1_558.9466384)]
    public void Ltv_IsMarginOverMonthlyChurn(
        long payingAtFrom, long startChurned, long payingAtTo, double mrrAtTo, double months, double grossMargin,
        double margin, double monthlyChurn, double ltv)
    {
        var facts = LtvFacts(payingAtFrom, startChurned, payingAtTo, (decimal)mrrAtTo);

        var result = AcquisitionFormulas.Ltv(facts, months * Month, (decimal)grossMargin);

        AssertApprox(ltv, result.Value, 3);
        Assert.Equal((decimal)margin, result.Numerator);
        AssertApprox(monthlyChurn, result.Denominator, 9);
        Assert.Equal(payingAtFrom, result.SampleSize);
    }

    [Fact]
    public void Ltv_NobodyChurned_IsUndefined()
    {
        var result = AcquisitionFormulas.Ltv(LtvFacts(10, 0, 12, 1_200m), Month, 0.8m);

        Assert.Null(result.Value);
        AssertParts(80m, 0m, 10, result);
    }

    [Fact]
    public void Ltv_NoPayingCustomersAtFrom_IsUndefined()
    {
        var result = AcquisitionFormulas.Ltv(LtvFacts(0, 0, 3, 300m), Month, 0.8m);

        Assert.Null(result.Value);
        Assert.Equal(0, result.SampleSize);
    }

    [Fact]
    public void Ltv_NoPayingCustomersAtTo_IsUndefined()
    {
        var result = AcquisitionFormulas.Ltv(LtvFacts(3, 3, 0, 0m), Month, 0.8m);

        Assert.Null(result.Value);
        Assert.Equal(3, result.SampleSize);
    }

    [Fact]
    public void Ltv_EmptyPeriod_IsUndefined()
    {
        var result = AcquisitionFormulas.Ltv(LtvFacts(10, 1, 10, 1_000m), 0, 0.8m);

        Assert.Null(result.Value);
        Assert.Equal(80m, result.Numerator);
        Assert.Null(result.Denominator);
    }

    [Fact]
    public void Ltv_EmptyFacts_IsUndefined() =>
        Assert.Null(AcquisitionFormulas.Ltv(RevenueFacts.Empty, Month, 1m).Value);

    // ---- LTV:CAC ---------------------------------------------------------------------------

    [Fact]
    public void LtvToCac_IsLtvOverCac()
    {
        // LTV 800 from 10 customers; CAC 1 000 / 5 = 200 from 5 new customers → 4, resting on min(10, 5) = 5.
        var ltv = AcquisitionFormulas.Ltv(LtvFacts(10, 1, 10, 1_000m), Month, 0.8m);
        var cac = AcquisitionFormulas.Cac(1_000m, 5);

        var result = AcquisitionFormulas.LtvToCac(ltv, cac);

        AssertApprox(4.0, result.Value, 9);
        AssertApprox(800.0, result.Numerator, 9);
        Assert.Equal(200m, result.Denominator);
        Assert.Equal(5, result.SampleSize);
    }

    [Fact]
    public void LtvToCac_NoNewCustomers_IsUndefined()
    {
        var ltv = AcquisitionFormulas.Ltv(LtvFacts(10, 1, 10, 1_000m), Month, 0.8m);
        var cac = AcquisitionFormulas.Cac(1_000m, 0);

        var result = AcquisitionFormulas.LtvToCac(ltv, cac);

        Assert.Null(result.Value);
        AssertApprox(800.0, result.Numerator, 9);
        Assert.Null(result.Denominator);
        Assert.Equal(0, result.SampleSize);
    }

    [Fact]
    public void LtvToCac_NobodyChurned_IsUndefined()
    {
        var ltv = AcquisitionFormulas.Ltv(LtvFacts(10, 0, 10, 1_000m), Month, 0.8m);
        var cac = AcquisitionFormulas.Cac(1_000m, 5);

        var result = AcquisitionFormulas.LtvToCac(ltv, cac);

        Assert.Null(result.Value);
        Assert.Null(result.Numerator);
        Assert.Equal(200m, result.Denominator);
    }

    [Fact]
    public void LtvToCac_FreeAcquisition_IsUndefined()
    {
        // CAC 0 (nothing spent) is defined, but a ratio over it is not.
        var ltv = AcquisitionFormulas.Ltv(LtvFacts(10, 1, 10, 1_000m), Month, 0.8m);
        var cac = AcquisitionFormulas.Cac(0m, 5);

        Assert.Equal(0m, cac.Value);
        Assert.Null(AcquisitionFormulas.LtvToCac(ltv, cac).Value);
    }
}
