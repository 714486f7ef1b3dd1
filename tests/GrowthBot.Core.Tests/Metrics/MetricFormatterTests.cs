using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Tests.Metrics;

public sealed class MetricFormatterTests
{
    [Fact]
    public void Basis_MoneyOverMoney_IsRoundedToCentsWithTheCurrency()
    {
        var churn = MetricCatalog.Get(MetricId.GrossRevenueChurn);

        var basis = MetricFormatter.Basis(churn, new MetricResult(1.2345m, 152.403857m, 12_345.678901m, 41), "USD");

        Assert.Equal("USD 152.40 ÷ USD 12,345.68, n = 41", basis);
    }

    [Theory]
    [InlineData(MetricId.Arpa, 12_345.678901, 41, "USD 12,345.68 ÷ 41")]          // money over a count of customers
    [InlineData(MetricId.Cac, 5_000.5, 7, "USD 5,000.50 ÷ 7")]
    [InlineData(MetricId.Ltv, 350.123, 0.0123456, "USD 350.12 ÷ 0.0123")]          // over a monthly churn share
    [InlineData(MetricId.CustomerChurn, 8, 1_972, "8 of 1,972")]
    public void Basis_KeepsCountsAndSharesAsTheyAre(MetricId metric, double top, double bottom, string expected) =>
        Assert.StartsWith(expected + ",", MetricFormatter.Basis(MetricCatalog.Get(metric), new MetricResult(1m, (decimal)top, (decimal)bottom, 1), "USD"), StringComparison.Ordinal);

    [Fact]
    public void NumeratorAndDenominator_OfRevenueRatios_AreMoney()
    {
        var nrr = MetricCatalog.Get(MetricId.Nrr);

        Assert.Equal("USD 9,876.54", MetricFormatter.Numerator(nrr, 9_876.54321m, "USD"));
        Assert.Equal("USD 12,345.68", MetricFormatter.Denominator(nrr, 12_345.678901m, "USD"));
    }
}
