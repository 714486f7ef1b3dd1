using System.Text.Encodings.Web;
using System.Text.Json;
using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;

namespace GrowthBot.Host.Cli;

/// <summary>
/// The <c>metric --json</c> shape: <c>{"metric","from","to","value","numerator","denominator","n","by","previous"}</c>
/// plus <c>unit</c>, <c>dataEnds</c> and <c>freshness</c> when known, and, for NPS, <c>marginOfError</c>. Rates are percent numbers, money in currency
/// units, CES the mean score, ratios plain numbers, and <c>null</c> where undefined.
/// </summary>
internal static class MetricAnswerJson
{
    private const int Decimals = 4;

    public static string Write(MetricAnswer answer)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("metric", answer.Metric.Name);
            json.WriteString("unit", UnitName(answer.Metric.Unit));
            WritePeriod(json, answer);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WritePeriod(Utf8JsonWriter json, MetricAnswer answer)
    {
        json.WriteString("from", answer.From.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("to", answer.To.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        WriteResult(json, answer.Result);
        if (answer.DataGap is { } gap)
        {
            // The period runs past the newest row of this source (see docs/metrics.md, stale data).
            json.WriteStartObject("dataEnds");
            json.WriteString("source", gap.Source.ToString().ToLowerInvariant());
            json.WriteString("at", gap.LastDataAt.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        if (answer.Age is { } age)
        {
            // How old the data behind the answer is, and whether that is past the source's threshold (Freshness__*MaxAge).
            json.WriteStartObject("freshness");
            json.WriteString("source", age.Source.ToString().ToLowerInvariant());
            json.WriteString("newestAt", age.LastAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteNumber("maxAgeHours", age.MaxAge.TotalHours);
            json.WriteBoolean("stale", age.Stale);
            json.WriteEndObject();
        }
        if (answer.Groups is null)
        {
            json.WriteNull("by");
        }
        else
        {
            json.WriteStartObject("by");
            foreach (var group in answer.Groups)
            {
                json.WriteStartObject(group.Name);
                WriteResult(json, group.Result);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        if (answer.Previous is null)
        {
            json.WriteNull("previous");
        }
        else
        {
            json.WriteStartObject("previous");
            WritePeriod(json, answer.Previous);
            json.WriteEndObject();
        }
    }

    private static void WriteResult(Utf8JsonWriter json, MetricResult result)
    {
        WriteNumber(json, "value", result.Value);
        WriteNumber(json, "numerator", result.Numerator);
        WriteNumber(json, "denominator", result.Denominator);
        json.WriteNumber("n", result.SampleSize);
        if (result.MarginOfError is { } margin) WriteNumber(json, "marginOfError", margin);
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, decimal? value)
    {
        if (value is { } number) json.WriteNumber(name, decimal.Round(number, Decimals, MidpointRounding.AwayFromZero));
        else json.WriteNull(name);
    }

    private static string UnitName(MetricUnit unit) => unit switch
    {
        MetricUnit.Percent => "percent",
        MetricUnit.NpsScore => "nps",
        MetricUnit.MeanScore => "mean-score",
        MetricUnit.Money => "money",
        MetricUnit.Count => "count",
        _ => "ratio",
    };
}
