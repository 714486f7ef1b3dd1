using GrowthBot.Formulas;
using static GrowthBot.Formulas.Tests.TestSupport;

namespace GrowthBot.Formulas.Tests;

public sealed class SurveyFormulasTests
{
    /// <summary>An NPS tally with promoters answering 10, passives 8 and detractors 0.</summary>
    private static long[] NpsTally(long promoters, long passives, long detractors)
    {
        var tally = new long[SurveyFormulas.NpsMax + 1];
        tally[10] = promoters;
        tally[8] = passives;
        tally[0] = detractors;
        return tally;
    }

    // ---- NPS -------------------------------------------------------------------------------

    // Hand-worked: NPS = (P − D) / n × 100; MoE = 1.96 × √((p + d − (p − d)²) / n) × 100.
    // 50/30/20 of 100: p = .5, d = .2 → NPS 30; p + d − (p − d)² = .7 − .09 = .61,
    //   √(.61 / 100) = .0781025, × 1.96 × 100 = 15.3081.
    // 1/0/1 of 2: p = d = .5 → NPS 0; (1 − 0) / 2 = .5, √.5 = .707107 → 138.5929.
    // 3/6/1 of 10: p = .3, d = .1 → NPS 20; (.4 − .04) / 10 = .036, √ = .189737 → 37.1884.
    // 2/1/1 of 4: p = .5, d = .25 → NPS 25; (.75 − .0625) / 4 = .171875, √ = .414578 → 81.2573.
    [Theory]
    [InlineData(50, 30, 20, 30.0, 15.308089364777041)]
    [InlineData(100, 0, 0, 100.0, 0.0)]
    [InlineData(0, 0, 100, -100.0, 0.0)]
    [InlineData(0, 10, 0, 0.0, 0.0)]
    [InlineData(1, 0, 1, 0.0, 138.59292911256333)]
    [InlineData(3, 6, 1, 20.0, 37.18838528358014)]
    [InlineData(2, 1, 1, 25.0, 81.2573073637073)]
    [InlineData(1, 0, 0, 100.0, 0.0)]
    public void Nps_WorkedExamples_ValueAndMarginOfError(long promoters, long passives, long detractors, double nps, double marginOfError)
    {
        var result = SurveyFormulas.Nps(NpsTally(promoters, passives, detractors));

        AssertValue((decimal)nps, result);
        AssertApprox(marginOfError, result.MarginOfError, 4);
        var n = promoters + passives + detractors;
        AssertParts(promoters - detractors, n, n, result);
    }

    [Fact]
    public void Nps_FiftyThirtyTwenty_HasNumeratorThirtyOverHundred()
    {
        var result = SurveyFormulas.Nps(NpsTally(50, 30, 20));

        Assert.Equal(30m, result.Value);
        Assert.Equal(30m, result.Numerator);
        Assert.Equal(100m, result.Denominator);
        Assert.Equal(100, result.SampleSize);
        AssertApprox(15.308089, result.MarginOfError);
    }

    [Theory]
    [InlineData(0, -100)]
    [InlineData(1, -100)]
    [InlineData(5, -100)]
    [InlineData(6, -100)]
    [InlineData(7, 0)]
    [InlineData(8, 0)]
    [InlineData(9, 100)]
    [InlineData(10, 100)]
    public void Nps_SingleResponse_ClassifiesScore(int score, int expected)
    {
        var result = SurveyFormulas.Nps(SurveyFormulas.Tally([score], SurveyFormulas.NpsMax));

        Assert.Equal(expected, result.Value);
        Assert.Equal(0m, result.MarginOfError);
    }

    [Fact]
    public void Nps_AllPromoters_IsHundredWithZeroMargin()
    {
        var result = SurveyFormulas.Nps(SurveyFormulas.Tally([9, 10, 10, 9, 9], SurveyFormulas.NpsMax));

        Assert.Equal(100m, result.Value);
        Assert.Equal(0m, result.MarginOfError);
        AssertParts(5, 5, 5, result);
    }

    [Fact]
    public void Nps_AllDetractors_IsMinusHundred()
    {
        var result = SurveyFormulas.Nps(SurveyFormulas.Tally([0, 3, 6, 6], SurveyFormulas.NpsMax));

        Assert.Equal(-100m, result.Value);
        Assert.Equal(0m, result.MarginOfError);
        AssertParts(-4, 4, 4, result);
    }

    [Fact]
    public void Nps_OneThird_IsRepeatingDecimal()
    {
        // 2 promoters, 1 passive of 3: (2 − 0) / 3 × 100 = 66.67.
        var result = SurveyFormulas.Nps(SurveyFormulas.Tally([10, 9, 7], SurveyFormulas.NpsMax));

        AssertValue(200m / 3m, result);
    }

    [Fact]
    public void Nps_NoResponses_IsUndefined()
    {
        var result = SurveyFormulas.Nps(new long[SurveyFormulas.NpsMax + 1]);

        Assert.Null(result.Value);
        Assert.Null(result.MarginOfError);
        Assert.Equal(0, result.SampleSize);
    }

    [Fact]
    public void Nps_EmptyTally_IsUndefined()
    {
        var result = SurveyFormulas.Nps(ReadOnlySpan<long>.Empty);

        Assert.Null(result.Value);
        Assert.Equal(0, result.SampleSize);
    }

    [Fact]
    public void Nps_OnlyOutOfRangeScores_IsUndefined()
    {
        var result = SurveyFormulas.Nps(SurveyFormulas.Tally([11, -1, 42], SurveyFormulas.NpsMax));

        Assert.Null(result.Value);
    }

    [Fact]
    public void Nps_TallyLongerThanScale_IgnoresExtraScores()
    {
        var tally = new long[15];
        tally[10] = 1;
        tally[3] = 1;
        tally[12] = 50;

        var result = SurveyFormulas.Nps(tally);

        Assert.Equal(0m, result.Value);
        Assert.Equal(2, result.SampleSize);
    }

    [Fact]
    public void Nps_TallyShorterThanScale_CountsWhatIsThere()
    {
        // Only scores 0..4 present: three detractors.
        var result = SurveyFormulas.Nps(new long[] { 1, 0, 2, 0, 0 });

        Assert.Equal(-100m, result.Value);
        Assert.Equal(3, result.SampleSize);
    }

    [Fact]
    public void Nps_OutOfRangeScoresInTally_AreIgnored()
    {
        // 11 and −1 are dropped by Tally: 10, 9, 7, 2 → (2 − 1) / 4 = 25.
        var result = SurveyFormulas.Nps(SurveyFormulas.Tally([10, 9, 7, 2, 11, -1], SurveyFormulas.NpsMax));

        Assert.Equal(25m, result.Value);
        Assert.Equal(4, result.SampleSize);
    }

    // ---- CSAT ------------------------------------------------------------------------------

    // tally[score] for scores 0..5; index 0 is not on the CSAT scale.
    [Theory]
    [InlineData(new long[] { 0, 1, 1, 1, 1, 1 }, 40.0, 2, 5)]
    [InlineData(new long[] { 0, 0, 0, 0, 3, 7 }, 100.0, 10, 10)]
    [InlineData(new long[] { 0, 4, 2, 1, 0, 0 }, 0.0, 0, 7)]
    [InlineData(new long[] { 0, 2, 3, 5, 6, 4 }, 50.0, 10, 20)]
    [InlineData(new long[] { 0, 0, 0, 0, 0, 1 }, 100.0, 1, 1)]
    [InlineData(new long[] { 9, 0, 0, 1, 0, 3 }, 75.0, 3, 4)]
    public void Csat_WorkedExamples(long[] tally, double csat, long satisfied, long n)
    {
        var result = SurveyFormulas.Csat(tally);

        AssertValue((decimal)csat, result);
        AssertParts(satisfied, n, n, result);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(3, 0)]
    [InlineData(4, 100)]
    [InlineData(5, 100)]
    public void Csat_CountsFourAndFiveAsSatisfied(int score, int expected)
    {
        var result = SurveyFormulas.Csat(SurveyFormulas.Tally([score], SurveyFormulas.CsatMax));

        Assert.Equal(expected, result.Value);
    }

    [Fact]
    public void Csat_TwoOfThree_IsRepeatingDecimal()
    {
        var result = SurveyFormulas.Csat(SurveyFormulas.Tally([5, 4, 1], SurveyFormulas.CsatMax));

        AssertValue(200m / 3m, result);
        AssertParts(2, 3, 3, result);
    }

    [Fact]
    public void Csat_OutOfRangeScores_AreIgnored()
    {
        // 6 and −1 never reach the tally; 0 is tallied at index 0 but is not on the 1–5 scale.
        var tally = SurveyFormulas.Tally([0, 6, -1, 4, 5, 3], SurveyFormulas.CsatMax);

        var result = SurveyFormulas.Csat(tally);

        AssertValue(200m / 3m, result);
        AssertParts(2, 3, 3, result);
    }

    [Fact]
    public void Csat_NoResponses_IsUndefined()
    {
        var result = SurveyFormulas.Csat(new long[SurveyFormulas.CsatMax + 1]);

        Assert.Null(result.Value);
        Assert.Equal(0, result.SampleSize);
    }

    [Fact]
    public void Csat_OnlyZeroScores_IsUndefined()
    {
        var result = SurveyFormulas.Csat(new long[] { 5, 0, 0, 0, 0, 0 });

        Assert.Null(result.Value);
    }

    [Fact]
    public void Csat_EmptyTally_IsUndefined() =>
        Assert.Null(SurveyFormulas.Csat(ReadOnlySpan<long>.Empty).Value);

    // ---- CES -------------------------------------------------------------------------------

    // tally[score] for scores 0..7. Mean = Σ score × count / n; easy share = (5s + 6s + 7s) / n.
    // {1..7 once}: sum 28 / 7 = 4; easy 3 / 7 = 42.857%.
    // {3, 5, 5, 7}: sum 20 / 4 = 5; easy 3 / 4 = 75%.
    // {1, 1, 7, 7}: sum 16 / 4 = 4; easy 2 / 4 = 50%.
    // {7, 7, 7}: 7; 100%.   {2, 4}: 3; 0%.   {4, 4, 5}: 13 / 3 = 4.333; 33.33%.
    [Theory]
    [InlineData(new long[] { 0, 1, 1, 1, 1, 1, 1, 1 }, 28, 7, 4.0, 3)]
    [InlineData(new long[] { 0, 0, 0, 1, 0, 2, 0, 1 }, 20, 4, 5.0, 3)]
    [InlineData(new long[] { 0, 2, 0, 0, 0, 0, 0, 2 }, 16, 4, 4.0, 2)]
    [InlineData(new long[] { 0, 0, 0, 0, 0, 0, 0, 3 }, 21, 3, 7.0, 3)]
    [InlineData(new long[] { 0, 0, 1, 0, 1, 0, 0, 0 }, 6, 2, 3.0, 0)]
    [InlineData(new long[] { 4, 0, 0, 0, 2, 1, 0, 0 }, 13, 3, 4.333333333333, 1)]
    public void Ces_WorkedExamples_MeanAndEasyShare(long[] tally, long sum, long n, double mean, long easy)
    {
        var ces = SurveyFormulas.Ces(tally);
        var easyShare = SurveyFormulas.CesEasyShare(tally);

        AssertValue((decimal)mean, ces, 10);
        AssertParts(sum, n, n, ces);
        AssertValue(easy * 100m / n, easyShare);
        AssertParts(easy, n, n, easyShare);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(3, 0)]
    [InlineData(4, 0)]
    [InlineData(5, 100)]
    [InlineData(6, 100)]
    [InlineData(7, 100)]
    public void CesEasyShare_CountsFiveToSevenAsEasy(int score, int expected)
    {
        var result = SurveyFormulas.CesEasyShare(SurveyFormulas.Tally([score], SurveyFormulas.CesMax));

        Assert.Equal(expected, result.Value);
    }

    [Fact]
    public void Ces_OutOfRangeScores_AreIgnored()
    {
        // 0 lands at index 0 (off the 1–7 scale), 8 and −3 are dropped by Tally: mean of 6 and 2 is 4.
        var tally = SurveyFormulas.Tally([0, 8, -3, 6, 2], SurveyFormulas.CesMax);

        AssertValue(4m, SurveyFormulas.Ces(tally));
        AssertValue(50m, SurveyFormulas.CesEasyShare(tally));
        Assert.Equal(2, SurveyFormulas.Ces(tally).SampleSize);
    }

    [Fact]
    public void Ces_NoResponses_IsUndefined()
    {
        var tally = new long[SurveyFormulas.CesMax + 1];

        Assert.Null(SurveyFormulas.Ces(tally).Value);
        Assert.Null(SurveyFormulas.CesEasyShare(tally).Value);
        Assert.Equal(0, SurveyFormulas.Ces(tally).SampleSize);
    }

    [Fact]
    public void Ces_EmptyTally_IsUndefined()
    {
        Assert.Null(SurveyFormulas.Ces(ReadOnlySpan<long>.Empty).Value);
        Assert.Null(SurveyFormulas.CesEasyShare(ReadOnlySpan<long>.Empty).Value);
    }

    // ---- Tally -----------------------------------------------------------------------------

    [Fact]
    public void Tally_CountsScoresByIndex()
    {
        var tally = SurveyFormulas.Tally([9, 9, 10, 3, 0], SurveyFormulas.NpsMax);

        Assert.Equal(new long[] { 1, 0, 0, 1, 0, 0, 0, 0, 0, 2, 1 }, tally);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void Tally_OutOfRangeScore_IsIgnored(int score)
    {
        var tally = SurveyFormulas.Tally([score, 7], SurveyFormulas.NpsMax);

        Assert.Equal(11, tally.Length);
        Assert.Equal(1, tally.Sum());
        Assert.Equal(1, tally[7]);
    }

    [Fact]
    public void Tally_NoScores_IsAllZeroOfScaleLength()
    {
        var tally = SurveyFormulas.Tally([], SurveyFormulas.CsatMax);

        Assert.Equal(new long[6], tally);
    }
}
