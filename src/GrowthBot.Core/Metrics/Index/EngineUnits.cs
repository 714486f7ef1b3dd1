namespace GrowthBot.Core.Metrics.Index;

/// <summary>
/// The compact units the in-memory index works in, so a million customers fit comfortably:
/// moments as whole seconds since 2000-01-01 UTC in an <see cref="int"/> (good until 2068) and
/// money as ten-thousandths of the currency unit in a <see cref="long"/> (exact for four decimals).
/// The importer refuses data outside these ranges, so nothing is silently clipped.
/// </summary>
internal static class EngineUnits
{
    public static readonly DateTime Epoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime LatestMoment = Epoch.AddSeconds(int.MaxValue - 1);
    public const decimal MoneyScale = 10_000m;

    /// <summary>Seconds since the epoch; moments outside the range clamp to its ends (used for query bounds).</summary>
    public static int ToSeconds(DateTime moment)
    {
        var seconds = Math.Floor((moment.ToUniversalTime() - Epoch).TotalSeconds);
        return seconds <= int.MinValue + 1 ? int.MinValue + 1 : seconds >= int.MaxValue - 1 ? int.MaxValue - 1 : (int)seconds;
    }

    public static DateTime ToDateTime(int seconds) => Epoch.AddSeconds(seconds);

    public static long ToMoney(decimal amount) => (long)decimal.Round(amount * MoneyScale, MidpointRounding.AwayFromZero);

    public static decimal ToDecimal(long money) => money / MoneyScale;
}
