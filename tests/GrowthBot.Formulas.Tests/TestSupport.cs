using GrowthBot.Formulas;

namespace GrowthBot.Formulas.Tests;

/// <summary>Fixed dates and assertions shared by the formula specs.</summary>
internal static class TestSupport
{
    /// <summary>Decimal places to which a value from decimal division is compared.</summary>
    public const int DecimalPlaces = 10;

    /// <summary>Decimal places to which a value from double math (margins, compounding) is compared.</summary>
    public const int DoublePlaces = 6;

    /// <summary>Midnight UTC on the given day of 2025.</summary>
    public static DateTime Day(int month, int day) => new(2025, month, day, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A row of the subscriptions log: from <paramref name="at"/> on, <paramref name="customer"/> pays <paramref name="mrr"/>.</summary>
    public static SubscriptionChange Row(string customer, DateTime at, decimal mrr) => new(customer, at, mrr);

    /// <summary>Asserts a defined value equal to <paramref name="expected"/> to <paramref name="places"/> decimal places.</summary>
    public static void AssertValue(decimal expected, MetricResult result, int places = DecimalPlaces)
    {
        Assert.NotNull(result.Value);
        Assert.Equal(expected, result.Value.Value, places);
    }

    /// <summary>Asserts a defined value from double math, within 10^-<paramref name="places"/>.</summary>
    public static void AssertApprox(double expected, decimal? actual, int places = DoublePlaces)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected, (double)actual.Value, places);
    }

    /// <summary>Asserts what a ratio was computed from.</summary>
    public static void AssertParts(decimal? numerator, decimal? denominator, long sampleSize, MetricResult result)
    {
        Assert.Equal(numerator, result.Numerator);
        Assert.Equal(denominator, result.Denominator);
        Assert.Equal(sampleSize, result.SampleSize);
    }
}
