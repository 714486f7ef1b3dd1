using GrowthBot.Core.Metrics;

namespace GrowthBot.Host.Cli;

/// <summary>The human-readable form of a metric answer for the terminal.</summary>
internal static class MetricAnswerText
{
    public static void Write(TextWriter output, MetricAnswer answer, string currency, IReadOnlyList<Team> accountable, TimeZoneInfo zone, DateTimeOffset now)
    {
        var metric = answer.Metric;
        output.WriteLine($"{metric.Title}, {Period(answer)}");
        output.WriteLine($"  {MetricFormatter.Value(metric, answer.Result.Value, currency)}   ({MetricFormatter.Basis(metric, answer.Result, currency)})");
        // One line about the data: where it ends before the period does, how long nothing has arrived, or both.
        var silent = answer.Age is { Stale: true } age && (answer.DataGap is null || age.Covers(answer.DataGap.Source)) ? answer.Age : null;
        if (answer.DataGap is { } gap)
        {
            var quiet = silent is null ? string.Empty : $" and {silent.NothingNewFor(now)}";
            output.WriteLine(answer.Result.Value is null
                ? $"  No data: {gap.Describe(zone)}{quiet}, before this period starts."
                : $"  Warning: {gap.Describe(zone)}{quiet}; the rest of the period has no data, so this figure may be incomplete.");
        }
        else if (silent?.Warning(now, zone) is { } old)
        {
            output.WriteLine($"  Warning: {old}; this figure may miss what happened since.");
        }
        if (answer.DataGap is null && answer.Result.Value is null)
        {
            output.WriteLine("  There is no data to compute this for the period.");
        }
        foreach (var note in answer.Notes) output.WriteLine($"  {note}");
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
        output.WriteLine(answer.Workings is { } workings && answer.Result.Value is not null
            ? $"  How it was computed: {MetricFormatter.Workings(metric, workings, answer.Result.Value, currency)}{(workings.Caveat is { } caveat ? $"\n  {caveat}" : string.Empty)}"
            : $"  How it is calculated: {metric.Definition}");
        output.WriteLine($"  Accountable: {string.Join(", ", accountable)}");
    }

    private static string Period(MetricAnswer answer) => $"{answer.From:yyyy-MM-dd HH:mm} to {answer.To:yyyy-MM-dd HH:mm} UTC (end exclusive)";
}
