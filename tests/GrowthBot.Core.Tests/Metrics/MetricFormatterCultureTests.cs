using GrowthBot.Core.Metrics;
using GrowthBot.Core.Tests.Text;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Tests.Metrics;

/// <summary>Every kind of value the formatter writes, in the asker's culture; no culture keeps today's text.</summary>
public sealed class MetricFormatterCultureTests
{
    [Theory]
    [InlineData(null, "USD 12,345.60", "2.31%", "12,345", "+32.5", "5.40 / 7", "2.80×")]
    [InlineData("en-US", "USD 12,345.60", "2.31%", "12,345", "+32.5", "5.40 / 7", "2.80×")]
    [InlineData("de-DE", "12.345,60 USD", "2,31 %", "12.345", "+32,5", "5,40 / 7", "2,80×")]
    [InlineData("fr-FR", "12{group}345,60 USD", "2,31 %", "12{group}345", "+32,5", "5,40 / 7", "2,80×")]
    [InlineData("ja-JP", "USD 12,345.60", "2.31%", "12,345", "+32.5", "5.40 / 7", "2.80×")]
    public void Value_EveryUnit_InTheCulture(string? locale, string money, string percent, string count, string nps, string mean, string ratio)
    {
        var culture = AnswerCultureTests.Culture(locale);
        Assert.Equal(AnswerCultureTests.Expected(money, locale), MetricFormatter.Value(MetricCatalog.Get(MetricId.Mrr), 12345.6m, "USD", culture));
        Assert.Equal(percent, MetricFormatter.Value(MetricCatalog.Get(MetricId.CustomerChurn), 2.31m, "USD", culture));
        Assert.Equal(AnswerCultureTests.Expected(count, locale), MetricFormatter.Value(MetricCatalog.Get(MetricId.NewCustomers), 12345m, "USD", culture));
        Assert.Equal(nps, MetricFormatter.Value(MetricCatalog.Get(MetricId.Nps), 32.5m, "USD", culture));
        Assert.Equal(mean, MetricFormatter.Value(MetricCatalog.Get(MetricId.Ces), 5.4m, "USD", culture));
        Assert.Equal(ratio, MetricFormatter.Value(MetricCatalog.Get(MetricId.LtvCac), 2.8m, "USD", culture));
    }

    [Theory]
    [InlineData(null, "+USD 1,234.50 (+10%)", "−0.4 pts")]
    [InlineData("en-US", "+USD 1,234.50 (+10%)", "−0.4 pts")]
    [InlineData("de-DE", "+1.234,50 USD (+10 %)", "−0,4 pts")]
    [InlineData("fr-FR", "+1{group}234,50 USD (+10 %)", "−0,4 pts")]
    [InlineData("ja-JP", "+USD 1,234.50 (+10%)", "−0.4 pts")]
    public void Change_MoneyAndPoints_InTheCulture(string? locale, string money, string points)
    {
        var culture = AnswerCultureTests.Culture(locale);
        Assert.Equal(AnswerCultureTests.Expected(money, locale), MetricFormatter.Change(MetricCatalog.Get(MetricId.Mrr), 13579.5m, 12345m, "USD", culture));
        Assert.Equal(points, MetricFormatter.Change(MetricCatalog.Get(MetricId.CustomerChurn), 2.31m, 2.71m, "USD", culture));
    }

    [Theory]
    [InlineData(null, "1,041 of 1,314.5, n = 12,345, ±4.1 at 95%")]
    [InlineData("de-DE", "1.041 of 1.314,5, n = 12.345, ±4,1 at 95%")]
    [InlineData("ja-JP", "1,041 of 1,314.5, n = 12,345, ±4.1 at 95%")]
    public void Basis_CountsAndMargin_InTheCulture(string? locale, string expected) =>
        Assert.Equal(expected, MetricFormatter.Basis(MetricCatalog.Get(MetricId.Nps), new MetricResult(30m, 1041m, 1314.5m, 12345, 4.1m), "USD", AnswerCultureTests.Culture(locale)));

    [Fact]
    public void Workings_TermsAndResult_InTheCulture()
    {
        var metric = MetricCatalog.Get(MetricId.GrossRevenueChurn);
        var workings = new MetricWorkings("({0} + {1}) ÷ {2} × 100", [new MetricTerm("churned MRR", 250m, TermUnit.Money), new MetricTerm("contraction MRR", 50m, TermUnit.Money), new MetricTerm("MRR at the start", 1000m, TermUnit.Money)]);

        var text = MetricFormatter.Workings(metric, workings, 30m, "EUR", AnswerCultureTests.Culture("de-DE"));

        Assert.Equal($"{metric.Title} = (churned MRR 250,00 EUR + contraction MRR 50,00 EUR) ÷ MRR at the start 1.000,00 EUR × 100 = 30 %", text);
    }
}
