namespace GrowthBot.Core.Questions;

/// <summary>A one-line text chart of a series ("▁▃▅▇"), with "·" where there is no data.</summary>
internal static class Sparkline
{
    private const string Bars = "▁▂▃▄▅▆▇█";

    public static string Draw(IReadOnlyList<decimal?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var known = values.Where(value => value is not null).Select(value => value!.Value).ToList();
        if (known.Count == 0) return new string('·', values.Count);
        var (low, high) = (known.Min(), known.Max());
        return string.Concat(values.Select(value => value is not { } v
            ? '·'
            : high == low ? Bars[Bars.Length / 2] : Bars[(int)Math.Round((v - low) / (high - low) * (Bars.Length - 1))]));
    }
}
