using GrowthBot.Core.Metrics;

namespace GrowthBot.Host.Cli;

/// <summary>The human-readable form of a metric answer for the terminal.</summary>
internal static class MetricAnswerText
{
    public static void Write(TextWriter output, MetricAnswer answer, string currency, IReadOnlyList<Team> accountable)
    {
        var metric = answer.Metric;
        output.WriteLine($"{metric.Title}, {Period(answer)}");
        output.WriteLine($"  {MetricFormatter.Value(metric, answer.Result.Value, currency)}   ({MetricFormatter.Basis(metric, answer.Result, currency)})");
        if (answer.Result.Value is null) output.WriteLine("  There is no data to compute this for the period.");
        if (answer.Groups is { } groups)
        {
            var width = groups.Count == 0 ? 0 : groups.Max(group => group.Name.Length);
            foreach (var group in groups)
            {
                output.WriteLine($"    {group.Name.PadRight(width)}  {MetricFormatter.Value(metric, group.Result.Value, currency),-14} ({MetricFormatter.Basis(metric, group.Result, currency)})");
            }
        }
        if (answer.Previous is { } previous)
        {
            output.WriteLine($"  Previous period, {Period(previous)}: {MetricFormatter.Value(metric, previous.Result.Value, currency)} " +
                             $"({MetricFormatter.Basis(metric, previous.Result, currency)})");
            output.WriteLine($"  Change: {MetricFormatter.Change(metric, answer.Result.Value, previous.Result.Value, currency)}");
        }
        output.WriteLine($"  How it is calculated: {metric.Definition}");
        output.WriteLine($"  Accountable: {string.Join(", ", accountable)}");
    }

    private static string Period(MetricAnswer answer) => $"{answer.From:yyyy-MM-dd HH:mm} to {answer.To:yyyy-MM-dd HH:mm} UTC (end exclusive)";
}
