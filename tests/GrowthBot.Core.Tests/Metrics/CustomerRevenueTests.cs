using GrowthBot.Core.Metrics.Index;

namespace GrowthBot.Core.Tests.Metrics;

/// <summary>
/// Where a changed customer's rows first differ from the index's: answers for periods that end by
/// then skip the customer, so it must never be later than the first real difference.
/// </summary>
public sealed class CustomerRevenueTests
{
    [Theory]
    // The same rows: no difference.
    [InlineData(new[] { 10, 20 }, new long[] { 5, 7 }, new[] { 10, 20 }, new long[] { 5, 7 }, int.MaxValue)]
    // A row added after the old ones (a webhook's change dated now).
    [InlineData(new[] { 10, 20 }, new long[] { 5, 7 }, new[] { 10, 20, 30 }, new long[] { 5, 7, 9 }, 30)]
    // A row's MRR changed at its moment.
    [InlineData(new[] { 10, 20 }, new long[] { 5, 7 }, new[] { 10, 20 }, new long[] { 5, 8 }, 20)]
    // A row dated in the past, between the old ones.
    [InlineData(new[] { 10, 20 }, new long[] { 5, 7 }, new[] { 10, 15, 20 }, new long[] { 5, 6, 7 }, 15)]
    // A row taken away (replaced by one at another moment).
    [InlineData(new[] { 10, 20 }, new long[] { 5, 7 }, new[] { 10 }, new long[] { 5 }, 20)]
    // None in the index: the first row now.
    [InlineData(new int[0], new long[0], new[] { 40 }, new long[] { 3 }, 40)]
    public void FirstDifference_IsTheEarliestMomentWhereTheRowsDiffer(int[] baseMoments, long[] baseMrr, int[] moments, long[] mrr, int expected)
    {
        var customer = new CustomerRevenue(baseMoments.Length == 0 ? -1 : 0, baseMoments, baseMrr, moments, mrr, 0, 0);

        Assert.Equal(expected, customer.FirstDifference);
    }
}
