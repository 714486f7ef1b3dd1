namespace GrowthBot.Storage.Postgres;

/// <summary>Instants as both stores keep them: UTC, cut to the millisecond (LiteDB's precision).</summary>
internal static class Instant
{
    public static DateTimeOffset Ms(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    public static DateTimeOffset? Ms(DateTimeOffset? value) => value is { } at ? Ms(at) : null;
}
