namespace GrowthBot.Core.Ports;

/// <summary>
/// Chart images the bot published by link (Teams cards link to the bot's own host for charts too
/// large to embed), kept durably so that a card posted before a restart still shows its chart.
/// Ids are the PNG's SHA-256 in lower-case hex, so saving the same chart twice stores it once.
/// </summary>
public interface IChartImageStore
{
    /// <summary>Keeps the PNG under <paramref name="id"/> (nothing happens if it is already kept).</summary>
    void Save(string id, byte[] png, DateTimeOffset savedAt);

    /// <summary>The PNG, or null when it was never saved or has been pruned.</summary>
    byte[]? Find(string id);
}
