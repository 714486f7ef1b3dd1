using System.Globalization;
using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Digests;

/// <summary>Reads a target as typed: "45", "2%", "2.5 %", "$1,200", "USD 1200", "1.2k", within the metric's range.</summary>
internal static class TargetValue
{
    public static bool TryParse(MetricDefinition metric, string text, string currency, out decimal value, out string error)
    {
        error = string.Empty;
        var cleaned = text.Trim().Replace(",", "", StringComparison.Ordinal).Replace("%", "", StringComparison.Ordinal).Replace("$", "", StringComparison.Ordinal)
            .Replace("€", "", StringComparison.Ordinal).Replace("£", "", StringComparison.Ordinal).Replace("×", "", StringComparison.Ordinal);
        if (cleaned.StartsWith(currency, StringComparison.OrdinalIgnoreCase)) cleaned = cleaned[currency.Length..];
        cleaned = cleaned.Trim();
        var scale = 1m;
        if (cleaned.EndsWith('k') || cleaned.EndsWith('K'))
        {
            scale = 1_000m;
            cleaned = cleaned[..^1];
        }
        else if (cleaned.EndsWith('m') || cleaned.EndsWith('M'))
        {
            scale = 1_000_000m;
            cleaned = cleaned[..^1];
        }
        if (!decimal.TryParse(cleaned, NumberStyles.Number, CultureInfo.InvariantCulture, out value))
        {
            error = $"\"{text}\" is not a number. For example: target {metric.Name} {(metric.Unit == MetricUnit.Percent ? "2%" : "45")}.";
            return false;
        }
        value *= scale;
        var (low, high) = metric.Unit switch
        {
            MetricUnit.NpsScore => (-100m, 100m),
            MetricUnit.MeanScore => (1m, 7m),
            MetricUnit.Percent => (-100m, 1000m),
            _ => (0m, decimal.MaxValue),
        };
        if (value < low || value > high)
        {
            error = $"A target for {metric.Title} must be between {MetricFormatter.Value(metric, low, currency)} and {(high == decimal.MaxValue ? "any amount" : MetricFormatter.Value(metric, high, currency))}.";
            return false;
        }
        return true;
    }
}
