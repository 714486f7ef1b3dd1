namespace GrowthBot.Bench.Questions;

/// <summary>A clock stopped at one moment, so every run asks about the same periods of the same generated history.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
