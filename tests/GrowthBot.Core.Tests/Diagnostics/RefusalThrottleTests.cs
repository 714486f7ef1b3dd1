using GrowthBot.Core.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.Diagnostics;

public sealed class RefusalThrottleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 4, 0, 0, TimeSpan.Zero));

    [Fact]
    public void ShouldLog_FloodWithinOneInterval_LogsOnlyTheFirst()
    {
        var throttle = new RefusalThrottle(_time, TimeSpan.FromMinutes(1));

        var logged = Enumerable.Range(0, 1000).Count(attempt => throttle.ShouldLog(out _));

        Assert.Equal(1, logged);
    }

    [Fact]
    public void ShouldLog_AfterTheInterval_LogsAgainWithTheCountOfThoseNotLogged()
    {
        var throttle = new RefusalThrottle(_time, TimeSpan.FromMinutes(1));
        Assert.True(throttle.ShouldLog(out var first));
        for (var i = 0; i < 41; i++) Assert.False(throttle.ShouldLog(out _));

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(throttle.ShouldLog(out _));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(throttle.ShouldLog(out var unlogged));
        Assert.Equal(0L, first);
        Assert.Equal(42L, unlogged);
    }

    [Fact]
    public void ShouldLog_QuietAfterAFlood_StartsCountingFromZero()
    {
        var throttle = new RefusalThrottle(_time, TimeSpan.FromMinutes(1));
        throttle.ShouldLog(out _);
        throttle.ShouldLog(out _);
        _time.Advance(TimeSpan.FromMinutes(5));
        throttle.ShouldLog(out _);
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.True(throttle.ShouldLog(out var unlogged));
        Assert.Equal(0L, unlogged);
    }
}
