using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Tests.Questions;

public sealed class ChangeTextTests
{
    [Theory]
    [InlineData(MetricId.CustomerChurn, 2.701, 2.7)]
    [InlineData(MetricId.Mrr, 120000.001, 120000)]
    [InlineData(MetricId.Ces, 5.001, 5.0)]
    public void Describe_ChangeThatRoundsToZero_ReadsUnchangedNotGoodOrBad(MetricId id, double now, double before)
    {
        var text = ChangeText.Describe(MetricCatalog.Get(id), Result(now), Result(before), "May 2025", "USD");

        Assert.StartsWith("unchanged from ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("which is", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_VisibleChange_SaysUpOrDown()
    {
        var text = ChangeText.Describe(MetricCatalog.Get(MetricId.CustomerChurn), Result(2.5), Result(2.7), "May 2025", "USD");

        Assert.StartsWith("down 0.2 pts from 2.7", text, StringComparison.Ordinal);
        Assert.Contains("which is good", text, StringComparison.Ordinal);
    }

    private static MetricResult Result(double value) => new((decimal)value, (decimal)value, 100m, 100);
}
