using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Questions;

/// <summary>
/// Packs a metric question into a button's value and back: compact JSON such as
/// <c>{"m":["nps"],"f":"2025-10-31T23:00:00Z","t":"2025-11-26T10:00:00Z","l":"this month so far","c":[…],"b":"segment","s":"month","x":true}</c>,
/// well under Slack's 2,000-character limit even with every metric. A value that does not decode
/// (edited, truncated, from an older version) gives null, never an exception.
/// </summary>
internal static partial class QuestionActionCodec
{
    /// <summary>Button that shows the numerator, denominator, sample size and definition.</summary>
    public const string ExplainAction = "metric.explain";

    /// <summary>Button that shows the metric's recent trend.</summary>
    public const string TrendAction = "metric.trend";

    private const string Format = "yyyy-MM-ddTHH:mm:ssZ";

    public static string Encode(ParsedQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var period = question.Period ?? throw new ArgumentException("Only a question with a period can be put on a button.", nameof(question));
        var packed = new Packed
        {
            Metrics = question.Metrics.Select(metric => MetricCatalog.Get(metric).Name).ToArray(),
            From = Write(period.From),
            To = Write(period.To),
            Label = period.Label,
            Compare = question.Compare is { } compare ? [Write(compare.From), Write(compare.To)] : null,
            By = question.By == Breakdown.None ? null : question.By.ToString().ToLowerInvariant(),
            Series = question.Series == SeriesUnit.None ? null : question.Series.ToString().ToLowerInvariant(),
            Explain = question.Explain ? true : null,
            ToDate = period.ToDate ? true : null,
        };
        return JsonSerializer.Serialize(packed, PackedContext.Default.Packed);
    }

    public static ParsedQuestion? Decode(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 2000) return null;
        Packed? packed;
        try
        {
            packed = JsonSerializer.Deserialize(value, PackedContext.Default.Packed);
        }
        catch (JsonException)
        {
            return null;
        }
        if (packed?.Metrics is not { Length: > 0 } names || Read(packed.From) is not { } from || Read(packed.To) is not { } to || to <= from) return null;
        var metrics = new List<MetricId>();
        foreach (var name in names)
        {
            if (!MetricCatalog.TryFind(name, out var metric)) return null;
            metrics.Add(metric.Id);
        }
        QuestionPeriod? compare = null;
        if (packed.Compare is { Length: 2 } pair)
        {
            if (Read(pair[0]) is not { } compareFrom || Read(pair[1]) is not { } compareTo || compareTo <= compareFrom) return null;
            compare = new QuestionPeriod(compareFrom, compareTo, string.Empty);
        }
        var by = packed.By switch { null => Breakdown.None, "segment" => Breakdown.Segment, "channel" => Breakdown.Channel, _ => (Breakdown?)null };
        var series = packed.Series switch { null => SeriesUnit.None, "month" => SeriesUnit.Month, "week" => SeriesUnit.Week, _ => (SeriesUnit?)null };
        if (by is null || series is null) return null;
        var period = new QuestionPeriod(from, to, packed.Label ?? string.Empty, packed.ToDate == true);
        return new ParsedQuestion(QuestionIntent.Metrics, metrics, period, series == SeriesUnit.None ? compare : null, by.Value, series.Value, packed.Explain == true);
    }

    private static string Write(DateTime utc) => utc.ToString(Format, CultureInfo.InvariantCulture);

    private static DateTime? Read(string? text) =>
        DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var moment)
            ? moment
            : null;

    internal sealed class Packed
    {
        [JsonPropertyName("m")] public string[]? Metrics { get; set; }
        [JsonPropertyName("f")] public string? From { get; set; }
        [JsonPropertyName("t")] public string? To { get; set; }
        [JsonPropertyName("l")] public string? Label { get; set; }
        [JsonPropertyName("c")] public string[]? Compare { get; set; }
        [JsonPropertyName("b")] public string? By { get; set; }
        [JsonPropertyName("s")] public string? Series { get; set; }
        [JsonPropertyName("x")] public bool? Explain { get; set; }
        [JsonPropertyName("n")] public bool? ToDate { get; set; }
    }

    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(Packed))]
    internal sealed partial class PackedContext : JsonSerializerContext;
}
