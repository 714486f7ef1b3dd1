using GrowthBot.Formulas;
using static GrowthBot.Formulas.Tests.TestSupport;

namespace GrowthBot.Formulas.Tests;

public sealed class EngagementFormulasTests
{
    private static readonly TimeSpan FourteenDays = TimeSpan.FromDays(14);

    [Theory]
    [InlineData(30, 40, 75.0)]
    [InlineData(0, 12, 0.0)]
    [InlineData(7, 7, 100.0)]
    [InlineData(1, 3, 33.3333333333)]
    [InlineData(123, 200, 61.5)]
    public void FirstContactResolution_IsResolvedOnFirstContactOverResolved(long firstContact, long resolved, double rate)
    {
        var result = EngagementFormulas.FirstContactResolution(firstContact, resolved);

        AssertValue((decimal)rate, result, 8);
        AssertParts(firstContact, resolved, resolved, result);
    }

    [Fact]
    public void FirstContactResolution_NoTickets_IsUndefined()
    {
        var result = EngagementFormulas.FirstContactResolution(0, 0);

        Assert.Null(result.Value);
        Assert.Equal(0, result.SampleSize);
    }

    [Theory]
    [InlineData(25, 100, 25.0)]
    [InlineData(0, 5, 0.0)]
    [InlineData(5, 5, 100.0)]
    [InlineData(2, 3, 66.6666666667)]
    public void RepeatPurchaseRate_IsRepeatBuyersOverBuyers(long repeat, long buyers, double rate)
    {
        var result = EngagementFormulas.RepeatPurchaseRate(repeat, buyers);

        AssertValue((decimal)rate, result, 8);
        AssertParts(repeat, buyers, buyers, result);
    }

    [Fact]
    public void RepeatPurchaseRate_NoOrders_IsUndefined() =>
        Assert.Null(EngagementFormulas.RepeatPurchaseRate(0, 0).Value);

    [Theory]
    [InlineData(40, 50, 80.0)]
    [InlineData(0, 9, 0.0)]
    [InlineData(1, 8, 12.5)]
    [InlineData(1, 1, 100.0)]
    public void ActivationRate_IsActivatedOverSignedUp(long activated, long signedUp, double rate)
    {
        var result = EngagementFormulas.ActivationRate(activated, signedUp);

        AssertValue((decimal)rate, result);
        AssertParts(activated, signedUp, signedUp, result);
    }

    [Fact]
    public void ActivationRate_NoSignUps_IsUndefined()
    {
        var result = EngagementFormulas.ActivationRate(0, 0);

        Assert.Null(result.Value);
        Assert.Equal(0, result.SampleSize);
    }

    // Sign-up Mar 1 00:00 UTC, 14-day window: activation up to and including Mar 15 00:00 counts.
    [Theory]
    [InlineData(0, 0, true)] // the same instant
    [InlineData(0, 1, true)]
    [InlineData(7, 0, true)]
    [InlineData(13, 23 * 60 + 59, true)]
    [InlineData(14, 0, true)] // exactly at the window
    [InlineData(14, 1, false)] // a minute past it
    [InlineData(15, 0, false)]
    [InlineData(-1, 0, false)] // before signing up
    public void ActivatedWithin_Window(int days, int minutes, bool expected)
    {
        var signedUp = Day(3, 1);
        var activated = signedUp.AddDays(days).AddMinutes(minutes);

        Assert.Equal(expected, EngagementFormulas.ActivatedWithin(signedUp, activated, FourteenDays));
    }

    [Fact]
    public void ActivatedWithin_ExactlyAtWindowToTheTick_Counts()
    {
        var signedUp = Day(3, 1);

        Assert.True(EngagementFormulas.ActivatedWithin(signedUp, signedUp + FourteenDays, FourteenDays));
        Assert.False(EngagementFormulas.ActivatedWithin(signedUp, signedUp + FourteenDays + TimeSpan.FromTicks(1), FourteenDays));
    }

    [Fact]
    public void ActivatedWithin_NotActivated_IsFalse() =>
        Assert.False(EngagementFormulas.ActivatedWithin(Day(3, 1), null, FourteenDays));

    [Fact]
    public void ActivationRate_FromSignUps_RecentSignUpInsideWindowIsNotYetActivated()
    {
        // March sign-ups with a 14-day window: a activated on day 3, b on day 14 exactly, c on day 20 (too late),
        // d signed up Mar 28 and has not activated yet, e never did. 2 of 5 = 40%.
        var signUps = new (DateTime SignedUp, DateTime? Activated)[]
        {
            (Day(3, 2), Day(3, 5)),
            (Day(3, 4), Day(3, 18)),
            (Day(3, 6), Day(3, 26)),
            (Day(3, 28), null),
            (Day(3, 10), null),
        };

        var activated = signUps.LongCount(s => EngagementFormulas.ActivatedWithin(s.SignedUp, s.Activated, FourteenDays));
        var result = EngagementFormulas.ActivationRate(activated, signUps.Length);

        Assert.Equal(40m, result.Value);
        AssertParts(2m, 5m, 5, result);
    }
}
